"""The packet being prepared, one line per entry; keys edit it (the screen does the
editing, on the messages this list posts)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList


class PacketList(OptionList):
    """The packet, one line per entry. Keys edit it; the screen does the editing."""

    BINDINGS = [
        Binding("ctrl+up,u", "move(-1)", "Move up"),
        Binding("ctrl+down,d", "move(1)", "Move down"),
        Binding("delete,x", "remove", "Remove"),
        Binding("a", "add", "Add"),
    ]

    @dataclass
    class Move(Message):
        """Move the highlighted entry by ``delta`` places."""

        delta: int

    @dataclass
    class Remove(Message):
        """Remove the highlighted entry."""

    @dataclass
    class Add(Message):
        """Pick an entry to add."""

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))

    def action_remove(self) -> None:
        self.post_message(self.Remove())

    def action_add(self) -> None:
        self.post_message(self.Add())
