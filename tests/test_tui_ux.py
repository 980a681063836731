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
from tui_support import run_async, until

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
            assert await until(pilot, lambda shown=block: asked_in_view(main, shown)), (
                f"answer {number} is not on screen at {size}")
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


# -- M2: the notes box goes through the safety screen -----------------------------------------
NOTE = "he cant breathe when lying down, is that normal?"


@run_async
async def test_m2_an_emergency_written_in_my_notes_opens_the_emergency_screen(
        tmp_path: Path) -> None:
    engine = FakeEngine({**SCRIPT, NOTE: ("escalated", "emergency", "emergency-airway")})
    app = make(tmp_path, engine)
    async with app.run_test(size=(100, 32)) as pilot:
        main = await start(pilot)
        main.show_tab("notes")
        await pilot.pause()
        main.query_one("#question-input", SafePrompt).focus()
        await pilot.press(*NOTE, "enter")
        await settle(pilot)
        assert engine.asked == [NOTE]
        screen = app.screen
        assert isinstance(screen, EmergencyScreen)
        assert screen.shown_text == engine.corpus.message("emergency-airway")
        assert app.state.my_questions == [NOTE]  # the question is kept
        await pilot.press("enter")
        main.show_tab("ask")
        await settle(pilot)
        banner = main.query_one("#banner-text", Static)
        assert main.query_one("#safety-banner").has_class("-shown")
        assert engine.corpus.message("emergency-airway")[:40] in plain(banner)


# -- M3: a resumed session repeats the message that was seen ----------------------------------
@run_async
async def test_m3_resume_shows_the_same_emergency_message(tmp_path: Path) -> None:
    app = make(tmp_path)
    question = "his trach came out and he cant breathe"
    async with app.run_test(size=(100, 32)) as pilot:
        await start(pilot)
        await type_question(pilot, question)
        assert isinstance(app.screen, EmergencyScreen)
        await pilot.press("enter")
        await settle(pilot)
    again = make(tmp_path)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert again.screen.query_one("#continue").display
        await pilot.press("enter")  # a returning user's Enter means Continue (m2)
        await settle(pilot)
        main = again.screen
        assert isinstance(main, MainScreen)
        text = plain(main.query_one("#banner-text", Static))
        airway = again.corpus.message("emergency-airway")  # type: ignore[union-attr]
        assert "shown earlier" in text and airway[:40] in text
        assert again.corpus.message("emergency-general")[:30] not in text  # type: ignore[union-attr]
        await pilot.click("#banner-read")
        await settle(pilot)
        assert isinstance(again.screen, EmergencyScreen)
        assert again.screen.shown_text == airway


