"""A text input that can only ever hold displayable text.

Textual's ``Input`` renders its value through Rich, which passes ESC through: a pasted
``ESC ] 0 ; title BEL`` would reach the terminal and retitle it (safety.md §2). Every
way text gets in (typing, paste, clipboard, setting ``value``) goes through ``replace``
or the ``value`` validator, and both run the one display sanitizer. Markup is never
parsed from an input's value, so ``[@click=app.quit]`` stays literal text.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from botcore.sanitize import display_safe


def _one_line(text: str) -> str:
    # An input is one line: line breaks in pasted text (\r\n, \r or \n) become spaces
    # before the sanitizer would make a lone \r visible as "\u240d".
    text = text.replace("\r\n", " ").replace("\r", " ")
    return display_safe(text).replace("\n", " ").replace("\t", " ")


class SafePrompt(Input):
    """``Input`` whose value is always sanitized."""

    def on_mount(self) -> None:
        # Snapshots must not depend on where a blinking cursor happens to be.
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))

    def _on_paste(self, event: events.Paste) -> None:
        # Textual's Input keeps only the first line of a paste: a red flag on line two
        # ("...\nnow he can't breathe") would be dropped. Keep every line, as spaces.
        event.stop()
        event.prevent_default()  # Input's own paste handler must not run as well
        text = _one_line(event.text)
        if text:
            start, end = sorted(self.selection)
            self.replace(text, start, end)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(_one_line(text), start, end)

    def validate_value(self, value: str) -> str:
        return _one_line(value)
