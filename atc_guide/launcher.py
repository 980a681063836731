"""Browser mode's warm launcher: one process loads the app and the engine once, then forks
a ready copy for every browser tab.

Without it, ``atc-guide serve`` starts a whole new Python for each tab: importing Textual
and loading the engine cost about 1.3 s of CPU per tab, so four families opening the page
at once on a 2-core machine wait 4 s or more, each tab holding its own 170 MB. Here the
launcher (``python -m atc_guide.launcher SOCKET``, started by ``serve``) imports
everything and loads the engine in its only thread, then waits on a private Unix socket.
A tab's command is :mod:`atc_guide.tabclient`: a few-millisecond Python that hands the
launcher its standard input, output and error (``SCM_RIGHTS``) and the tab's id and size;
the launcher forks, and the child runs the app on those streams with the engine already
loaded (its pages shared with the launcher until written). The child reports its exit
code back over the connection, and the client exits with it, so textual-serve sees an
ordinary process. Each tab still has its own session file and its own process: a tab's
crash or "delete this session" touches no other.

Safety of the fork: the launcher never starts a thread or an event loop, and never runs a
search (so neither onnxruntime nor faiss has a thread pool to lose in the child). If the
engine had to export the model or build the index (threads), the launcher re-executes
itself first, so the process that forks loaded everything from the cache.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import re
import signal
import socket
import sys
from pathlib import Path
from typing import Any

TAB_ID = re.compile(r"[a-f0-9]{32}")
READY = "atc-guide launcher ready"
"""The line the launcher prints on its standard output once it accepts tabs."""
MAX_REQUEST = 4096
PARENT_CHECK_S = 2.0
"""How often the waiting launcher checks that serve, its parent, is still there."""
_REEXEC = "ATC_GUIDE_LAUNCHER_REEXEC"


def _load() -> tuple[Any, Any]:
    """Import the app and load the engine (the work every tab would otherwise redo)."""
    from botcore.config import Settings, force_offline  # noqa: PLC0415

    force_offline()
    settings = Settings()
    from botcore.engine import Engine  # noqa: PLC0415
    from tui.app import build_app  # noqa: PLC0415, F401 - imported here, used in the child

    engine = Engine.load(settings)
    return settings, engine


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The tab's request (JSON) and its three streams' descriptors."""
    fds = array.array("i")
    msg, ancdata, _, _ = conn.recvmsg(MAX_REQUEST, socket.CMSG_LEN(3 * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    request = json.loads(msg.decode("utf-8")) if msg else {}
    if not isinstance(request, dict) or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        raise ValueError("not a tab request")
    return request, list(fds)


def _run_tab(settings: Any, engine: Any, request: dict[str, Any], fds: list[int]) -> int:
    """In the forked child: the app on the tab's streams, with the loaded engine."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for name in ("COLUMNS", "ROWS"):
        value = request.get(name.lower())
        if isinstance(value, int) and 1 <= value <= 1000:
            os.environ[name] = str(value)
    session = request.get("session")
    from tui.app import build_app  # noqa: PLC0415 - already imported by the launcher

    app = build_app(settings, engine, session=session if isinstance(session, str) else None)
    result = app.run()
    return result if isinstance(result, int) else (1 if app.return_code else 0)


def _child(listener: socket.socket, conn: socket.socket, settings: Any, engine: Any,
           request: dict[str, Any], fds: list[int]) -> None:
    listener.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = 1
    try:
        code = _run_tab(settings, engine, request, fds)
    except BaseException:  # noqa: BLE001 - a tab's failure ends that tab only
        code = 1
    finally:
        with contextlib.suppress(OSError):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(bytes([code & 0xFF]))
        os._exit(code & 0xFF)


def is_tab_id(value: object) -> bool:
    """A browser tab's id as serve's page makes them: 32 lowercase hexadecimal characters,
    nothing else (not even a trailing line break). Serve checks the URL with it, and the
    launcher checks each request again: the socket is the trust edge."""
    return isinstance(value, str) and TAB_ID.fullmatch(value) is not None


def valid_session(value: object) -> bool:
    """A tab request's session: none (the terminal's one session) or a tab id."""
    return value is None or is_tab_id(value)


def serve_forever(path: Path) -> None:
    """Load, listen on ``path`` (owner-only), print READY, fork a child per tab."""
    settings, engine = _load()
    if engine.report.index != "loaded" and os.environ.get(_REEXEC) != "1":
        # The model export or the index build ran threads: start again from the cache.
        os.environ[_REEXEC] = "1"
        os.execv(sys.executable, [sys.executable, "-m", "atc_guide.launcher", str(path)])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)
    listener.settimeout(PARENT_CHECK_S)
    parent = os.getppid()
    print(READY, flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:  # serve is gone (even killed): so is the launcher
                path.unlink(missing_ok=True)
                return
            continue
        conn.settimeout(None)
        try:
            request, fds = _receive(conn)
            if not valid_session(request.get("session")):
                raise ValueError("bad tab id")
        except (OSError, ValueError):
            conn.close()
            continue
        if os.fork() == 0:
            _child(listener, conn, settings, engine, request, fds)
        for fd in fds:
            os.close(fd)
        conn.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m atc_guide.launcher SOCKET", file=sys.stderr)
        return 2
    try:
        serve_forever(Path(args[0]))
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