# -- M6: handouts you can use -----------------------------------------------------------------
@run_async
async def test_m6_handout_open_print_and_download(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.opener

    opened: list[Path] = []
    monkeypatch.setattr(tui.opener, "_default_viewer", lambda path: opened.append(path) or True)
    app = make(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        main = await start(pilot)
        main.show_tab("notes")
        await pilot.pause()
        assert main.query_one("#handout-open").disabled
        assert not main.query_one("#handout-download").display  # a terminal: no download
        await pilot.click("#export")
        await settle(pilot)
        folder = tmp_path / "user-documents" / "Handouts"  # Documents/ATC Guide/Handouts
        files = sorted(folder.iterdir())
        assert [p.suffix for p in files] == [".html", ".md", ".pdf"]
        assert all(p.name.startswith("atc-guide-handout-20") for p in files)  # dated
        await pilot.click("#handout-open")
        await pilot.click("#handout-print")
        await pilot.pause()
        assert [p.suffix for p in opened] == [".html", ".pdf"]
        await pilot.click("#export")  # a second export never overwrites the first
        await settle(pilot)
        assert len(list(folder.iterdir())) == 6
    # Browser mode: the files are delivered to the browser, opened or downloaded.
    delivered: list[tuple[str, str]] = []
    monkeypatch.setattr(ATCGuideApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(ATCGuideApp, "deliver_binary", lambda self, path, **kw: delivered.append(
        (Path(path).suffix, kw["open_method"])))
    web = make(tmp_path / "web")
    async with web.run_test(size=(100, 32)) as pilot:
        main = await start(pilot)
        main.show_tab("notes")
        await pilot.pause()
        assert main.query_one("#handout-download").display
        await pilot.click("#export")
        await settle(pilot)
        for button in ("#handout-open", "#handout-print", "#handout-download"):
            await pilot.click(button)
        await pilot.pause()
        assert delivered == [(".html", "browser"), (".pdf", "browser"), (".pdf", "download"),
                             (".html", "download")]
        assert len(opened) == 2  # nothing more was opened on the server side


# -- m15: one session per browser tab ---------------------------------------------------------
@run_async
async def test_m15_two_concurrent_tab_sessions_never_touch_each_other(tmp_path: Path) -> None:
    import asyncio

    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    tab_a, tab_b = "a" * 32, "b" * 32

    def tab(session: str) -> ATCGuideApp:
        return build_app(settings, FakeEngine(SCRIPT), high_contrast=False, cursor_blink=False,
                         session=session)

    first, second = tab(tab_a), tab(tab_b)
    async with first.run_test(size=(100, 32)) as one, second.run_test(size=(100, 32)) as two:
        await asyncio.gather(start(one), start(two))
        first.state.add_question("a question from tab A")
        first.autosave()
        await type_question(two, "what is hospice")
        assert first.store.path != second.store.path
        # Tab B starts over and deletes its session: tab A's notes are untouched.
        second.action_delete_session()
        await settle(two)
        await two.click("#confirm-yes")
        await settle(two)
        assert not second.store.path.exists()
        assert first.store.path.exists()
        assert first.store.load().my_questions == ["a question from tab A"]  # type: ignore[union-attr]
    again = tab(tab_a)  # the same tab reloaded: its own session is there to continue
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert again.screen.query_one("#continue").display
    fresh = tab("c" * 32)  # a new tab: nothing to continue
    async with fresh.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert not fresh.screen.query_one("#continue").display


def test_m15_each_tab_runs_its_own_app_command() -> None:
    from atc_guide.serve import app_command

    assert app_command("py", session="0" * 32) == f"py -m atc_guide app --session {'0' * 32}"
    assert app_command("py", care_team=True) == "py -m atc_guide care-team"
    with pytest.raises(ValueError):
        app_command("py", session="../../etc")


# -- M10: review and packets live in the care team's own app ----------------------------------
@run_async
async def test_m10_the_patient_app_offers_no_review_and_says_nothing_about_it(
        tmp_path: Path) -> None:
    from tui.screens.prep import PrepScreen
    from tui.screens.review import ReviewScreen

    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        assert "review" not in f"{app.title} {app.sub_title}".lower()
        await pilot.press("f6", "f7")
        await settle(pilot)
        assert not isinstance(app.screen, PrepScreen | ReviewScreen)
        titles = " ".join(c.title for c in app.get_system_commands(app.screen)).lower()
        assert "review" not in titles and "care team" not in titles and "prepare" not in titles


@run_async
async def test_m10_care_team_decisions_record_the_reviewer_as_entered(
        corpus_copy: Path, tmp_path: Path) -> None:
    from botcore.corpus import Corpus
    from tui.care_team import CareTeamApp
    from tui.screens.review import ReviewScreen

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_copy)
    app = CareTeamApp(settings, cursor_blink=False)
    before = len(Corpus(corpus_copy).ledger.records)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#care-review")  # no name or role yet
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.select("message:crisis")
        await settle(pilot)
        assert not review.decide("rejected")
        assert len(Corpus(corpus_copy).ledger.records) == before  # refused
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#care-name", SafePrompt).value = "Dr  Jane Q. Reviewer"
        app.screen.query_one("#care-role", SafePrompt).value = "palliative care physician"
        await pilot.click("#care-review")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.select("message:crisis")
        await settle(pilot)
        assert review.decide("rejected")
        await settle(pilot)
    record = Corpus(corpus_copy).ledger.records[-1]
    assert (record.reviewer, record.role) == ("Dr Jane Q. Reviewer", "palliative care physician")
    assert record.item == "message:crisis" and record.decision == "rejected"


# -- M11: one honest statement everywhere while approvals are demonstrations ------------------
@run_async
async def test_m11_trust_wording_is_the_same_plain_thing_everywhere(tmp_path: Path) -> None:
    from datetime import date

    from botcore.export import build_handout, build_packet_documents, render
    from botcore.glossary_terms import TermIndex
    from botcore.packet import PatientSituation, assemble
    from botcore.trust import trust

    corpus = FakeEngine().corpus
    honest = trust(corpus)
    assert honest.demonstration and honest.line == corpus.message("trust-demo")
    assert honest.disclaimer == corpus.message("disclaimer-demo")
    assert "clinicians approved" in corpus.message("disclaimer")  # the claim it replaces
    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert plain(app.screen.query_one("#disclaimer", Static)) == honest.disclaimer
        main = await start(pilot)
        assert honest.line in plain(main.query_one("#always-visible", Static))
        await pilot.press("f1")
        await settle(pilot)
        shown = " ".join(app.screen.query_one(Static).visual.plain.split())  # type: ignore[attr-defined]
        assert " ".join(honest.disclaimer.split()) in shown
    terms = TermIndex(corpus.approved_glossary())
    handout = build_handout(corpus, app.state.to_handout_notes(), terms, date(2026, 12, 1))
    packet = assemble(corpus, PatientSituation())
    docs = [handout, *build_packet_documents(corpus, packet, terms, date(2026, 12, 1)).values()]
    for doc in docs:
        html = render(doc, "html").decode("utf-8")
        assert honest.line in html and "clinicians approved" not in html, doc.title
        assert "approved for ATC Guide" not in html


# -- m13: review feedback, the next item, nurse-only, a diff without git ----------------------
@run_async
async def test_m13_review_moves_on_and_shows_the_diff_without_git(corpus_copy: Path) -> None:
    import re as regex

    from textual.app import App

    from botcore.corpus import Corpus
    from tui.screens.review import ReviewScreen

    path = corpus_copy / "passages" / "planning.yaml"
    text = path.read_text(encoding="utf-8")
    # Approve the current text through the one rule, which keeps it beside the ledger.
    from botcore.review import record_decision

    corpus = Corpus(corpus_copy)
    item = next(i for i in corpus.review_items() if i.item == "passage:hospice-what-is")
    record_decision(corpus, item, "approved", "Dr A", "oncologist")
    edited = regex.sub(r"(- id: hospice-what-is\n(?:.*\n)*?  text: >-\n    )",
                       r"\1A new first sentence. ", text, count=1)
    path.write_text(edited, encoding="utf-8")
    for pid in ("hospice-who-for",):  # a second changed item, so "next" has somewhere to go
        path.write_text(regex.sub(rf"(- id: {pid}\n(?:.*\n)*?  text: >-\n    )",
                                  r"\1Another new sentence. ", path.read_text(), count=1))

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ReviewScreen(corpus_copy, None, state="changed",
                                          reviewer="Nurse B", role="palliative care nurse"))

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.select("passage:hospice-what-is")
        await settle(pilot)
        assert "approved-texts.jsonl" in screen.diff_text  # no git checkout here
        assert "{+A new first sentence. +}" in screen.diff_text
        notes: list[str] = []
        screen.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.click("#review-approve")
        await settle(pilot)
        assert notes and notes[-1].startswith("Approved: What is hospice?")
        assert screen.selected is not None and screen.selected.item != "passage:hospice-what-is"
        assert screen.selected.status.state == "changed"  # the next item of the same list
    record = Corpus(corpus_copy).ledger.records[-1]
    assert (record.item, record.reviewer, record.meaning) == (
        "passage:hospice-what-is", "Nurse B", "patient-facing")


# -- m9: packets are removed by "delete this session" -----------------------------------------
@run_async
async def test_m9_the_care_team_session_deletes_its_packets(tmp_path: Path) -> None:
    from tui.care_team import CareTeamApp
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.prep import PrepScreen

    settings = Settings(data_dir=tmp_path / "data", documents_dir=tmp_path / "documents")
    app = CareTeamApp(settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_prepare()
        await settle(pilot)
        prep = app.screen
        assert isinstance(prep, PrepScreen)
        prep.assemble()
        prep.action_export()
        await settle(pilot)
        packets = tmp_path / "documents" / "Packets"
        written = sorted(packets.iterdir())
        assert len(written) == 4 and set(app.store.packets()) == {p.name for p in written}
        other = packets / "someone-elses-file.pdf"  # not this session's: left alone
        other.write_bytes(b"%PDF")
        await pilot.press("escape")
        await settle(pilot)
        app.action_delete_session()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert sorted(packets.iterdir()) == [other] and not app.store.path.exists()
