"""Keyboard help (? or F1)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Anywhere", (
        ("F1 or ?", "this help"),
        ("F2 / F3 / F4 / F5", "Ask / Guided topics / Glossary / My notes"),
        ("Tab, Shift+Tab", "move between parts of the screen"),
        ("Ctrl+P", "command palette: every action by name"),
        ("Ctrl+T", "high-contrast colours on / off"),
        ("Ctrl+Q", "quit (your session is already saved)"),
    )),
    ("Ask", (
        ("Enter", "ask the question you typed"),
        ("Up", "go from the question box to the latest answer"),
        ("Ctrl+R", "go to the related questions; Enter asks one"),
        ("Escape", "back to the question box"),
    )),
    ("On a passage card", (
        ("s", "save it to My notes (and your handout)"),
        ("w", "words explained: the underlined medical words"),
    )),
    ("Guided topics", (
        ("Up / Down, Enter", "choose a journey"),
        ("n or Right, b or Left", "next step, step back"),
        ("a", "ask about this: your next questions keep the topic"),
    )),
    ("My notes", (
        ("Enter", "add the question you wrote for your care team"),
        ("Delete", "remove the highlighted saved passage or question"),
    )),
)


def help_content() -> Content:
    out = Content("")
    for section, rows in KEYS:
        out = out + Content(section).stylize("bold underline") + Content("\n")
        for keys, what in rows:
            out = out + Content(f"  {keys:<24}").stylize("bold") + Content(f"{what}\n")
        out = out + Content("\n")
    return out + Content("ATC Guide shows passages approved for this guide, word for word, "
                         "with their source. It is not a clinician and nobody monitors it.")


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
        Binding("question_mark", "close", "Close", show=False),
    ]
    AUTO_FOCUS = "#help-scroll"

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(), markup=False)
                yield Button(Content("Close (Esc)"), id="help-close")

    @on(Button.Pressed, "#help-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
