"""The conversation: ask a question, read approved passages on cards.

Questions are queued and answered one at a time by a thread worker that only calls the
engine and posts ``AnswerReady`` back: no question is ever dropped (one typed while the
library is still loading is answered as soon as it is ready; an emergency typed while an
answer is on its way is answered next), and widgets are touched only here, on the UI
thread. An emergency or crisis answer opens the emergency screen before the answer is
added to the conversation.

Each new answer is scrolled into view, its "You asked" line at the top. Only the last
few answers stay laid out in full; older ones become one line each in "Earlier in this
conversation" (Enter reads one again), so a long conversation stays as quick as a
short one. Printable keys typed anywhere in this view go to the question box.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from botcore.answer import Answer, Session
from tui.context import guide
from tui.labels import TIER_HEADINGS, TOPIC_NAMES
from tui.messages import AnswerReady, AskQuestion, StateChanged, TopicChanged
from tui.safe import display_safe, safe_join
from tui.widgets.answer import AnswerBlock, SuggestionList
from tui.widgets.earlier import EarlierAnswers
from tui.widgets.loading import LoadStatus
from tui.widgets.prompt import SafePrompt

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.context import Asker

INTRO = ("Type a question and press Enter, for example: What is a tracheostomy?  "
         "Answers are passages written for this guide, shown word for word with their "
         "source. Press Up to move to an answer, F1 for all keys.")

SLOW_S = 0.4
"""After this long without an answer, the status line says it is looking."""
KEEP_IN_FULL = 4
"""Answers laid out in full; older ones are one line each in "Earlier" (issue 13)."""
SCROLL_TRIES = 8
"""Refreshes to wait for a new answer's first layout before scrolling to it anyway."""


