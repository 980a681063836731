"""Each view of the patient app on a small host app with a fake engine (no model): the
views are typed on ``tui.context.GuideContext`` and post messages up, so none of these
tests needs the whole app."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from tui_host import FakeEngine, Host
from tui_support import run_async

from tui.widgets.answer import AnswerBlock, MessagePanel
from tui.widgets.chat import ChatView
from tui.widgets.glossary import GlossaryView
from tui.widgets.guided import GuidedView
from tui.widgets.notes import NotesView
from tui.widgets.passage_card import PassageCard
from tui.widgets.prompt import SafePrompt

SIZE = (100, 32)


def plain(widget: Static) -> str:
    return widget.visual.plain  # type: ignore[attr-defined]


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@run_async
async def test_chat_view_answers_in_order_on_a_host(tmp_path: Path) -> None:
    engine = FakeEngine({"what is a trach": ["trach-what-is"],
                         "what is hospice": ["hospice-what-is"]})
    app = Host(lambda: ChatView(id="chat"), tmp_path, engine)
    async with app.run_test(size=SIZE) as pilot:
        chat = app.query_one(ChatView)
        for question in ("what is a trach", "what is hospice", "how do I bake bread"):
            chat.ask(question)
        await settle(pilot)
        blocks = list(app.query(AnswerBlock))
        assert [b.answer.question for b in blocks] == engine.asked == [
            "what is a trach", "what is hospice", "how do I bake bread"]
        card = blocks[0].query_one(PassageCard)
        assert card.shown_text == engine.corpus.passages["trach-what-is"].text
        refusal = blocks[2].query_one(MessagePanel)
        assert plain(refusal.query_one(".panel-message", Static)) == \
            engine.corpus.message("weak-evidence")
        assert app.saves == 3  # each answer asks the host to save the session
        await pilot.click("#clear-topic")  # hidden while no topic: nothing happens
        app.topic = "airway"
        await pilot.pause()
        assert "Breathing" in plain(app.query_one("#topic-label", Static))


@run_async
async def test_notes_view_adds_questions_and_writes_the_handout(tmp_path: Path) -> None:
    app = Host(lambda: NotesView(id="notes"), tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app.state.save_passage("trach-what-is")
        notes = app.query_one(NotesView)
        notes.refresh_lists()
        box = notes.query_one("#question-input", SafePrompt)
        box.focus()
        await pilot.press(*"Can he still eat?", "enter")
        await pilot.pause()
        assert app.state.my_questions == ["Can he still eat?"]
        notes.export()
        await settle(pilot)
        folder = app.store.handouts_dir
        assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".md", ".pdf"]
        assert sorted(app.state.exports) == sorted(p.name for p in folder.iterdir())
        assert "Handout written" in plain(notes.query_one("#export-result", Static))


@run_async
async def test_glossary_and_guided_views_on_a_host(tmp_path: Path) -> None:
    app = Host(lambda: GlossaryView(id="glossary"), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(GlossaryView)
        view.query_one("#glossary-search", SafePrompt).focus()
        await pilot.press(*"hospice")
        await pilot.pause()
        assert "Hospice" in [t.term for t in view.shown]
        view.query_one("#glossary-list", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert view.shown[0].id in app.state.looked_up
    app = Host(lambda: GuidedView(id="guided"), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(GuidedView)
        path = app.corpus.guided_path("understanding")  # type: ignore[union-attr]
        assert f"Step 1 of {len(path)}" in view.step_label
        view.action_next()
        await pilot.pause()
        assert view.card is not None and view.card.shown_text == path[1].text
