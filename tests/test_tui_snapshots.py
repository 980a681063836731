"""SVG snapshots of the main screens at a fixed size (100x32): welcome, an answer, the
emergency modal. Deterministic: the engine is injected, the cursor does not blink, the
screens show no clock, date or random content."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from botcore.config import Settings
from tui.app import ATCGuideApp, build_app

pytestmark = pytest.mark.model

SIZE = (100, 32)


def _app(engine, tmp_path: Path) -> ATCGuideApp:  # noqa: ANN001
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    return build_app(settings, engine, high_contrast=False, cursor_blink=False)


async def _ask(pilot: Pilot, question: str) -> None:
    app = pilot.app
    assert isinstance(app, ATCGuideApp)
    app.start_session(set(), resume=False)
    await pilot.pause()
    await pilot.pause()
    await pilot.press(*question, "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_snapshot_welcome(snap_compare, real_engine, tmp_path: Path) -> None:  # noqa: ANN001
    assert snap_compare(_app(real_engine, tmp_path), terminal_size=SIZE)


def test_snapshot_answer(snap_compare, real_engine, tmp_path: Path) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await _ask(pilot, "what is a tracheostomy")

    assert snap_compare(_app(real_engine, tmp_path), terminal_size=SIZE, run_before=run_before)


def test_snapshot_emergency_modal(snap_compare, real_engine, tmp_path: Path) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await _ask(pilot, "he can't breathe")

    assert snap_compare(_app(real_engine, tmp_path), terminal_size=SIZE, run_before=run_before)
