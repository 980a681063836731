"""The command palette's entries (Ctrl+P): every action of the app by name.

Textual's own entries are kept except those that would write what is on screen outside
the private data folder (screenshots).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from tui.labels import TOPIC_NAMES

if TYPE_CHECKING:
    from tui.app import ATCGuideApp

DROPPED = frozenset({"screenshot", "save screenshot"})
"""Textual's entries the app does not offer (a screenshot leaves the private folder)."""


def _go(app: ATCGuideApp, tab: str, topic: str | None = None) -> Callable[[], None]:
    def run() -> None:
        main = app.main_screen()
        if main is not None:
            main.go(tab, topic)

    return run


def app_commands(app: ATCGuideApp) -> Iterable[SystemCommand]:
    """The app's own entries; the session's only once a session is open."""
    yield SystemCommand("Keyboard help", "All the keys (F1 or ?)", app.action_help)
    yield SystemCommand("High contrast", "Turn high-contrast colours on or off (Ctrl+T)",
                        app.action_toggle_contrast)
    yield SystemCommand("Care team: prepare a conversation",
                        "Goals-of-care packet: situation, topics, print (F6)",
                        app.action_prepare)
    yield SystemCommand(f"Care team: review content ({app.awaiting_review} awaiting)",
                        "Approve or reject passages, prompts and messages (F7)",
                        app.action_review)
    if app.main_screen() is None:
        return
    yield SystemCommand("Ask a question", "Type a question (F2)", _go(app, "ask"))
    for topic, name in TOPIC_NAMES.items():
        yield SystemCommand(f"Guided topic: {name}", "Walk this topic step by step",
                            _go(app, "guided", topic))
    yield SystemCommand("Glossary", "Look up a medical word (F4)", _go(app, "glossary"))
    yield SystemCommand("My notes", "Saved passages and your questions (F5)", _go(app, "notes"))
    yield SystemCommand("Export handout", "Write HTML, PDF and Markdown to your data folder",
                        app.action_export)
    yield SystemCommand("Change my situation", "Stage, BRAF result, tracheostomy",
                        app.action_change_situation)
    yield SystemCommand("Delete this session", "Remove everything this session saved",
                        app.action_delete_session)


def keep_textual_command(command: SystemCommand) -> bool:
    return command.title.lower() not in DROPPED
