"""The usability walk-through's blockers and major findings (issue 14), each a Pilot test
on the whole patient app with a fake engine (no model): each fails without its fix.

Finding ids are the report's (``shared/reviews/ux-2026-12/report.md``).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tui_host import FakeEngine
from tui_support import run_async

from botcore.answer import Answer
from botcore.config import Settings
from tui.app import ATCGuideApp, build_app
from tui.screens.definition import DefinitionScreen
from tui.screens.emergency import EmergencyScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.answer import AnswerBlock, MessagePanel
from tui.widgets.chat import ChatView
from tui.widgets.passage_card import PassageCard
from tui.widgets.prompt import SafePrompt

SCRIPT: dict[str, object] = {
    "what is a tracheostomy": ["trach-what-is", "airway-why-at-risk", "airway-emergency-signs"],
    "what are the side effects": ["treat-side-effects", "treat-curative-or-palliative",
                                  "trial-why-consider"],
    "how long do people live with atc": ["prognosis-how-long", "prognosis-not-a-prediction",
                                         "about-stages"],
    "what is hospice": ["hospice-what-is", "hospice-who-for"],
    "his trach came out and he cant breathe": ("escalated", "emergency", "emergency-airway"),
}


def plain(widget: Static) -> str:
    return widget.visual.plain  # type: ignore[attr-defined]


def make(tmp_path: Path, engine: FakeEngine | None = None) -> ATCGuideApp:
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    return build_app(settings, engine or FakeEngine(SCRIPT), high_contrast=False,
                     cursor_blink=False)


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def start(pilot: Pilot) -> MainScreen:
    app = pilot.app
    assert isinstance(app, ATCGuideApp)
    app.start_session(set(), resume=False)
    await settle(pilot)
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def type_question(pilot: Pilot, question: str) -> AnswerBlock:
    main = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
    await pilot.press(*question, "enter")
    await settle(pilot)
    return list(main.query(AnswerBlock))[-1]


def asked_in_view(main: MainScreen, block: AnswerBlock) -> bool:
    transcript = main.query_one("#transcript")
    asked = block.query_one(".asked")
    return (asked.region.height > 0
            and transcript.region.contains_region(asked.region))


# -- B2: the newest answer is on screen -------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_b2_the_newest_answer_is_visible_after_each_question(tmp_path: Path,
                                                                  size: tuple[int, int]) -> None:
    app = make(tmp_path)
    async with app.run_test(size=size) as pilot:
        main = await start(pilot)
        questions = ["what is a tracheostomy", "what are the side effects",
                     "how long do people live with atc"]
        for number, question in enumerate(questions, start=1):
            block = await type_question(pilot, question)
            assert block.answer.question == question
            assert asked_in_view(main, block), f"answer {number} is not on screen at {size}"
            if number > 1:
                previous = list(main.query(AnswerBlock))[-2]
                above = previous.query_one(".asked").region.y
                assert above < block.query_one(".asked").region.y
                assert not asked_in_view(main, previous) or size[1] >= 40


# -- M1: typing is never hijacked -------------------------------------------------------------
@run_async
async def test_m1_typing_on_a_focused_card_goes_to_the_question_box(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        main = await start(pilot)
        await type_question(pilot, "what is a tracheostomy")
        await pilot.press("up")
        assert isinstance(app.focused, PassageCard)
        await pilot.press(*"what are the side effects", "enter")  # s and w: card keys once
        await settle(pilot)
        assert not isinstance(app.screen, DefinitionScreen | HelpScreen)
        assert app.state.saved == []  # "s" saved nothing, "w" explained nothing
        last = list(main.query(AnswerBlock))[-1]
        assert last.answer.question == "what are the side effects"
        # The card's actions: visible buttons, and an Enter menu.
        await pilot.press("up")
        card = app.focused
        assert isinstance(card, PassageCard)
        assert "Save" in card.actions_text and "Words explained" in card.actions_text
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the first action: save
        await settle(pilot)
        assert app.state.saved == [card.snippet.passage_id]
        assert card.has_class("-saved")


# -- M5: questions typed while loading are answered -------------------------------------------
@run_async
async def test_m5_a_question_typed_while_loading_is_answered_when_ready(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from botcore.engine import Engine

    engine = FakeEngine(SCRIPT)
    release = threading.Event()
    seen: list[tuple[int, int]] = []

    def slow_load(*args: object, progress=None, **kwargs: object) -> object:  # noqa: ANN001
        for done in (100, 200, 300):
            progress(done, 724)
            seen.append((done, 724))
        assert release.wait(30)
        return engine

    monkeypatch.setattr(Engine, "load", slow_load)
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    app = build_app(settings, high_contrast=False, cursor_blink=False)
    async with app.run_test(size=(100, 32)) as pilot:
        while len(seen) < 3:
            await pilot.pause()
        app.start_session(set(), resume=False)  # no settle: the loader is still busy
        for _ in range(4):
            await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        prompt = main.query_one("#prompt", SafePrompt)
        assert app.engine_status == "loading", app.engine_error
        assert not prompt.disabled and app.focused is prompt
        await pilot.press(*"what is hospice", "enter")
        for _ in range(3):
            await pilot.pause()
        status = main.query_one(ChatView).status
        assert "as soon as the library is ready" in status.text
        assert app.load_progress is not None and app.load_progress[:2] == (300, 724)
        bar = main.query_one("#load-bar")
        assert bar.has_class("-shown") or "answered" in status.text
        release.set()
        while app.engine_status != "ready":
            await pilot.pause()
        await settle(pilot)
        blocks = list(main.query(AnswerBlock))
        assert [b.answer.question for b in blocks] == ["what is hospice"]
        assert engine.asked == ["what is hospice"]


# -- safety: a safety note first, a reminder after a refusal ----------------------------------
@run_async
async def test_safety_note_comes_first_and_the_reminder_follows_a_refusal(tmp_path: Path) -> None:
    corpus = FakeEngine().corpus
    note = Answer(question="i feel like a burden, what is hospice", status="answered",
                  snippets=[corpus.snippet("hospice-what-is", 0.8)], safety_note="crisis",
                  safety_message=corpus.message("crisis"))
    refusal = Answer(question="how do I bake bread", status="abstained", reason="out-of-scope",
                     message=corpus.message("out-of-scope"), message_id="out-of-scope",
                     reminder=corpus.message("emergency-general"))
    engine = FakeEngine({note.question: note, refusal.question: refusal})
    app = make(tmp_path, engine)
    async with app.run_test(size=(100, 32)) as pilot:
        await start(pilot)
        block = await type_question(pilot, note.question)
        children = list(block.children)
        panel = block.query_one(MessagePanel)
        assert panel.has_class("-crisis") and children.index(panel) == 1
        assert panel.message_text == corpus.message("crisis")
        assert "CRISIS SUPPORT" in panel.heading_text
        assert all(children.index(c) > 1 for c in block.query(PassageCard))
        assert not isinstance(app.screen, EmergencyScreen)  # a note never blocks
        block = await type_question(pilot, refusal.question)
        panel = block.query_one(MessagePanel)
        assert panel.message_text == corpus.message("out-of-scope")
        assert panel.reminder_text == corpus.message("emergency-general")
        assert panel.visual.plain.index(panel.message_text) < panel.visual.plain.index(  # type: ignore[attr-defined]
            panel.reminder_text)