class ChatView(Vertical):
    DEFAULT_CSS = """
    ChatView { height: 1fr; }
    ChatView #safety-banner {
        display: none; height: 1; padding: 0 1; background: $error 20%;
    }
    ChatView #safety-banner.-shown { display: block; }
    ChatView #banner-text { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ChatView #banner-read { height: 1; min-width: 12; border: none; margin: 0 0 0 1; }
    ChatView #transcript { height: 1fr; padding: 0 1; }
    ChatView #intro { color: $text; margin: 1 0; }
    ChatView #topic-chip { display: none; height: 1; padding: 0 1; }
    ChatView #topic-chip.-shown { display: block; }
    ChatView #topic-chip Static { width: 1fr; }
    ChatView #topic-chip Button { height: 1; min-width: 12; border: none; margin: 0; }
    ChatView #prompt { margin: 0; }
    """

    BINDINGS = [
        Binding("up", "focus_answer", "Go to answer", show=False),
        Binding("escape", "focus_prompt", "Back to typing", show=False),
        Binding("ctrl+r", "related", "Related questions"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._queue: deque[tuple[str, int]] = deque()
        self._busy = False
        self._slow: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="safety-banner"):
            yield Static("", id="banner-text", markup=False)
            yield Button("Read again", id="banner-read", compact=True)
        with VerticalScroll(id="transcript"):
            yield Static(Content(INTRO), id="intro", markup=False)
            yield EarlierAnswers(id="earlier")
        with Horizontal(id="topic-chip"):
            yield Static("", id="topic-label", markup=False)
            yield Button("Clear topic", id="clear-topic", compact=True)
        yield LoadStatus(id="chat-status")
        yield SafePrompt(placeholder="Type your question and press Enter", id="prompt",
                         select_on_focus=False)

    def on_show(self) -> None:
        self._update_banner()  # an emergency may have been written in My notes

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._engine_status_changed, init=True)
        self.watch(self.app, "load_note", self.show_loading_note, init=False)
        self.watch(self.app, "load_progress", self._show_progress, init=False)
        self.watch(self.app, "topic", self.show_topic, init=True)
        self._update_banner()

    @property
    def status(self) -> LoadStatus:
        return self.query_one("#chat-status", LoadStatus)

    # -- engine state -------------------------------------------------------------------------
    def _engine_status_changed(self, status: str) -> None:
        prompt = self.query_one("#prompt", SafePrompt)
        if status == "ready":
            prompt.disabled = False
            self.status.hide_bar()
            self.status.say("")
            # Ready while the Ask tab is in view: put the cursor where the user types.
            if self.screen.is_current and self.region.area > 0 and self.app.focused is None:
                prompt.focus()
            self._pump()
        elif status == "failed":
            prompt.disabled = True
            prompt.placeholder = "Questions are not available"
            self.status.hide_bar()
            self.status.say(f"Cannot answer questions: {guide(self).engine_error}")
        else:
            self.status.say(guide(self).load_note or "Loading the approved library...")

    def show_loading_note(self, note: str) -> None:
        if guide(self).engine_status == "loading" and note:
            self.status.say(note)

    def _show_progress(self, progress: tuple[int, int, float | None] | None) -> None:
        if progress is not None and guide(self).engine_status == "loading":
            self.status.progress(*progress, waiting=len(self._queue))

    # -- asking -------------------------------------------------------------------------------
    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        question = event.value
        event.input.clear()
        self.ask(question)

    @on(AskQuestion)
    def _ask_message(self, event: AskQuestion) -> None:
        event.stop()
        self.ask(event.question)
        self.query_one("#prompt", SafePrompt).focus()

    def ask(self, question: str) -> None:
        if not question.strip():
            return
        self._queue.append((question, len(" ".join(display_safe(question).split()))))
        if guide(self).engine is None and guide(self).engine_status == "loading":
            waiting = len(self._queue)
            self.status.say(f"Got it: {'your question' if waiting == 1 else f'{waiting} questions'}"
                            " will be answered as soon as the library is ready.")
        self._pump()

    def _pump(self) -> None:
        engine = guide(self).engine
        if self._busy or not self._queue or engine is None:
            return
        self._busy = True
        # Say so only if it takes a while: an answer is usually on screen sooner, and
        # showing then hiding the line would re-lay out the view twice per answer.
        self._slow = self.set_timer(SLOW_S, lambda: self.status.say(
            "Looking for approved passages..."))
        question, typed = self._queue.popleft()
        self._answer(engine, question, typed, guide(self).state.session)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, engine: Asker, question: str, typed: int, session: Session) -> None:
        try:
            answer = engine.ask(question, session)  # never raises: it fails closed itself
        except Exception:  # noqa: BLE001 - belt and braces: the queue must never stall
            answer = Answer(question=display_safe(question)[:500], status="abstained",
                            reason="fault", message_id="fallback",
                            message=engine.corpus.message("fallback"))
        self.post_message(AnswerReady(answer, typed))

    @on(AnswerReady)
    def _answered(self, event: AnswerReady) -> None:
        event.stop()
        answer = event.answer
        self._busy = False
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
        if self.status.text:
            self.status.say("")
        if answer.status == "escalated" and answer.tier in ("emergency", "crisis"):
            from tui.screens.emergency import EmergencyScreen

            guide(self).state.safety_message_id = answer.message_id
            self.app.push_screen(EmergencyScreen(answer.message or "", answer.tier))
        self.add_answer(answer, shortened=event.typed_chars > len(answer.question))
        self._update_banner(current=answer)
        self.post_message(StateChanged())
        self._pump()

    def add_answer(self, answer: Answer, *, shortened: bool = False) -> AnswerBlock:
        context = guide(self)
        transcript = self.query_one("#transcript", VerticalScroll)
        block = AnswerBlock(answer, context.term_index, set(context.state.saved),
                            corpus=context.corpus, shortened=shortened)
        transcript.mount(block)
        self._keep_few(transcript)
        block.call_after_refresh(self._show_newest, transcript, block)
        return block

    def _show_newest(self, transcript: VerticalScroll, block: AnswerBlock,
                     tries: int = SCROLL_TRIES) -> None:
        """Put the new block's "You asked" line at the top of the transcript.

        Before its first layout a block has no size and scroll_to_widget does nothing; on a
        busy machine one refresh is not always enough, so wait a few more (bounded), then
        scroll at once rather than after yet another refresh.
        """
        if not block.is_attached:
            return
        if not block.virtual_region.height and tries > 0:
            block.call_after_refresh(self._show_newest, transcript, block, tries - 1)
            return
        transcript.scroll_to_widget(block, top=True, animate=False, immediate=True)

    def _keep_few(self, transcript: VerticalScroll) -> None:
        blocks = list(transcript.query_children(AnswerBlock))
        earlier = self.query_one(EarlierAnswers)
        for old in blocks[:-KEEP_IN_FULL]:
            earlier.add(old.answer)
            old.remove()

    def clear_transcript(self) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.remove_children(AnswerBlock)
        self.query_one(EarlierAnswers).clear()
        self._queue.clear()
        self._update_banner()

    @on(EarlierAnswers.ReadAgain)
    def _read_again(self, event: EarlierAnswers.ReadAgain) -> None:
        event.stop()
        from tui.screens.read_again import ReadAgainScreen

        context = guide(self)
        answer = event.answer
        self.app.push_screen(ReadAgainScreen("Earlier answer", lambda: AnswerBlock(
            answer, context.term_index, set(context.state.saved), corpus=context.corpus)))

    # -- the reminder after an emergency ------------------------------------------------------
    def _update_banner(self, current: Answer | None = None) -> None:
        """After an emergency or crisis answer, keep its approved message one line away
        for the next turns (as long as the engine treats the escalation as holding)."""
        banner = self.query_one("#safety-banner", Horizontal)
        last = guide(self).state.session.last_escalation()
        if last is None or (current is not None and current.status == "escalated"):
            banner.remove_class("-shown")
            return
        tier = last.tier or "emergency"
        heading = TIER_HEADINGS.get(tier, "EMERGENCY")
        self.query_one("#banner-text", Static).update(safe_join(
            (f"{heading}, shown earlier in this session:", "bold reverse"), " ",
            self.banner_message()))
        banner.add_class("-shown")

    def banner_message(self) -> str:
        """The approved message the user saw last (by its id: the same after a resume,
        or after an emergency written in My notes)."""
        last = guide(self).state.session.last_escalation()
        tier = (last.tier if last is not None else None) or "emergency"
        return guide(self).safety_message(guide(self).state.safety_message_id, tier)

    @on(Button.Pressed, "#banner-read")
    def _banner_read(self, event: Button.Pressed) -> None:
        event.stop()
        from tui.screens.emergency import EmergencyScreen

        last = guide(self).state.session.last_escalation()
        self.app.push_screen(EmergencyScreen(self.banner_message(),
                                             (last.tier if last else None) or "emergency"))

    # -- topic context ------------------------------------------------------------------------
    def show_topic(self, topic: str | None) -> None:
        """The topic chip: questions keep this guided topic as context until cleared."""
        chip = self.query_one("#topic-chip", Horizontal)
        if topic is None:
            chip.remove_class("-shown")
            return
        self.query_one("#topic-label", Static).update(
            safe_join(("Asking about: ", "bold"), TOPIC_NAMES.get(topic, topic)))
        chip.add_class("-shown")

    @on(Button.Pressed, "#clear-topic")
    def _clear_topic(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(TopicChanged(None))

    # -- keyboard -----------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Type-to-ask: a printable key typed anywhere in this view goes to the question
        box (on a card it would otherwise be lost, or fire an action)."""
        prompt = self.query_one("#prompt", SafePrompt)
        if prompt.disabled or self.app.focused is prompt:
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.type_into_prompt(event.character)

    def type_into_prompt(self, text: str) -> None:
        prompt = self.query_one("#prompt", SafePrompt)
        if not prompt.disabled:
            prompt.focus()
            prompt.insert_text_at_cursor(text)

    def latest_block(self) -> AnswerBlock | None:
        blocks = list(self.query(AnswerBlock))
        return blocks[-1] if blocks else None

    def action_focus_answer(self) -> None:
        block = self.latest_block()
        target = block.first_focus() if block else None
        if target is not None:
            target.focus()
            target.scroll_visible(top=True, animate=False)

    def action_related(self) -> None:
        block = self.latest_block()
        lists = list(block.query(SuggestionList)) if block else []
        if lists:
            lists[0].focus()
            lists[0].scroll_visible(animate=False)
        else:
            self.notify("No related questions for the last answer.", markup=False)

    def action_focus_prompt(self) -> None:
        prompt = self.query_one("#prompt", SafePrompt)
        if not prompt.disabled:
            prompt.focus()

    def focus_prompt(self) -> None:
        self.action_focus_prompt()
