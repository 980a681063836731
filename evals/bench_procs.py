"""Whole-process measurements for ``evals.bench``: a command's time to its first output
line and to its exit, its peak memory (``os.wait4``), and apps started on pseudo-terminals
the way ``atc-guide serve`` starts one per browser tab.

The evals never import the app or the command line (import contracts): both are run as
``python -m atc_guide ...`` subprocesses and observed from outside, through /proc.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")


def atc_guide(*args: str) -> list[str]:
    return [sys.executable, "-m", "atc_guide", *args]


def maxrss_mb(ru_maxrss: int) -> float:
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


@dataclass(frozen=True)
class Run:
    first_line_s: float
    exit_s: float
    code: int
    maxrss_mb: float
    cpu_s: float
    """User + system CPU time: on a shared machine, the figure other load disturbs least."""
    stdout: str
    stderr: str


def run_child(command: Sequence[str], env: dict[str, str]) -> Run:
    """One child: time to its first stdout line and to its exit, and its peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    first = proc.stdout.readline()
    first_at = time.perf_counter() - started
    rest = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    done_at = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(5)
    return Run(first_at, done_at, proc.returncode, maxrss_mb(usage.ru_maxrss),
               usage.ru_utime + usage.ru_stime, first + rest, "".join(err)[-600:])


@dataclass(frozen=True)
class AppRun:
    ready_s: float
    """Launch to the moment its CPU time stopped growing (the engine loaded and painted)."""
    rss_mb: float
    pss_mb: float
    maxrss_mb: float
    torch_mapped: bool
    """Whether libtorch was mapped into the process (it must not be)."""
    cpu_s: float = float("nan")
    """CPU time used until ready."""


def _cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


def _memory_mb(pid: int) -> tuple[float, float]:
    rss = pss = 0.0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def _maps_torch(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as handle:
            return any("libtorch" in line for line in handle)
    except OSError:
        return False


def _spawn_on_pty(env: dict[str, str], cols: int = 120, rows: int = 40) -> tuple[int, int]:
    pid, master = pty.fork()
    if pid == 0:  # the child: the app on its own terminal, as textual-serve runs it
        try:
            os.execve(sys.executable, atc_guide("app"), env)
        finally:
            os._exit(127)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, master


def _drain(master: int) -> None:
    """Read the app's screen output so that it never blocks on a full terminal."""
    try:
        while os.read(master, 65536):
            pass
    except OSError:
        pass


def apps_ready(n: int, env: dict[str, str], quiet_s: float = 1.5,
               timeout_s: float = 90.0) -> list[AppRun]:
    """Start ``n`` apps at the same moment; each is ready when its CPU time has not grown
    by more than 3 ticks for ``quiet_s`` (an idle Textual app uses almost none)."""
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    started = time.perf_counter()
    children = [_spawn_on_pty(env) for _ in range(n)]
    for _, master in children:
        threading.Thread(target=_drain, args=(master,), daemon=True).start()
    base = [0] * n
    busy_at = [0.0] * n
    done: dict[int, AppRun] = {}
    while len(done) < n and time.perf_counter() - started < timeout_s:
        time.sleep(0.02)
        now = time.perf_counter() - started
        for i, (pid, _) in enumerate(children):
            ticks = _cpu_ticks(pid) if i not in done else None
            if ticks is None:
                if i not in done:  # exited early: no figure
                    done[i] = AppRun(float("nan"), 0.0, 0.0, 0.0, False)
                continue
            if ticks - base[i] > 3:  # still working
                base[i], busy_at[i] = ticks, now
            elif now - busy_at[i] >= quiet_s and ticks > TICK // 4:
                rss, pss = _memory_mb(pid)
                done[i] = AppRun(busy_at[i], rss, pss, 0.0, _maps_torch(pid), ticks / TICK)
    return [_stop(pid, master, done.get(i)) for i, (pid, master) in enumerate(children)]


def _stop(pid: int, master: int, run: AppRun | None) -> AppRun:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    usage = None
    while time.monotonic() < deadline:
        got, _, usage = os.wait4(pid, os.WNOHANG)
        if got:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
    os.close(master)
    peak = maxrss_mb(usage.ru_maxrss) if usage is not None else 0.0
    if run is None:
        return AppRun(float("nan"), 0.0, 0.0, peak, False)
    return AppRun(run.ready_s, run.rss_mb, run.pss_mb, peak, run.torch_mapped, run.cpu_s)


def spread(values: Sequence[float], unit: str = "", digits: int = 2) -> str:
    """``median [min-max]`` of the finite values (or "not measured")."""
    finite = [v for v in values if v == v]
    if not finite:
        return "not measured"
    med = statistics.median(finite)
    return f"{med:.{digits}f}{unit} [{min(finite):.{digits}f}-{max(finite):.{digits}f}]"
