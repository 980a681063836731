"""``atc-guide serve``: the same app in a web browser, on this computer only.

textual-serve runs ``atc-guide app`` (this Python, ``-m atc_guide app``) once per
browser tab and streams it to the page. It listens on a loopback address only: the app
holds a person's questions and notes and has no log-in, so it is never offered to the
network. The page is served from the package's own template, which fetches nothing from
the internet (textual-serve's default one loads a web font from Google).
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from atc_guide.cli.errors import EXIT_FAILED, CliError
from botcore.config import Settings

TEMPLATES = Path(__file__).resolve().parent / "serve_templates"
TITLE = "ATC Guide"


def app_command(python: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab."""
    return f"{shlex.quote(python or sys.executable)} -m atc_guide app"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(host: str, port: int) -> None:
    if not is_loopback(host):
        raise CliError(f"atc-guide serve: '{host}' is not a loopback address; the app is "
                       "served on this computer only (use 127.0.0.1 or localhost)")
    if not 1 <= port <= 65535:
        raise CliError(f"atc-guide serve: port {port} is not between 1 and 65535")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve until interrupted. ``settings`` reach each app through the environment
    (``ATC_GUIDE_*``), like any other run of the app."""
    check_address(host, port)
    from textual_serve.server import Server  # noqa: PLC0415 - aiohttp: only when serving

    server = Server(app_command(), host=host, port=port, title=TITLE,
                    templates_path=TEMPLATES)
    try:
        server.serve()
    except OSError as exc:  # e.g. the port is in use
        raise CliError(f"atc-guide serve: cannot listen on {host}:{port}: "
                       f"{exc.strerror or type(exc).__name__}", EXIT_FAILED) from None
    return 0
