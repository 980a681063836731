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


async def until(pilot, condition, tries: int = 150) -> bool:  # noqa: ANN001
    """Pause until condition() holds, at most tries times 20 ms; return whether it held.

    The app scrolls a new answer into view after its first layout; on a loaded CI machine
    that lands a few refreshes after the worker is done, so a test that asks "is it in
    view" waits for it, bounded, instead of sampling once. The bound is 3 s of pauses
    (round 15: 0.8 s was once not enough for the third answer at 80x24 with both cores
    busy); an answer that never scrolls into view still fails.
    """
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return bool(condition())
