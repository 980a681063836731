"""Shared bits of the Textual app tests: a plain async runner and the injection strings."""

from __future__ import annotations

import asyncio
import functools

OSC_TITLE = "\x1b]0;pwned\x07"
"""An OSC 'set window title' sequence: must never reach the terminal."""
MARKUP = "[@click=app.quit]x[/]"
"""Textual markup with an action: must show as literal text, never run."""


def run_async(test):  # noqa: ANN001, ANN201 - a plain runner: no async plugin needed
    @functools.wraps(test)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(test(*args, **kwargs))

    return wrapper
