"""What the app is doing while it gets ready: one status line, and a real progress bar
with an honest estimate of the time left while the search index is built (first run
only). The estimate is the measured rate so far, never a promise made in advance."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from tui.safe import safe


def time_left(seconds: float | None) -> str:
    """"about 40 seconds left", "about 2 minutes left", or "working out the time left"."""
    if seconds is None:
        return "working out the time left"
    if seconds < 10:
        return "a few seconds left"
    if seconds < 90:
        return f"about {int(round(seconds / 5.0) * 5)} seconds left"
    return f"about {int(round(seconds / 60.0))} minutes left"


def progress_line(done: int, total: int, seconds_left: float | None, waiting: int = 0) -> str:
    then = ("You can type your question now." if not waiting else
            "Your question will be answered then." if waiting == 1 else
            f"Your {waiting} questions will be answered then.")
    return (f"Preparing the search index (first time only): {done} of {total} \u00b7 "
            f"{time_left(seconds_left)}. {then}")


class LoadStatus(Vertical):
    """The status line, with the progress bar below it while the index is built."""

    DEFAULT_CSS = """
    LoadStatus { height: auto; padding: 0 1; }
    LoadStatus #status-line { height: auto; color: $text; }
    LoadStatus ProgressBar { display: none; height: 1; }
    LoadStatus ProgressBar.-shown { display: block; }
    LoadStatus ProgressBar Bar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="status-line", markup=False)
        yield ProgressBar(total=100, show_eta=False, id="load-bar")

    def say(self, text: str) -> None:
        line = self.query_one("#status-line", Static)
        line.update(safe(text) if text else Content(""))
        line.display = bool(text)  # no empty row above the question box

    def progress(self, done: int, total: int, seconds_left: float | None,
                 waiting: int = 0) -> None:
        bar = self.query_one("#load-bar", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        bar.add_class("-shown")
        self.say(progress_line(done, total, seconds_left, waiting))

    def hide_bar(self) -> None:
        self.query_one("#load-bar", ProgressBar).remove_class("-shown")

    @property
    def text(self) -> str:
        return self.query_one("#status-line", Static).visual.plain  # type: ignore[attr-defined]
