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


def _until_ready(stream: int, started: float, timeout_s: float) -> float:
    got = b""
    while READY_MARK not in got and time.perf_counter() - started < timeout_s:
        chunk = os.read(stream, 65536)
        if not chunk:
            return float("nan")
        got += chunk[-4096:] if len(got) > 65536 else chunk
    return time.perf_counter() - started if READY_MARK in got else float("nan")


def _quit(client: subprocess.Popen[bytes]) -> None:
    payload = json.dumps({"type": "quit"}).encode()
    with contextlib.suppress(OSError, ValueError):
        assert client.stdin is not None and client.stdout is not None
        client.stdin.write(b"M" + len(payload).to_bytes(4, "big") + payload)
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
            ready[i] = _until_ready(client.stdout.fileno(), started, timeout_s)

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
