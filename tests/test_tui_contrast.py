"""M4: every form label is readable: at least 4.5:1 (WCAG AA) against what is behind it,
in both themes, focused or not; computed from the colours the theme gives each label.

The group titles were border titles drawn in the blurred-border colour (1.07:1 in the
calm theme, black on black in high contrast); they are now text labels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList
from tui_host import FakeEngine, bundled_corpus
from tui_support import run_async

from botcore.config import Settings
from tui.app import build_app
from tui.care_team import CareTeamApp
from tui.screens.prep import PrepScreen
from tui.screens.review import ReviewScreen
from tui.screens.situation import SituationScreen
from tui.themes import CALM, HIGH_CONTRAST

MINIMUM = 4.5


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def label_ratios(app: App[object]) -> list[tuple[str, float]]:
    out = []
    widgets: list[Widget] = [*app.screen.query(".form-label"),
                             *app.screen.query(RadioButton), *app.screen.query(Checkbox)]
    for widget in widgets:
        _, _, background, color = widget.colors
        text = color if color.a == 1 else background + color
        name = getattr(widget, "label", None) or widget.visual
        out.append((str(getattr(name, "plain", name))[:30], contrast(text, background)))
    return out


def check(app: App[object], where: str, minimum_labels: int) -> None:
    ratios = label_ratios(app)
    assert len([r for r in ratios]) >= minimum_labels, (where, ratios)
    low = [(name, round(r, 2)) for name, r in ratios if r < MINIMUM]
    assert not low, (where, app.theme, low)
    for group in (*app.screen.query(RadioSet), *app.screen.query(SelectionList)):
        assert not group.border_title, (where, "a group titled only by its border")
    for box in app.screen.query(Checkbox):  # state as a shape, not colour alone
        assert ("\u2713" if box.value else " ") == box.BUTTON_INNER, (where, box.id)


class Host(App[None]):
    def __init__(self, screen_factory, theme: str) -> None:  # noqa: ANN001
        super().__init__()
        self.factory, self.theme_name = screen_factory, theme

    def on_mount(self) -> None:
        for theme in (CALM, HIGH_CONTRAST):
            self.register_theme(theme)
        self.theme = self.theme_name
        self.push_screen(self.factory())


@pytest.mark.parametrize("theme", [CALM.name, HIGH_CONTRAST.name])
@run_async
async def test_form_labels_reach_4_5_to_1_in_both_themes(theme: str, tmp_path: Path,
                                                          corpus_copy: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    app = build_app(settings, FakeEngine(), high_contrast=theme == HIGH_CONTRAST.name,
                    cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        check(app, "welcome", 3 + 9)
        app.push_screen(SituationScreen(set()))
        await pilot.pause()
        check(app, "situation", 3)
    corpus = bundled_corpus()
    for where, factory, minimum in (
            ("prep", lambda: PrepScreen(corpus, tmp_path / "p"), 8),
            ("review", lambda: ReviewScreen(corpus_copy, None), 3)):
        host = Host(factory, theme)
        async with host.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            check(host, where, minimum)
            # Focus each labelled group in turn: a label must not depend on focus.
            for group in host.screen.query(RadioSet):
                group.focus()
                await pilot.pause()
                check(host, f"{where} with {group.id} focused", minimum)
    care = CareTeamApp(settings, high_contrast=theme == HIGH_CONTRAST.name, cursor_blink=False)
    async with care.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        check(care, "care-team home", 2)
