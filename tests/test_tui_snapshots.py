"""SVG snapshots of the main screens at fixed sizes: welcome, an answer, the emergency
modal (the patient app, real engine), and the care team's prep and review screens (the
bundled corpus), at 100x32 and, for the screens the walk-through found broken at 80
columns, at 80x24 too. Deterministic: the engine is injected, the cursor does not
blink, no clock; the prep screen's date is fixed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from botcore.config import Settings, bundled_corpus_dir
from botcore.corpus import Corpus
from tui.app import ATCGuideApp, build_app
from tui.screens.prep import PrepScreen
from tui.screens.review import ReviewScreen
from tui.themes import CALM, THEMES

SIZE = (100, 32)


def _app(engine, tmp_path: Path) -> ATCGuideApp:  # noqa: ANN001
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    return build_app(settings, engine, high_contrast=False, cursor_blink=False)


async def _ask(pilot: Pilot, *questions: str) -> None:
    app = pilot.app
    assert isinstance(app, ATCGuideApp)
    app.start_session(set(), resume=False)
    await pilot.pause()
    await pilot.pause()
    for question in questions:
        await pilot.press(*question, "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()


@pytest.mark.model
def test_snapshot_welcome(snap_compare, real_engine, tmp_path: Path) -> None:  # noqa: ANN001
    assert snap_compare(_app(real_engine, tmp_path), terminal_size=SIZE)


@pytest.mark.model
@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x32", "80x24"])
def test_snapshot_answer(snap_compare, real_engine, tmp_path: Path,  # noqa: ANN001
                         size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        # One question: after a second one, the picture raced between the new answer
        # scrolled to the top (what the app shows; tmux) and the pilot's earlier frame
        # (a fresh-clone CI run caught the first, the recording held the second).
        await _ask(pilot, "what is hospice")

    assert snap_compare(_app(real_engine, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.model
def test_snapshot_emergency_modal(snap_compare, real_engine, tmp_path: Path) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await _ask(pilot, "he can't breathe")

    assert snap_compare(_app(real_engine, tmp_path), terminal_size=SIZE, run_before=run_before)


class CareHost(App[None]):
    def __init__(self, screen) -> None:  # noqa: ANN001
        super().__init__()
        self.first, self.cursor_blink = screen, False

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = CALM.name
        self.push_screen(self.first)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_prep(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    corpus = Corpus(bundled_corpus_dir())
    screen = PrepScreen(corpus, tmp_path / "packets", prepared_by="Nurse B",
                        today=date(2026, 12, 3))

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        for button in ("#sit-stage-ivc", "#sit-braf-v600e", "#sit-no-trach", "#hospice-no"):
            screen.query_one(button).value = True  # type: ignore[attr-defined]
        await pilot.pause()  # the radio sets take in their new choice
        await pilot.pause()
        screen.assemble()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(CareHost(screen), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_review(snap_compare, corpus_copy: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    screen = ReviewScreen(corpus_copy, None, state="approved", reviewer="Dr A",
                          role="oncologist")

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        screen.select("passage:hospice-what-is")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(CareHost(screen), terminal_size=size, run_before=run_before)
