"""Keyboard help (F1), ending with the approved disclaimer (what this is and is not)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.safe import safe

Section = tuple[str, tuple[tuple[str, str], ...]]

KEYS: tuple[Section, ...] = (
    ("Anywhere", (
        ("F1", "this help"),
        ("F2 / F3 / F4 / F5", "Ask / Guided topics / Glossary / My notes (or click a tab)"),
        ("Tab, Shift+Tab", "move between parts of the screen"),
        ("Ctrl+P", "command palette: every action by name"),
        ("F8 (or Ctrl+T)", "high-contrast colours on / off"),
        ("Ctrl+Q", "quit (your session is already saved)"),
    )),
    ("Ask", (
        ("Type, then Enter", "ask; typing anywhere here goes to the question box"),
        ("Up", "go from the question box to the latest answer"),
        ("Ctrl+R", "go to the related questions; Enter asks one"),
        ("Escape", "back to the question box"),
    )),
    ("On a passage card", (
        ("Enter", "its actions: save it to My notes, words explained"),
        ("Save, Words explained", "the same, with the mouse"),
        ("Underlined word", "click it to read what it means"),
    )),
    ("Guided topics", (
        ("Up / Down, Enter", "choose a journey"),
        ("n or Right, b or Left", "next step, step back"),
        ("PgUp / PgDn", "scroll a long step"),
        ("a", "ask about this: your next questions keep the topic"),
    )),
    ("My notes", (
        ("Enter", "add the question you wrote; on a saved passage, read it again"),
        ("Delete", "remove the highlighted saved passage or question"),
    )),
)

CARE_TEAM_KEYS: tuple[Section, ...] = (
    ("Anywhere", (
        ("F1", "this help"),
        ("Tab, Shift+Tab", "move between parts of the screen"),
        ("Ctrl+P", "command palette"),
        ("F8", "high-contrast colours on / off"),
        ("Escape", "back (asks first when a packet would be lost)"),
        ("Ctrl+Q", "quit"),
    )),
    ("Prepare a conversation", (
        ("Assemble the packet", "a focused packet for the situation"),
        ("u / d", "move the highlighted entry up / down"),
        ("Delete", "remove it"),
        ("a, Add more...", "add an approved passage or prompt"),
        ("Ctrl+E, Export", "the family's pages and the talking points, HTML and PDF"),
    )),
    ("Review content", (
        ("F2", "the next list: pending, changed, approved, rejected"),
        ("Up / Down", "choose an item; its text and cited source show beside it"),
        ("Approve, Reject", "record your decision with your name and role"),
    )),
)


def help_content(keys: tuple[Section, ...] = KEYS, closing: str = "") -> Content:
    out = Content("")
    for section, rows in keys:
        out = out + Content(section).stylize("bold underline") + Content("\n")
        for key, what in rows:
            out = out + Content(f"  {key:<24}").stylize("bold") + Content(f"{what}\n")
        out = out + Content("\n")
    return out + safe(closing) if closing else out


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box {
        width: 84; max-width: 98%; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-scroll { height: auto; max-height: 100%; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
    ]
    AUTO_FOCUS = "#help-scroll"

    def __init__(self, *, care_team: bool = False, closing: str = "") -> None:
        """``closing``: approved text to end with (the disclaimer, or the trust line)."""
        super().__init__()
        self.keys = CARE_TEAM_KEYS if care_team else KEYS
        self.closing = closing

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.keys, self.closing), markup=False)
                yield Button(Content("Close (Esc)"), id="help-close")

    @on(Button.Pressed, "#help-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
