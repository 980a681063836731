"""Every flow of the app, driven with Pilot on the real engine (loaded once per session by
the ``real_engine`` fixture and injected through the app factory)."""

from __future__ import annotations

import asyncio
import html
import threading
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pdftext import pdf_text
from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TabbedContent
from tui_support import MARKUP, OSC_TITLE, run_async, until

from botcore.config import Settings
from botcore.export import md_escape
from tui.app import ATCGuideApp, build_app
from tui.labels import TOPIC_NAMES, short_source
from tui.screens.confirm import ConfirmScreen
from tui.screens.definition import DefinitionScreen
from tui.screens.emergency import EmergencyScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.welcome import WelcomeScreen
from tui.themes import HIGH_CONTRAST
from tui.widgets.answer import AnswerBlock, MessagePanel, SuggestionList
from tui.widgets.chat import ChatView
from tui.widgets.glossary import GlossaryView
from tui.widgets.guided import GuidedView
from tui.widgets.notes import NotesView
from tui.widgets.passage_card import PassageCard, approval_detail
from tui.widgets.prompt import SafePrompt

pytestmark = pytest.mark.model

SIZE = (100, 32)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


def make_app(engine, settings: Settings, **kwargs) -> ATCGuideApp:  # noqa: ANN001, ANN003
    kwargs.setdefault("high_contrast", False)
    return build_app(settings, engine, cursor_blink=False, **kwargs)


def plain(widget: Static) -> str:
    return widget.visual.plain  # type: ignore[attr-defined]


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def start(pilot: Pilot, situations: set[str] | None = None) -> None:
    app = pilot.app
    assert isinstance(app, ATCGuideApp)
    app.start_session(set(situations or ()), resume=False)
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)


async def ask(pilot: Pilot, question: str) -> AnswerBlock:
    """Type a question into the prompt, press Enter and wait for the answer."""
    app = pilot.app
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    main.show_tab("ask")
    prompt = main.query_one("#prompt", SafePrompt)
    prompt.focus()
    await pilot.pause()
    await pilot.press(*question, "enter")
    await settle(pilot)
    return list(main.query(AnswerBlock))[-1]


def main_of(app: ATCGuideApp) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


