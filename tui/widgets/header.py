"""The app's title bar: its "?" opens the keyboard help (F1), not the command palette
(Ctrl+P), so the icon means what it shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Click
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class HelpIcon(HeaderIcon):
    def on_mount(self) -> None:
        self.tooltip = "Help (F1)"

    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.run_action("app.help")


class AppHeader(Header):
    def __init__(self) -> None:
        super().__init__(icon="?")

    def compose(self) -> ComposeResult:
        yield HelpIcon().data_bind(Header.icon)
        yield HeaderTitle()
        yield HeaderClockSpace()
