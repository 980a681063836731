"""The conversation: ask a question, read approved passages on cards.

Questions are queued and answered one at a time by a thread worker that only calls the
engine and posts ``AnswerReady`` back: no question is ever dropped (an emergency typed
while an answer is on its way is answered next), and widgets are touched only here, on
the UI thread. An emergency or crisis answer opens the emergency screen before the
answer is added to the conversation.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from botcore.answer import Answer, Session
from tui.context import guide
from tui.labels import TIER_HEADINGS, TOPIC_NAMES
from tui.messages import AnswerReady, AskQuestion, StateChanged, TopicChanged
from tui.safe import display_safe, safe, safe_join
from tui.widgets.answer import AnswerBlock, SuggestionList
from tui.widgets.prompt import SafePrompt

if TYPE_CHECKING:
    from tui.context import Asker

INTRO = ("Type a question and press Enter, for example: What is a tracheostomy?  "
         "Answers are passages approved for this guide, shown word for word with their "
         "source. Press Up to move to an answer, F1 for all keys.")


class ChatView(Vertical):
    DEFAULT_CSS = """
    ChatView { height: 1fr; }
    ChatView #safety-banner {
        display: none; height: auto; max-height: 5; padding: 0 1;
        border: heavy $error; background: $error 15%;
    }
    ChatView #safety-banner.-shown { display: block; }
    ChatView #transcript { height: 1fr; padding: 0 1; }
    ChatView #intro { color: $text-muted; margin: 1 0; }
    ChatView #topic-chip { display: none; height: 1; padding: 0 1; }
    ChatView #topic-chip.-shown { display: block; }
    ChatView #topic-chip Static { width: 1fr; }
    ChatView #topic-chip Button { height: 1; min-width: 12; border: none; margin: 0; }
    ChatView #chat-status { height: 1; padding: 0 1; color: $text-muted; }
    ChatView #prompt { margin: 0; }
    """

    BINDINGS = [
        Binding("up", "focus_answer", "Go to answer", show=False),
        Binding("escape", "focus_prompt", "Back to typing", show=False),
        Binding("ctrl+r", "related", "Related questions"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._queue: deque[str] = deque()
        self._busy = False
        self._last_escalation: Answer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="safety-banner", markup=False)
        with VerticalScroll(id="transcript"):
            yield Static(Content(INTRO), id="intro", markup=False)
        with Horizontal(id="topic-chip"):
            yield Static("", id="topic-label", markup=False)
            yield Button("Clear topic", id="clear-topic", compact=True)
        yield Static("", id="chat-status", markup=False)
        yield SafePrompt(placeholder="Loading the approved library...", id="prompt",
                         disabled=True)

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._engine_status_changed, init=True)
        self.watch(self.app, "load_note", self.show_loading_note, init=False)
        self.watch(self.app, "topic", self.show_topic, init=True)
        self._update_banner()

    # -- engine state -------------------------------------------------------------------------
    def _engine_status_changed(self, status: str) -> None:
        prompt = self.query_one("#prompt", SafePrompt)
        status_line = self.query_one("#chat-status", Static)
        if status == "ready":
            prompt.disabled = False
            prompt.placeholder = "Type your question and press Enter"
            status_line.update(Content(""))
            # Ready while the Ask tab is in view: put the cursor where the user types.
            if self.screen.is_current and self.region.area > 0:
                prompt.focus()
            self._pump()
        elif status == "failed":
            prompt.disabled = True
            prompt.placeholder = "Questions are not available"
            status_line.update(safe_join(("Cannot answer questions: ", "bold"),
                                         guide(self).engine_error))
        else:
            prompt.disabled = True
            status_line.update(safe(guide(self).load_note or
                                    "Loading the approved library (a few seconds)..."))

    def show_loading_note(self, note: str) -> None:
        if guide(self).engine_status == "loading":
            self.query_one("#chat-status", Static).update(safe(note))

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
        self._queue.append(question)
        self._pump()

    def _pump(self) -> None:
        engine = guide(self).engine
        if self._busy or not self._queue or engine is None:
            return
        self._busy = True
        self.query_one("#chat-status", Static).update(
            Content("Looking for approved passages..."))
        self._answer(engine, self._queue.popleft(), guide(self).state.session)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, engine: Asker, question: str, session: Session) -> None:
        try:
            answer = engine.ask(question, session)  # never raises: it fails closed itself
        except Exception:  # noqa: BLE001 - belt and braces: the queue must never stall
            answer = Answer(question=display_safe(question)[:500], status="abstained",
                            reason="fault", message_id="fallback",
                            message=engine.corpus.message("fallback"))
        self.post_message(AnswerReady(answer))

    @on(AnswerReady)
    def _answered(self, event: AnswerReady) -> None:
        event.stop()
        answer = event.answer
        self._busy = False
        self.query_one("#chat-status", Static).update(Content(""))
        if answer.status == "escalated" and answer.tier in ("emergency", "crisis"):
            from tui.screens.emergency import EmergencyScreen  # noqa: PLC0415

            self._last_escalation = answer
            self.app.push_screen(EmergencyScreen(answer.message or "", answer.tier))
        self.add_answer(answer)
        self._update_banner(current=answer)
        self.post_message(StateChanged())
        self._pump()

    def add_answer(self, answer: Answer) -> AnswerBlock:
        transcript = self.query_one("#transcript", VerticalScroll)
        block = AnswerBlock(answer, guide(self).term_index, set(guide(self).state.saved))
        transcript.mount(block)
        self.call_after_refresh(transcript.scroll_to_widget, block, top=True, animate=False)
        return block

    def clear_transcript(self) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.remove_children(AnswerBlock)
        self._last_escalation = None
        self._queue.clear()
        self._update_banner()

    # -- the reminder after an emergency ------------------------------------------------------
    def _update_banner(self, current: Answer | None = None) -> None:
        """After an emergency or crisis answer, keep its message in view for the next
        turns (as long as the engine treats the escalation as holding)."""
        banner = self.query_one("#safety-banner", Static)
        last = guide(self).state.session.last_escalation()
        if last is None or (current is not None and current.status == "escalated"):
            banner.remove_class("-shown")
            return
        tier = last.tier or "emergency"
        message = (self._last_escalation.message if self._last_escalation is not None
                   and self._last_escalation.message
                   else guide(self).safety_message(None, tier))
        banner.update(safe_join((f"{TIER_HEADINGS.get(tier, 'EMERGENCY')}: ", "bold reverse"),
                                " ", message))
        banner.add_class("-shown")

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
