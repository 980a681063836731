"""The emergency screen: the approved emergency or crisis message, before anything else.

It cannot be missed or mistaken: it covers the app, its heading is in words
("EMERGENCY", "CRISIS SUPPORT"; never colour alone), its border and heading are drawn so
they still stand out without colour (NO_COLOR, high contrast), and it closes only when
the reader presses its button: Escape or stray typing does not dismiss it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.labels import TIER_HEADINGS
from tui.safe import safe

CLOSE_LABEL = "I have read this - close"


class EmergencyScreen(ModalScreen[bool]):
    """Dismissed with ``True`` once the reader has acknowledged the message."""

    CSS_PATH = "emergency.tcss"
    AUTO_FOCUS = "#emergency-ok"

    def __init__(self, message: str, tier: str | None) -> None:
        super().__init__(classes=f"-{tier or 'emergency'}")
        self.message = message
        self.tier = tier or "emergency"

    @property
    def heading(self) -> str:
        return TIER_HEADINGS.get(self.tier, TIER_HEADINGS["emergency"])

    def compose(self) -> ComposeResult:
        with Vertical(id="emergency-box"):
            yield Static(Content(f"!!  {self.heading}  !!"), id="emergency-heading", markup=False)
            with VerticalScroll(id="emergency-body"):
                yield Static(safe(self.message), id="emergency-message", markup=False)
            yield Button(CLOSE_LABEL, id="emergency-ok", variant="error")

    @on(Button.Pressed, "#emergency-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @property
    def shown_text(self) -> str:
        return self.query_one("#emergency-message", Static).visual.plain  # type: ignore[attr-defined]
