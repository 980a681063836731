"""A browser tab's command in ``atc-guide serve``: hand this process's streams to the warm
launcher (:mod:`atc_guide.launcher`) and exit with the app's exit code.

    python -m atc_guide.tabclient SOCKET [--session TAB_ID]

It imports only the standard library, so it starts in milliseconds. When the launcher
cannot be reached (not started yet, or gone), it runs the app itself, exactly as a tab did
before the launcher existed: a tab is never left without its app.
"""

from __future__ import annotations

import array
import json
import os
import socket
import sys


def _size(name: str) -> int | None:
    try:
        return int(os.environ.get(name, ""))
    except ValueError:
        return None


def _fallback(session: str | None) -> None:
    """Run the app in this process instead (replaces it; never returns)."""
    argv = [sys.executable, "-m", "atc_guide", "app"]
    if session is not None:
        argv += ["--session", session]
    os.execv(sys.executable, argv)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    session = None
    if len(args) == 3 and args[1] == "--session":
        session = args[2]
    elif len(args) != 1:
        print("usage: python -m atc_guide.tabclient SOCKET [--session TAB_ID]", file=sys.stderr)
        return 2
    request = json.dumps({"session": session, "columns": _size("COLUMNS"),
                          "rows": _size("ROWS")}).encode("utf-8")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(args[0])
        conn.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                  array.array("i", [0, 1, 2]))])
    except OSError:
        conn.close()
        _fallback(session)
    # The app writes to the tab's pipes now; keep no copy open here, so that the end of
    # the app is the end of the stream textual-serve reads.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    try:
        code = conn.recv(1)
    except OSError:
        code = b""
    return code[0] if code else 1


if __name__ == "__main__":
    raise SystemExit(main())
