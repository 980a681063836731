"""Numbers as the report prints them: rates with their Wilson interval, "n/a" for a
figure that could not be measured."""

from __future__ import annotations

import math

from evals.metrics import Rate


def pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f} %"


def rate_text(r: Rate | None, digits: int = 0) -> str:
    """HTML: '97 % (58/60; CI 91-99 %)', the interval in small print."""
    if r is None or not r.n or r.rate is None:
        return "n/a (0 cases)"
    return (
        f"{100 * r.rate:.{digits}f} % <span class=ci>({r.k}/{r.n}; CI "
        f"{100 * (r.lo or 0):.0f}\u2013{100 * (r.hi or 0):.0f} %)</span>"
    )


def rate_plain(r: Rate | None) -> str:
    """Plain text: '97 % (58/60; 95 % CI 91-99 %)'."""
    if r is None or not r.n or r.rate is None:
        return "n/a (0 cases)"
    return (
        f"{100 * r.rate:.0f} % ({r.k}/{r.n}; 95 % CI "
        f"{100 * (r.lo or 0):.0f}-{100 * (r.hi or 0):.0f} %)"
    )


def num(x: float | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.{digits}f}"
