"""What the command line needs from the terminal: one-line errors, a progress bar, and
standard input and arguments that never crash on a bad encoding."""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from botcore.sanitize import display_safe


def err(text: str) -> None:
    print(display_safe(text), file=sys.stderr)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (plain lines when it is not a terminal)."""
    if not sys.stderr.isatty():
        last = [-1]

        def plain(done: int, total: int) -> None:
            pct = int(100 * done / max(total, 1))
            if pct // 25 != last[0] // 25 or done == total:
                print(f"{label}: {done}/{total} ({pct}%)", file=sys.stderr)
                last[0] = pct

        yield plain
        return
    # Started on the first update only (loading a cached index shows no bar at all, and
    # imports no rich: ``ask`` on a terminal stays free of UI libraries); stopped when done.
    bar: list[Any] = []
    task: list[int] = []

    def update(done: int, total: int) -> None:
        if not bar:
            from rich.console import Console  # noqa: PLC0415
            from rich.progress import (  # noqa: PLC0415
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TimeElapsedColumn,
            )

            bar.append(Progress("[progress.description]{task.description}", BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(stderr=True)))
            bar[0].start()
            task.append(bar[0].add_task(label, total=total))
        bar[0].update(task[0], completed=done, total=total)
        if done >= total:  # finished: make way for the next bar (one live display at a time)
            bar.pop().stop()
            task.clear()

    try:
        yield update
    finally:
        if bar:
            bar[0].stop()


def reconfigure(stream: object, **options: str) -> None:
    # Not a TextIOWrapper (a test's StringIO), or already read from: leave it as it is.
    with suppress(AttributeError, ValueError, OSError):
        stream.reconfigure(**options)  # type: ignore[attr-defined]


def tolerate_undecodable_input() -> None:
    """Standard input that is not valid in the locale's encoding (a broken paste, a lone
    surrogate, Latin-1 bytes under a UTF-8 locale) must not crash ``ask``: undecodable
    bytes arrive as lone surrogates, which the engine's sanitizer replaces. (Under a
    UTF-8 locale other than C.UTF-8, Python's default for stdin is "strict".) Under an
    ASCII locale, input is read as UTF-8, so that "se salió la cánula" still escalates."""
    if encoding_name(sys.stdin) == "ascii":
        reconfigure(sys.stdin, encoding="utf-8", errors="surrogateescape")
    else:
        reconfigure(sys.stdin, errors="surrogateescape")


def argument_text(arg: str) -> str:
    """A command-line question; under an ASCII locale its bytes are read as UTF-8."""
    if encoding_name(sys.getfilesystemencoding()) == "ascii":
        return os.fsencode(arg).decode("utf-8", "surrogateescape")
    return arg


def encoding_name(stream: object) -> str:
    """The codec name of a stream's encoding (or of an encoding name)."""
    encoding = stream if isinstance(stream, str) else getattr(stream, "encoding", None)
    try:
        return codecs.lookup(encoding or "ascii").name
    except LookupError:
        return "ascii"


def is_unicode(stream: TextIO) -> bool:
    """True when the stream's encoding can write any character (UTF-8/16/32)."""
    return encoding_name(stream).startswith("utf")
