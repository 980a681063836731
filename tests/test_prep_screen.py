"""The preparation screen on a small host app (Pilot): choose the situation, assemble the
packet, reorder, remove and add with keys, export HTML and PDF."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import OptionList, SelectionList, TabbedContent

from botcore.config import bundled_corpus_dir
from botcore.corpus import Corpus
from botcore.packet import PacketEntry, PatientSituation
from tui.screens.prep import AddEntryScreen, PrepScreen
from tui.widgets.prompt import SafePrompt

SIZE = (120, 40)


def run_async(test):  # noqa: ANN001, ANN201 - a plain runner: no async plugin needed
    @functools.wraps(test)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(test(*args, **kwargs))

    return wrapper


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(bundled_corpus_dir())


class Host(App[None]):
    def __init__(self, screen: PrepScreen) -> None:
        super().__init__()
        self.prep = screen

    def on_mount(self) -> None:
        self.push_screen(self.prep)


async def settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@run_async
async def test_prepare_edit_and_export_the_example(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "packets"
    screen = PrepScreen(corpus, out)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.packet is None
        # Stage IVC, BRAF V600E, no tracheostomy, hospice not yet discussed.
        for button in ("#sit-stage-ivc", "#sit-braf-v600e", "#sit-no-trach", "#hospice-no"):
            await pilot.click(button)
        screen.query_one("#prep-treatment", SafePrompt).value = "dabrafenib and trametinib"
        await pilot.pause()
        assert screen.situation == PatientSituation(
            stage="ivc", braf="v600e", trach=False, hospice_discussed=False,
            treatment="dabrafenib and trametinib")
        await pilot.click("#prep-assemble")
        await settle(pilot)
        packet = screen.packet
        assert packet is not None
        assert screen.query_one(TabbedContent).active == "prep-packet"
        ids = packet.passage_ids()
        assert {"braf-dabrafenib-trametinib", "airway-why-at-risk", "goals-what-is",
                "hospice-what-is"} <= set(ids)
        listing = screen.query_one("#prep-list", OptionList)
        assert listing.option_count == len(packet)
        assert listing.has_focus and listing.highlighted == 0
        assert corpus.passages[ids[0]].title in screen.preview_text

        # Reorder with keys: the first entry moves down twice, then up once.
        first = packet.entries[0]
        await pilot.press("d", "d")
        await pilot.pause()
        assert packet.entries[2] == first and listing.highlighted == 2
        await pilot.press("u")
        await pilot.pause()
        assert packet.entries[1] == first and listing.highlighted == 1
        # Remove it.
        await pilot.press("x")
        await pilot.pause()
        assert first not in packet.entries and listing.option_count == len(packet)

        # Add: pick a passage from the approved ones not in the packet (type to filter).
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddEntryScreen)
        await pilot.press(*"how well do braf")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "passage:braf-how-well" in packet
        added = packet.keys().index("passage:braf-how-well")
        assert packet.entries[added].section == "options"
        assert packet.entries[added + 1].section != "options"  # at the end of its part
        assert listing.highlighted == added

        # Nurse passages are marked in the preview.
        nurse = next(i for i, e in enumerate(packet.entries)
                     if e.kind == "passage" and corpus.passages[e.id].audience == "nurse")
        listing.highlighted = nurse
        await pilot.pause()
        assert screen.preview_text.startswith("For the care team")

        # Export HTML + PDF (same renderer as the patient handout).
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert [p.name for p in screen.exported] == ["packet.html", "packet.pdf"]
        html = (out / "packet.html").read_text(encoding="utf-8")
        assert "What is hospice?" in html and corpus.passages["braf-how-well"].title in html
        assert corpus.passages[first.id].title not in html
        assert "Current treatment: dabrafenib and trametinib" in html
        assert (out / "packet.pdf").read_bytes().startswith(b"%PDF")
        assert out.stat().st_mode & 0o777 == 0o700
        assert (out / "packet.pdf").stat().st_mode & 0o777 == 0o600


@run_async
async def test_topics_limit_the_parts_and_add_can_be_cancelled(corpus: Corpus,
                                                               tmp_path: Path) -> None:
    screen = PrepScreen(corpus, tmp_path / "out")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        topics = screen.query_one("#prep-topics", SelectionList)
        topics.deselect_all()
        await pilot.pause()
        assert screen.assemble() is None  # nothing to cover: a warning, no packet
        topics.select("planning")
        await pilot.pause()
        packet = screen.assemble()
        await settle(pilot)
        assert packet is not None and {e.section for e in packet.entries} == {"planning"}
        before = list(packet.entries)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddEntryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and packet.entries == before
        # Removing everything leaves an empty list, and export says to assemble first.
        for _ in range(len(before)):
            await pilot.press("x")
        await pilot.pause()
        assert not packet.entries
        screen.action_export()
        await settle(pilot)
        assert screen.exported == []


@run_async
async def test_add_screen_offers_only_what_is_not_in_the_packet(corpus: Corpus) -> None:
    entry = PacketEntry("passage", "braf-how-well", "options")
    modal = AddEntryScreen([(entry, "How well do BRAF-targeted drugs work for ATC?"),
                            (PacketEntry("prompt", "matters-most", "what-matters"),
                             "Prompt: [@click=app.quit]x[/]")])
    results: list[PacketEntry | None] = []

    class ModalHost(App[None]):
        def on_mount(self) -> None:
            self.push_screen(modal, results.append)

    app = ModalHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = modal.query_one("#add-list", OptionList)
        assert options.option_count == 2
        shown = options.get_option_at_index(1).prompt
        assert "[@click=app.quit]x[/]" in str(getattr(shown, "plain", shown))
        await pilot.press(*"zzz")
        await pilot.pause()
        assert options.option_count == 0
        await pilot.press("enter")  # nothing highlighted: nothing chosen
        await pilot.pause()
        assert app.screen is modal
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"braf", "enter")
        await settle(pilot)
    assert results == [entry]
