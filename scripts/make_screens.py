"""Screenshots of every screen, for each user, at 80x24 and 120x40: ``docs/screens/``.

    .venv/bin/python scripts/make_screens.py [--out docs/screens] [--only NAME]

Drives the real apps headless with Pilot (the patient app on the real engine, the care
team's app on the bundled corpus), saves each screen as SVG and turns it into PNG with
headless Chromium (``/usr/bin/chromium``). The browser-mode screens are made by
``scripts/browser_screens.py``. Nothing here is a test: look at the pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from botcore.config import Settings, force_offline

CHROMIUM = Path("/usr/bin/chromium")
SIZES = ((120, 40), (80, 24))
CELL = (9.6, 19.2)  # px per terminal cell in Textual's SVG at its default font size


def to_png(svg: Path, png: Path, size: tuple[int, int]) -> None:
    width, height = int(size[0] * CELL[0]) + 40, int(size[1] * CELL[1]) + 80
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", f"--user-data-dir={profile}",
                        "--hide-scrollbars", f"--window-size={width},{height}",
                        f"--screenshot={png}", svg.as_uri()],
                       check=True, capture_output=True, timeout=120)
    shrink(png)


def shrink(png: Path, colors: int = 64) -> None:
    """A palette PNG: a third of the size, the same to the eye (docs/screens stays small)."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


Step = Callable[[Pilot], Awaitable[None]]


async def shoot(pilot: Pilot, out: Path, name: str, size: tuple[int, int]) -> None:
    await settle(pilot)
    svg = out / f"{name}_{size[0]}x{size[1]}.svg"
    svg.write_text(pilot.app.export_screenshot(title=name), encoding="utf-8")
    to_png(svg, svg.with_suffix(".png"), size)
    svg.unlink()
    print(svg.with_suffix(".png").name)


async def patient(engine: object, settings: Settings, out: Path, size: tuple[int, int]) -> None:
    from tui.app import build_app
    from tui.screens.main import MainScreen
    from tui.widgets.chat import ChatView
    from tui.widgets.guided import GuidedView

    app = build_app(settings, engine, high_contrast=False, cursor_blink=False)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        await shoot(pilot, out, "p01_welcome", size)
        await pilot.press("enter")
        await settle(pilot)
        for question in ("what is a tracheostomy", "what are the side effects of treatment",
                         "how long do people live with atc"):
            await pilot.press(*question, "enter")
            await settle(pilot)
        await shoot(pilot, out, "p02_third_answer_in_view", size)
        await pilot.press("up", "enter")
        await shoot(pilot, out, "p03_card_actions_menu", size)
        await pilot.press("down", "enter")
        await shoot(pilot, out, "p04_words_explained", size)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(*"his trach came out and he cant breathe", "enter")
        await shoot(pilot, out, "p05_emergency_modal", size)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"what is hospice", "enter")
        await shoot(pilot, out, "p06_banner_after_emergency", size)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.go("guided", "understanding")
        await settle(pilot)
        guided = main.query_one(GuidedView)
        guided.open("understanding", len(guided.path()) - 1)
        await shoot(pilot, out, "p07_guided_last_step", size)
        main.show_tab("glossary")
        await pilot.press(*"hospise")
        await shoot(pilot, out, "p08_glossary_typo", size)
        main.show_tab("ask")
        await settle(pilot)
        await pilot.press("up", "enter", "enter")  # save the hospice passage
        await settle(pilot)
        main.show_tab("notes")
        await settle(pilot)
        main.query_one("#question-input").focus()
        await pilot.press(*"Can he still eat with a trach?", "enter")
        await settle(pilot)
        main.export_handout()
        await shoot(pilot, out, "p09_my_notes_handout_saved", size)
        await pilot.press("f1")
        await shoot(pilot, out, "p10_help", size)
        await pilot.press("escape")
        main.query_one(ChatView)


async def care_team(settings: Settings, out: Path, size: tuple[int, int]) -> None:
    from tui.care_team import CareTeamApp

    app = CareTeamApp(settings, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*"Nurse Jo Example", "tab", *"oncology nurse (demonstration)")
        await shoot(pilot, out, "c01_care_team_home", size)
        app.action_prepare()
        await settle(pilot)
        for button in ("#sit-stage-ivc", "#sit-braf-v600e", "#sit-no-trach", "#hospice-no"):
            app.screen.query_one(button).value = True  # type: ignore[attr-defined]
        app.screen.query_one("#prep-for").value = "Mr A. Example and family"  # type: ignore[attr-defined]
        await shoot(pilot, out, "c02_prep_form", size)  # (settles: the choices are taken in)
        app.screen.assemble()  # type: ignore[attr-defined]
        await shoot(pilot, out, "c03_prep_focused_packet", size)
        app.screen.action_export()  # type: ignore[attr-defined]
        await shoot(pilot, out, "c04_prep_exported", size)
        await pilot.press("escape")
        await settle(pilot)
        app.action_review()
        await settle(pilot)
        app.screen.select("passage:hospice-what-is")  # type: ignore[attr-defined]
        await shoot(pilot, out, "c05_review_item_and_source", size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs/screens")
    args = parser.parse_args()
    force_offline()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    from botcore.engine import Engine

    with tempfile.TemporaryDirectory() as tmp:
        base = Settings()
        corpus = Path(tmp) / "corpus"
        shutil.copytree(base.corpus_dir, corpus)  # review decisions go to a copy
        engine = Engine.load(base)
        for size in SIZES:
            settings = base.model_copy(update={
                "data_dir": Path(tmp) / f"data{size[0]}",
                "documents_dir": Path(tmp) / f"docs{size[0]}", "corpus_dir": corpus})
            asyncio.run(patient(engine, settings.model_copy(
                update={"corpus_dir": base.corpus_dir}), out, size))
            asyncio.run(care_team(settings, out, size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