# -- loading ----------------------------------------------------------------------------------
@run_async
async def test_first_paint_does_not_wait_for_the_engine(real_engine, settings, monkeypatch) -> None:  # noqa: ANN001
    """The loader runs in a worker: the welcome screen, the guided topics and the glossary
    work while ``Engine.load`` is still busy (held here until released), and the prompt
    is enabled, with the cursor in it, once the worker posts ``EngineReady``."""
    from botcore.engine import Engine  # noqa: PLC0415

    release = threading.Event()
    calls: list[dict[str, object]] = []

    def slow_load(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        assert release.wait(60)
        return real_engine

    monkeypatch.setattr(Engine, "load", slow_load)
    app = build_app(settings, cursor_blink=False, high_contrast=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert app.engine_status == "loading" and app.engine is None
        await settle_until(pilot, lambda: app.corpus is not None)
        assert "automated" in plain(app.screen.query_one("#disclaimer", Static)).lower()
        await start(pilot)
        prompt = main_of(app).query_one("#prompt", SafePrompt)
        assert not prompt.disabled and app.engine_status == "loading"  # type now, queued
        assert "Loading" in main_of(app).query_one(ChatView).status.text
        await pilot.press("f3")  # guided topics work from the corpus alone
        await pilot.pause()
        assert "Step 1 of" in main_of(app).query_one(GuidedView).step_label
        await pilot.press("f2")
        release.set()
        await settle_until(pilot, lambda: app.engine_status != "loading")
        assert app.engine_status == "ready" and app.engine is real_engine
        assert not prompt.disabled and app.focused is prompt
        assert "progress" in calls[0]


async def settle_until(pilot: Pilot, done, limit: float = 60.0) -> None:  # noqa: ANN001
    waited = 0.0
    while not done() and waited < limit:
        await asyncio.sleep(0.05)
        waited += 0.05
    await pilot.pause()
    await pilot.pause()


@run_async
async def test_a_corpus_that_cannot_load_is_named_and_nothing_is_answered(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "c",
                        corpus_dir=tmp_path / "no-corpus")
    app = build_app(settings, cursor_blink=False, high_contrast=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.engine_status == "failed"
        assert "corpus folder not found" in plain(app.screen.query_one("#disclaimer", Static))
        await start(pilot)
        assert app.screen.query_one("#prompt", SafePrompt).disabled
        assert "Cannot answer questions" in app.screen.query_one(ChatView).status.text


# -- ask --------------------------------------------------------------------------------------
@run_async
async def test_ask_shows_verbatim_cited_cards_and_related_questions(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "what is a tracheostomy")
        answer = block.answer
        assert answer.status == "answered"
        assert plain(block.query_one(".asked", Static)) == "You asked: what is a tracheostomy"
        cards = list(block.query(PassageCard))
        assert 1 <= len(cards) <= 3 and len(cards) == len(answer.snippets)
        for card, snip in zip(cards, answer.snippets, strict=True):
            assert card.shown_text == snip.text == real_engine.corpus.passages[snip.passage_id].text
            assert snip.title in card.title_text
            source = short_source(real_engine.corpus, snip.passage_id)
            assert source and card.cite_text == f"Source: {source}"
            assert snip.approval_label in card.approval_text
            assert approval_detail(snip) in card.approval_text
        assert answer.suggestions
        # Related questions with the keyboard: Ctrl+R, then Enter asks the first one.
        await pilot.press("ctrl+r")
        assert isinstance(app.focused, SuggestionList)
        await pilot.press("enter")
        await settle(pilot)
        blocks = list(main_of(app).query(AnswerBlock))
        assert len(blocks) == 2
        assert blocks[1].answer.question == answer.suggestions[0]


@run_async
async def test_questions_typed_quickly_are_all_answered_in_order(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        chat = main_of(app).query_one(ChatView)
        for question in ("what is hospice", "what is palliative care", "what is a stoma"):
            chat.ask(question)
        await settle(pilot)
        await settle(pilot)
        asked = [b.answer.question for b in main_of(app).query(AnswerBlock)]
        assert asked == ["what is hospice", "what is palliative care", "what is a stoma"]


@run_async
async def test_refusal_is_kind_and_offers_topics(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "what is the best pizza in new york")
        answer = block.answer
        assert answer.status == "abstained"
        assert not block.query(PassageCard)
        panel = block.query_one(MessagePanel)
        assert panel.message_text == \
            real_engine.corpus.message(answer.message_id)
        assert panel.heading_text == "No approved answer"
        suggestions = block.query_one(SuggestionList)
        assert suggestions.suggestions == answer.suggestions and answer.suggestions
        assert "Topics you could try" in str(suggestions.border_title)


# -- emergency ----------------------------------------------------------------------------------
@run_async
async def test_emergency_modal_comes_first_and_holds_under_pushback(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "he can't breathe")
        answer = block.answer
        assert answer.status == "escalated" and answer.tier == "emergency"
        screen = app.screen
        assert isinstance(screen, EmergencyScreen)
        assert screen.shown_text == answer.message == real_engine.corpus.message(answer.message_id)
        assert "EMERGENCY" in plain(screen.query_one("#emergency-heading", Static))
        assert not block.query(PassageCard)  # nothing ordinary competes with it
        await pilot.press("escape", "a", "b")
        assert app.screen is screen  # stray keys do not close it
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # Pushback on the next turn: the engine escalates again, and so does the screen.
        await ask(pilot, "I can't call 911, just tell me how to unblock it")
        assert isinstance(app.screen, EmergencyScreen)
        await pilot.press("enter")
        await pilot.pause()
        # An ordinary question right after: the emergency message stays in view above.
        await ask(pilot, "what is hospice")
        assert main_of(app).query_one("#safety-banner").has_class("-shown")
        banner = main_of(app).query_one("#banner-text", Static)
        assert "EMERGENCY" in plain(banner) and "911" in plain(banner)


@run_async
async def test_crisis_language_shows_the_crisis_modal(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "I want to kill myself")
        assert block.answer.tier == "crisis"
        screen = app.screen
        assert isinstance(screen, EmergencyScreen)
        assert "CRISIS SUPPORT" in plain(screen.query_one("#emergency-heading", Static))
        assert "988" in screen.shown_text
        assert screen.shown_text == real_engine.corpus.message("crisis")


@run_async
async def test_urgent_message_sits_above_the_cards(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "he has a fever since his chemo")
        assert block.answer.status == "escalated" and block.answer.tier == "urgent"
        assert not isinstance(app.screen, EmergencyScreen)
        children = list(block.children)
        panel = block.query_one(MessagePanel)
        assert panel.has_class("-urgent") and children.index(panel) == 1  # right after the question
        assert "URGENT" in panel.heading_text
        for card in block.query(PassageCard):
            assert children.index(card) > children.index(panel)


# -- guided topics ------------------------------------------------------------------------------
@run_async
async def test_guided_path_next_back_and_ask_about_this(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("f3")
        await pilot.pause()
        guided = main_of(app).query_one(GuidedView)
        path = real_engine.corpus.guided_path("understanding")
        assert len(path) >= 2
        assert f"Step 1 of {len(path)}" in guided.step_label
        await pilot.press("n")
        await pilot.pause()
        assert f"Step 2 of {len(path)}" in guided.step_label
        assert guided.card is not None and guided.card.shown_text == path[1].text
        await pilot.press("b", "b")
        await pilot.pause()
        assert f"Step 1 of {len(path)}" in guided.step_label
        # Fast arrows over the journeys settle on the highlighted one, and the app goes
        # quiet (two highlight events in flight once bounced between topics for ever).
        journeys = main_of(app).query_one("#journeys", OptionList)
        journeys.focus()
        for index in (1, 2, 3, 2):  # keys arriving faster than they are handled
            journeys.highlighted = index
        for _ in range(5):
            await pilot.pause()
        assert guided.topic == list(TOPIC_NAMES)[journeys.highlighted or 0] == "airway"
        redraws: list[int] = []
        show_step = guided.show_step
        guided.show_step = lambda: (redraws.append(1), show_step())[1]  # type: ignore[method-assign]
        await asyncio.sleep(0.5)
        await pilot.pause()
        assert redraws == []  # nothing keeps switching topics once the keys are handled
        guided.show_step = show_step  # type: ignore[method-assign]
        # Choose the airway journey with the keyboard.
        await pilot.press("enter")
        await pilot.pause()
        airway = real_engine.corpus.guided_path("airway")
        assert guided.topic == "airway"
        assert f"{TOPIC_NAMES['airway']}" in guided.step_label
        assert f"Step 1 of {len(airway)}" in guided.step_label
        await pilot.press("a")  # ask about this
        await pilot.pause()
        assert app.state.session.topic == "airway"
        assert main_of(app).query_one(TabbedContent).active == "ask"
        chip = main_of(app).query_one("#topic-label", Static)
        assert TOPIC_NAMES["airway"] in plain(chip)
        await ask(pilot, "how do we keep it clean")
        assert app.state.session.turns[-1].topic == "airway"
        await pilot.click("#clear-topic")
        await pilot.pause()
        assert app.state.session.topic is None


# -- glossary -----------------------------------------------------------------------------------
@run_async
async def test_glossary_search_and_words_in_passages(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "what is a tracheostomy")
        card = block.query_one(PassageCard)
        assert card.term_ids, "the tracheostomy passage mentions glossary terms"
        spans = card.visual.spans  # type: ignore[attr-defined]
        actions = [s.style.meta.get("@click") for s in spans if not isinstance(s.style, str)]
        assert f"app.define({card.term_ids[0]!r})" in actions  # a marked word is clickable
        card.focus()
        await pilot.press("enter", "down", "enter")  # the card's menu: words explained
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DefinitionScreen)
        first = real_engine.corpus.glossary[card.term_ids[0]]
        assert screen.shown_text.startswith(first.term)
        assert first.definition in screen.shown_text
        await pilot.press("escape")
        await pilot.pause()
        assert first.id in app.state.looked_up
        await app.run_action("app.define('tracheostomy')")  # what a click on the word runs
        await pilot.pause()
        assert isinstance(app.screen, DefinitionScreen)
        await pilot.press("escape")
        # The glossary screen: search, highlight, Enter.
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"trach")
        await pilot.pause()
        view = main_of(app).query_one(GlossaryView)
        names = [t.term for t in view.shown]
        assert "Tracheostomy" in names and len(names) < len(view.all_terms())
        view.query_one("#glossary-list", OptionList).focus()
        view.query_one("#glossary-list", OptionList).highlighted = names.index("Tracheostomy")
        await pilot.press("enter")
        await pilot.pause()
        term = real_engine.corpus.glossary["tracheostomy"]
        assert view.definition_text.startswith("Tracheostomy")
        assert term.definition in view.definition_text


# -- save, notes, export, delete --------------------------------------------------------------
def _squash(text: str) -> str:
    return " ".join(text.split())


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


HOSTILE_QUESTION = "Is <script>alert(1)</script> [this](http://evil.example) ok?"


@run_async
async def test_save_write_questions_export_and_delete(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, {"stage-ivb", "trach"})
        block = await ask(pilot, "what is a tracheostomy")
        snip = block.answer.snippets[0]
        await pilot.press("up")  # from the prompt to the answer
        assert isinstance(app.focused, PassageCard) and app.focused.snippet == snip
        await pilot.press("enter", "enter")  # the card's menu: save
        await pilot.pause()
        assert app.state.saved == [snip.passage_id]
        assert app.focused.has_class("-saved")
        session_file = app.store.path
        assert session_file.exists() and _mode(session_file) == 0o600
        assert _mode(app.store.sessions_dir) == 0o700 and _mode(settings.data_dir) == 0o700
        assert snip.passage_id in session_file.read_text()
        # My notes: the saved passage is listed; write a question for the care team.
        await pilot.press("f5")
        await pilot.pause()
        notes = main_of(app).query_one(NotesView)
        saved_list = notes.query_one("#saved-list", OptionList)
        assert str(saved_list.get_option_at_index(0).prompt) == snip.title
        notes.query_one("#question-input", SafePrompt).focus()
        await pilot.press(*HOSTILE_QUESTION, "enter")
        await pilot.pause()
        assert app.state.my_questions == [HOSTILE_QUESTION]
        app.note_term("hospice")
        # Export the handout.
        app.action_export()
        await settle(pilot)
        folder = settings.documents_dir / "Handouts"
        files = {p.suffix: p for p in folder.iterdir()}
        assert set(files) == {".html", ".md", ".pdf"}
        assert _mode(folder) == 0o700 and all(_mode(p) == 0o600 for p in files.values())
        assert sorted(app.state.exports) == sorted(p.name for p in files.values())
        corpus = real_engine.corpus
        page = files[".html"].read_text(encoding="utf-8")
        assert html.escape(snip.citation, quote=True) in page
        assert html.escape(snip.title, quote=True) in page
        assert html.escape(corpus.message("emergency-card"), quote=True) in page
        assert html.escape(snip.approval_label, quote=True) in page
        assert "<script>" not in page and "&lt;script&gt;" in page and "href=" not in page
        assert html.escape(corpus.glossary["hospice"].definition, quote=True) in page
        md = files[".md"].read_text(encoding="utf-8")
        assert md_escape(snip.citation) in md
        rendered = MarkdownIt("commonmark").render(md)
        assert "<a " not in rendered and "<script" not in rendered
        text = pdf_text(files[".pdf"].read_bytes())
        for expected in (snip.title, snip.citation, snip.text, corpus.message("emergency-card"),
                         snip.approval_label, HOSTILE_QUESTION, "Stage IVB"):
            assert _squash(expected) in text, expected
        # Delete this session: confirm, then nothing of it is left.
        app.action_delete_session()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert not session_file.exists() and not folder.exists()
        assert not any(settings.data_dir.rglob("*"))
        assert app.state.saved == [] and app.state.my_questions == []


@run_async
async def test_keep_answer_keeps_the_session_and_resume_restores_it(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, "what is hospice")
        pid = block.answer.snippets[0].passage_id
        await pilot.press("up", "enter", "enter")
        app.action_delete_session()
        await pilot.pause()
        await pilot.press("enter")  # the focused button is "Keep"
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.store.exists()
    again = make_app(real_engine, settings)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cont = again.screen.query_one("#continue")
        assert cont.display
        await pilot.click("#continue")
        await pilot.pause()
        assert isinstance(again.screen, MainScreen)
        assert again.state.saved == [pid]
    third = make_app(real_engine, settings)
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#start")  # a new session would delete the saved one: ask first
        await pilot.pause()
        assert isinstance(third.screen, ConfirmScreen)
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert isinstance(third.screen, WelcomeScreen) and third.store.exists()


# -- the terminal is an attack surface ----------------------------------------------------------
@run_async
async def test_markup_and_escape_sequences_show_literally(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        block = await ask(pilot, MARKUP)
        assert app.is_running and app.return_code is None
        assert plain(block.query_one(".asked", Static)) == f"You asked: {MARKUP}"
        # Drawn literally: the newest answer (this one) is on screen.
        assert "[@click=app.quit]x[/]" in html.unescape(app.export_screenshot()).replace(
            "\xa0", " ")
        prompt = main_of(app).query_one("#prompt", SafePrompt)
        prompt.focus()
        prompt.post_message(events.Paste(f"{OSC_TITLE}what is \x1b[2J\x1b[31mhospice\r"))
        await pilot.pause()
        assert prompt.value == "what is hospice "
        await pilot.press("enter")
        await settle(pilot)
        last = list(main_of(app).query(AnswerBlock))[-1]
        assert "\x1b" not in plain(last.query_one(".asked", Static))
        shot = app.export_screenshot()
        assert "\x1b" not in shot and "pwned" not in shot
        transcript = main_of(app).query_one("#transcript")
        assert await until(pilot, lambda: transcript.region.contains_region(
            last.query_one(".asked").region))  # in view
        assert app.is_running


# -- help, palette, contrast, size ------------------------------------------------------------
@run_async
async def test_help_palette_and_high_contrast(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await start(pilot)
        prompt = main_of(app).query_one("#prompt", SafePrompt)
        await pilot.press("?")  # in the prompt, ? is just a character
        assert prompt.value == "?" and not isinstance(app.screen, HelpScreen)
        main_of(app).query_one("#tabs").query_one("Tabs").focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Keyboard help", "High contrast", "Export handout", "Delete this session",
                       "Change my situation", "Glossary", "My notes",
                       *[f"Guided topic: {name}" for name in TOPIC_NAMES.values()]):
            assert wanted in titles
        assert not any("screenshot" in t.lower() for t in titles)
        # The palette runs a guided topic by name.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Guided topic: Planning ahead")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert main_of(app).query_one(TabbedContent).active == "guided"
        assert main_of(app).query_one(GuidedView).topic == "planning"
        await pilot.press("ctrl+t")
        assert app.theme == HIGH_CONTRAST.name


@run_async
async def test_no_color_starts_high_contrast(real_engine, settings, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(settings, real_engine, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color and app.theme == HIGH_CONTRAST.name
        await start(pilot)
        await ask(pilot, "he can't breathe")
        assert isinstance(app.screen, EmergencyScreen)
        assert "EMERGENCY" in plain(app.screen.query_one("#emergency-heading", Static))


@run_async
async def test_everything_essential_fits_80_by_24(real_engine, settings) -> None:  # noqa: ANN001
    app = make_app(real_engine, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen_region = app.screen.region
        start_button = app.screen.query_one("#start")
        assert screen_region.contains_region(start_button.region)
        assert app.screen.query_one("#disclaimer").region.height >= 3
        await start(pilot)
        main = main_of(app)
        # What this is, and (while approvals are demonstrations) that nobody clinical
        # checked it: two lines at 80 columns, one at 100 and more.
        assert main.query_one("#always-visible").region.height <= 2
        assert screen_region.contains_region(main.query_one("#prompt").region)
        block = await ask(pilot, "what is a tracheostomy")
        await pilot.press("up")
        await pilot.pause()
        card = block.query_one(PassageCard)
        assert app.focused is card
        assert card.region.height > 0 and card.region.width <= 80
        await ask(pilot, "he can't breathe")
        box = app.screen.query_one("#emergency-box")
        assert screen_region.contains_region(box.region)
        assert screen_region.contains_region(app.screen.query_one("#emergency-ok").region)
        await pilot.press("enter")
        for tab, widget in (("guided", "#step-next"), ("glossary", "#glossary-search"),
                            ("notes", "#export")):
            main.show_tab(tab)
            await pilot.pause()
            target = main.query_one(widget)
            target.scroll_visible(animate=False)
            await pilot.pause()
            assert screen_region.contains_region(target.region), tab
