"""Browser tabs as ``atc-guide serve`` opens them now: forks of the warm launcher.

Each tab is started the way textual-serve starts it (its command with pipes for standard
input and output, the web driver's environment) and is ready when the app's first screen
has reached the tab's output: a forked tab has the engine loaded already, so the welcome
is the question box's screen. Run as subprocesses only (the evals import no UI code).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from evals.bench_procs import _memory_mb

WEB_DRIVER_ENV = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
                  "TEXTUAL_FPS": "60", "TEXTUAL_COLOR_SYSTEM": "truecolor",
                  "TERM_PROGRAM": "textual", "COLUMNS": "120", "ROWS": "40"}
"""What textual-serve sets for every app it runs (textual_serve.app_service)."""
READY_MARK = b"Welcome"


@dataclass
class TabRun:
    ready_s: float
    rss_mb: float
    pss_mb: float


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(x) for x in handle.read().split()]
    except OSError:
        return []


def read_until(stream: int, marker: bytes, timeout_s: float) -> bytes:
    """What an app wrote to ``stream`` until ``marker`` appeared, the stream ended or the
    time ran out (the caller looks for the marker in what comes back)."""
    got, deadline = b"", time.monotonic() + timeout_s
    while marker not in got and time.monotonic() < deadline:
        chunk = os.read(stream, 65536)
        if not chunk:
            break
        got += chunk
    return got


def quit_packet() -> bytes:
    """textual-serve's "quit" message to an app, as its AppService frames it."""
    payload = json.dumps({"type": "quit"}).encode()
    return b"M" + len(payload).to_bytes(4, "big") + payload


def _quit(client: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError, ValueError):
        assert client.stdin is not None and client.stdout is not None
        client.stdin.write(quit_packet())
        client.stdin.close()
        client.stdout.read()
        client.stdout.close()
    try:
        client.wait(timeout=30)
    except subprocess.TimeoutExpired:
        client.kill()
        client.wait()


def tabs_ready(n: int, env: dict[str, str], timeout_s: float = 90.0) -> list[TabRun]:
    """Start a launcher, wait until it is ready, then open ``n`` tabs at the same moment."""
    env = {**env, **WEB_DRIVER_ENV}
    folder = Path(tempfile.mkdtemp(prefix="atc-guide-tabs-"))
    sock = folder / "launcher.sock"
    launcher = subprocess.Popen([sys.executable, "-m", "atc_guide.launcher", str(sock)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert launcher.stdout is not None
        if not launcher.stdout.readline().strip():
            raise SystemExit("the launcher did not start")
        started = time.perf_counter()
        clients = [subprocess.Popen(
            [sys.executable, "-m", "atc_guide.tabclient", str(sock), "--session", f"{i:032x}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env) for i in range(n)]
        ready: dict[int, float] = {}

        def watch(i: int, client: subprocess.Popen[bytes]) -> None:
            assert client.stdout is not None
            shown = read_until(client.stdout.fileno(), READY_MARK, timeout_s)
            ready[i] = time.perf_counter() - started if READY_MARK in shown else float("nan")

        threads = [threading.Thread(target=watch, args=(i, c)) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        memory = [_memory_mb(pid) for pid in _children(launcher.pid)]
        for client in clients:
            _quit(client)
        return [TabRun(ready[i], *(memory[i] if i < len(memory) else (0.0, 0.0)))
                for i in range(n)]
    finally:
        launcher.terminate()
        launcher.wait(timeout=30)
        if launcher.stdout is not None:
            launcher.stdout.close()
        with contextlib.suppress(OSError):
            sock.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
