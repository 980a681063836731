"""Benchmark: prints figures, asserts nothing (design.md: speed is measured, not tested).

    python -m evals.bench [--repeat 5] [--rounds 3] [--app-rounds 3] [--limit N]

Everything runs in one fresh cache folder, in this order, and every figure is printed as
``median [min-max]`` over its runs:

* first run after install: ``atc-guide index`` with an empty cache (the one-time model
  export and its comparison with the reference, then the index);
* index build: ``atc-guide index --rebuild`` (model already exported), time and peak RSS;
* cold start: ``atc-guide ask --json "what is a tracheostomy"`` with warm caches, whole
  process, to the first answer line and to exit, and peak RSS; paired run by run with a
  bare ``python -c "import numpy"`` (the floor of any Python process that answers);
* warm latency: one engine in this process, every eval question asked once per round,
  p50/p95, and how many texts the model encodes per question (and in how many calls);
* apps: 1 and 4 ``atc-guide app`` processes started at once on pseudo-terminals (a
  terminal's start, and how serve started tabs before its launcher): time until each is
  ready (its CPU time stops growing), memory per app (RSS, PSS) and whether torch loaded;
* browser tabs: 1 and 4 tabs opened at once through serve's warm launcher
  (``evals.bench_tabs``): time until each tab's first screen arrives, RSS and PSS per tab;
* the app's answer-to-screen time at the 1st and 30th answer, from the app's own probe
  (``python -m atc_guide.bench_app --json``), run as a subprocess: the evals never import
  the app.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from evals import metrics as M
from evals.bench_procs import Run, apps_ready, atc_guide, run_child, spread
from evals.bench_tabs import tabs_ready

QUESTION = "what is a tracheostomy"
APP_BENCH = "atc_guide.bench_app"
"""The app's own answer-to-screen benchmark, run as a subprocess with ``--json`` (evals
never import the app): the milliseconds from Enter to the answer on screen for answers
1..N of one conversation, in ``all_ms``."""


def _check(run: Run, what: str) -> Run:
    if run.code != 0:
        raise SystemExit(f"{what} failed (exit {run.code}): {run.stderr}")
    return run


def bench_index(env: dict[str, str], repeat: int) -> None:
    first = _check(run_child(atc_guide("index"), env), "atc-guide index")
    model = first.stdout.split("; model ", 1)[-1].split("; cache", 1)[0].strip()
    print(f"embedder: {model}")
    print(f"first run after install (model export + comparison + index), whole command: "
          f"{first.exit_s:.2f} s ({first.cpu_s:.1f} s CPU), peak RSS {first.maxrss_mb:.0f} MB")
    builds = [_check(run_child(atc_guide("index", "--rebuild"), env), "atc-guide index --rebuild")
              for _ in range(repeat)]
    print(f"index build (model exported), whole command, n={len(builds)}: "
          f"{spread([b.exit_s for b in builds], ' s')}, "
          f"CPU {spread([b.cpu_s for b in builds], ' s')}; peak RSS "
          f"{spread([b.maxrss_mb for b in builds], ' MB', 0)}")


def bench_cold(env: dict[str, str], repeat: int) -> None:
    floor_cmd = [sys.executable, "-c", "import numpy"]
    run_child(atc_guide("ask", "--json", QUESTION), env)  # warm-up: file cache, bytecode
    asks, floors = [], []
    for _ in range(repeat):  # paired, interleaved: the ratio holds when the machine drifts
        ask = _check(run_child(atc_guide("ask", "--json", QUESTION), env), "atc-guide ask")
        if '"status": "answered"' not in ask.stdout:
            raise SystemExit(f"atc-guide ask did not answer: {ask.stdout[:300]}")
        asks.append(ask)
        floors.append(_check(run_child(floor_cmd, env), "python -c 'import numpy'"))
    ratios = [a.exit_s / f.exit_s for a, f in zip(asks, floors, strict=True)]
    rows = [
        ("ask --json, to the first answer line", spread([a.first_line_s for a in asks], " s")),
        ("ask --json, to exit", spread([a.exit_s for a in asks], " s")),
        ("python -c 'import numpy', to exit", spread([f.exit_s for f in floors], " s")),
        ("ratio ask / bare numpy (pairwise)", spread(ratios, "x", 1)),
        ("CPU time of ask / of bare numpy", f"{spread([a.cpu_s for a in asks], ' s')} / "
                                            f"{spread([f.cpu_s for f in floors], ' s')}"),
        ("peak RSS of ask", spread([a.maxrss_mb for a in asks], " MB", 0)),
    ]
    print(f"cold start, whole process, warm caches, n={repeat}:")
    for label, value in rows:
        print(f"  {label + ':':40} {value}")


def bench_warm(cache: Path, data: Path, rounds: int, limit: int) -> None:
    from botcore.config import Settings  # noqa: PLC0415
    from botcore.engine import Engine  # noqa: PLC0415
    from evals.cases import load_cases  # noqa: PLC0415

    engine = Engine.load(Settings(cache_dir=cache, data_dir=data))
    questions = [c.final_question for c in load_cases()]
    questions = questions[:limit] if limit else questions
    engine.ask(QUESTION)  # first-call costs belong to the cold start, not to latency
    texts_per_q: Counter[int] = Counter()
    calls_per_q: Counter[int] = Counter()
    p50s, p95s, cpu50s = [], [], []
    for round_no in range(max(1, rounds)):
        times, cpu = [], []
        for q in questions:
            calls, texts = engine.model_usage()
            t0, c0 = time.perf_counter(), time.process_time()
            engine.ask(q)
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
            if round_no == 0:
                calls_after, texts_after = engine.model_usage()
                texts_per_q[texts_after - texts] += 1
                calls_per_q[calls_after - calls] += 1
        p50s.append(M.percentile(times, 50))
        p95s.append(M.percentile(times, 95))
        cpu50s.append(M.percentile(cpu, 50))
    n = len(questions)
    print(f"warm latency, {n} eval questions x {len(p50s)} rounds (one engine in process): "
          f"p50 {spread(p50s, ' ms')}, p95 {spread(p95s, ' ms')}; CPU time p50 "
          f"{spread(cpu50s, ' ms')}")
    calls_total = sum(k * v for k, v in calls_per_q.items())
    texts_total = sum(k * v for k, v in texts_per_q.items())
    print(f"  model calls per question: mean {calls_total / n:.2f} "
          f"({_dist(calls_per_q)}); texts encoded per question: mean "
          f"{texts_total / n:.2f} ({_dist(texts_per_q)})")


def _dist(counts: Counter[int]) -> str:
    return ", ".join(f"{k}: {counts[k]}" for k in sorted(counts))


def bench_apps(env: dict[str, str], sizes: Sequence[int], rounds: int) -> None:
    for n in sizes:
        slowest, rss, pss, peak, cpu, torch = [], [], [], [], [], False
        for _ in range(max(1, rounds)):
            runs = apps_ready(n, env)
            slowest.append(max(r.ready_s for r in runs))
            rss += [r.rss_mb for r in runs]
            pss += [r.pss_mb for r in runs]
            peak += [r.maxrss_mb for r in runs]
            cpu += [r.cpu_s for r in runs]
            torch = torch or any(r.torch_mapped for r in runs)
        print(f"app x{n} started at once (as serve does per tab), {len(slowest)} rounds: "
              f"slowest ready {spread(slowest, ' s')}; per app CPU to ready {spread(cpu, ' s')}, "
              f"RSS {spread(rss, ' MB', 0)}, "
              f"PSS {spread(pss, ' MB', 0)}, peak RSS {spread(peak, ' MB', 0)}; "
              f"torch loaded: {'yes' if torch else 'no'}")


def bench_tabs(env: dict[str, str], sizes: Sequence[int], rounds: int) -> None:
    for n in sizes:
        slowest, rss, pss = [], [], []
        for _ in range(max(1, rounds)):
            runs = tabs_ready(n, env)
            slowest.append(max(r.ready_s for r in runs))
            rss += [r.rss_mb for r in runs]
            pss += [r.pss_mb for r in runs]
        print(f"browser tabs x{n} opened at once (serve's warm launcher, forked apps), "
              f"{len(slowest)} rounds: slowest ready {spread(slowest, ' s')}; per tab RSS "
              f"{spread(rss, ' MB', 0)}, PSS {spread(pss, ' MB', 0)}")


def bench_app_answers(env: dict[str, str], answers: int = 30) -> None:
    done = subprocess.run([sys.executable, "-m", APP_BENCH, "--answers", str(answers), "--json"],
                          env=env, capture_output=True, text=True, timeout=900, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"app answer-to-screen, 1st and {answers}th answer: not measured "
              f"({done.stderr.strip()[-300:] or 'no output'})")
        return
    ms = json.loads(lines[-1])["all_ms"]
    print(f"app answer-to-screen: 1st answer {ms[0]:.0f} ms, {len(ms)}th answer {ms[-1]:.0f} ms "
          f"(all {len(ms)}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="cold-start and build runs")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds over the questions")
    parser.add_argument("--app-rounds", type=int, default=3, help="rounds of app start-ups")
    parser.add_argument("--apps", default="1,4", help="how many apps at once, e.g. 1,4")
    parser.add_argument("--limit", type=int, default=0, help="warm: only the first N questions")
    args = parser.parse_args(argv)

    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    work = Path(tempfile.mkdtemp(prefix="atc-guide-bench-"))
    cache, data = work / "cache", work / "data"
    env = {**os.environ, "ATC_GUIDE_CACHE_DIR": str(cache), "ATC_GUIDE_DATA_DIR": str(data)}
    try:
        print(f"ATC Guide benchmark on {platform.platform(terse=True)}, Python "
              f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        bench_index(env, max(1, min(args.repeat, 3)))
        bench_cold(env, max(1, args.repeat))
        bench_warm(cache, data, args.rounds, args.limit)
        sizes = [int(x) for x in args.apps.split(",") if x.strip()]
        bench_apps(env, sizes, args.app_rounds)
        bench_tabs(env, sizes, args.app_rounds)
        bench_app_answers(env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
