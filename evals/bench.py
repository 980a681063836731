"""Benchmark: prints figures, asserts nothing (design.md: speed is measured, not tested).

    python -m evals.bench [--repeat 3] [--cache-dir DIR]

* index build: ``atc-guide index`` in a fresh, empty cache folder (whole command: start,
  model load, embedding every approved passage, writing the cache);
* cold start: process start to the first answer line of
  ``atc-guide ask --json "what is ATC"`` with a warm index cache (median of --repeat runs);
* peak memory: the maximum resident set size of that child (``os.wait4`` rusage);
* warm latency: one engine in this process, every eval question asked once, p50/p95.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from evals import metrics as M


def _command() -> list[str]:
    exe = Path(sys.executable).parent / "atc-guide"
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "atc_guide"]


def _maxrss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_child(args: Sequence[str], env: dict[str, str]) -> dict[str, float | int | str]:
    """Run one child; time to its first stdout line and to its exit; its peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    first_at = time.perf_counter() - started
    rest_out = proc.stdout.read()
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done_at = time.perf_counter() - started
    return {
        "first_line_s": first_at,
        "exit_s": done_at,
        "code": proc.returncode,
        "maxrss_mb": _maxrss_mb(usage.ru_maxrss),
        "stdout": first + rest_out,
        "stderr": err[-400:],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=3, help="cold-start runs (median reported)")
    parser.add_argument(
        "--limit", type=int, default=0, help="warm latency: only the first N questions"
    )
    args = parser.parse_args(argv)

    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    work = Path(tempfile.mkdtemp(prefix="atc-guide-bench-"))
    env = dict(os.environ)
    env.update(
        {"ATC_GUIDE_CACHE_DIR": str(work / "cache"), "ATC_GUIDE_DATA_DIR": str(work / "data")}
    )
    try:
        print(
            f"ATC Guide benchmark on {platform.platform(terse=True)}, "
            f"Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs"
        )
        build = run_child(["index"], env)
        if build["code"] != 0:
            print(f"index build failed (exit {build['code']}): {build['stderr']}", file=sys.stderr)
            return 1
        print(
            f"index build (fresh cache, whole command): {build['exit_s']:.2f} s, "
            f"peak memory {build['maxrss_mb']:.0f} MB"
        )
        loaded = run_child(["index"], env)
        print(f"index load (warm cache, whole command):   {loaded['exit_s']:.2f} s")

        colds = []
        for _ in range(max(1, args.repeat)):
            cold = run_child(["ask", "--json", "what is ATC"], env)
            if cold["code"] != 0 or '"status"' not in str(cold["stdout"]):
                print(f"ask failed (exit {cold['code']}): {cold['stderr']}", file=sys.stderr)
                return 1
            colds.append(cold)
        firsts = [float(c["first_line_s"]) for c in colds]
        print(
            f"cold start to first answer (warm index cache, median of {len(colds)}): "
            f"{statistics.median(firsts):.2f} s (runs: {', '.join(f'{x:.2f}' for x in firsts)})"
        )
        print(
            "peak memory of the ask process (maxrss): "
            f"{max(float(c['maxrss_mb']) for c in colds):.0f} MB"
        )

        from botcore.config import Settings  # noqa: PLC0415
        from botcore.engine import Engine  # noqa: PLC0415
        from evals.cases import load_cases  # noqa: PLC0415

        engine = Engine.load(Settings(cache_dir=work / "cache", data_dir=work / "data"))
        questions = [c.final_question for c in load_cases()]
        if args.limit:
            questions = questions[: args.limit]
        engine.ask("what is ATC")  # warm-up: first-call costs are the cold start's, not latency
        times = []
        for q in questions:
            t0 = time.perf_counter()
            engine.ask(q)
            times.append(1000 * (time.perf_counter() - t0))
        print(
            f"warm latency over {len(times)} eval questions: p50 {M.percentile(times, 50):.1f} ms, "
            f"p95 {M.percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
