"""Benchmark: prints figures, asserts nothing (design.md: speed is measured, not tested).

    python -m evals.bench [--repeat 5] [--rounds 3] [--app-rounds 3] [--limit N]
                          [--only index,cold,warm,apps,tabs,answers] [--against CHECKOUT]

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
  with ``--against CHECKOUT`` also an A/B of this checkout's code and that one's (say
  main's), a fresh process per round each, alternating (``evals.bench_warm``);
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
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.bench_procs import Run, apps_ready, atc_guide, run_child, spread
from evals.bench_tabs import tabs_ready
from evals.bench_warm import measure

QUESTION = "what is a tracheostomy"
REPO = Path(__file__).resolve().parents[1]
WARM_SCRIPT = Path(__file__).with_name("bench_warm.py")
SECTIONS = ("index", "cold", "warm", "apps", "tabs", "answers")
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
    if not builds:
        return
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
    got = measure(cache, data, rounds, limit)
    n = got["questions"]
    print(f"warm latency, {n} eval questions x {len(got['p50'])} rounds (one engine in process): "
          f"p50 {spread(got['p50'], ' ms')}, p95 {spread(got['p95'], ' ms')}; CPU time p50 "
          f"{spread(got['cpu50'], ' ms')}")
    calls_per_q = Counter({int(k): v for k, v in got["calls_per_question"].items()})
    texts_per_q = Counter({int(k): v for k, v in got["texts_per_question"].items()})
    calls_total = sum(k * v for k, v in calls_per_q.items())
    texts_total = sum(k * v for k, v in texts_per_q.items())
    print(f"  model calls per question: mean {calls_total / n:.2f} "
          f"({_dist(calls_per_q)}); texts encoded per question: mean "
          f"{texts_total / n:.2f} ({_dist(texts_per_q)})")


def _warm_child(tree: Path, env: dict[str, str], cache: Path, data: Path,
                limit: int) -> dict[str, Any]:
    """One round of ``evals/bench_warm.py`` in a fresh process on ``tree``'s code."""
    command = [sys.executable, str(WARM_SCRIPT), "--cache", str(cache), "--data", str(data),
               "--rounds", "1", "--limit", str(limit)]
    child_env = {**env, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, env=child_env, capture_output=True, text=True,
                          timeout=1800, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"warm latency on {tree} failed: {done.stderr.strip()[-600:]}")
    return dict(json.loads(lines[-1]))


def bench_warm_against(other: Path, env: dict[str, str], cache: Path, data: Path, rounds: int,
                       limit: int) -> None:
    """Warm latency of this checkout and of ``other`` (e.g. main's), one fresh process per
    round each, alternating which goes first, so that the machine's load falls on both."""
    trees = {"this checkout": REPO, f"{other}": other.resolve()}
    for tree in trees.values():  # warm-up: an export or index the other code needs, caches
        _warm_child(tree, env, cache, data, 20)
    got: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for round_no in range(max(1, rounds)):
        names = list(trees) if round_no % 2 == 0 else list(reversed(trees))
        for name in names:
            got[name].append(_warm_child(trees[name], env, cache, data, limit))
    print(f"warm latency A/B, {got['this checkout'][0]['questions']} eval questions, "
          f"{len(got['this checkout'])} alternating rounds (a fresh process each):")
    for name, runs in got.items():
        p50s = [r["p50"][0] for r in runs]
        print(f"  {name + ':':40} p50 {spread(p50s, ' ms')}, "
              f"p95 {spread([r['p95'][0] for r in runs], ' ms')}, "
              f"CPU p50 {spread([r['cpu50'][0] for r in runs], ' ms')}, "
              f"mean {spread([r['mean'][0] for r in runs], ' ms')}")
    this, that = got["this checkout"], got[f"{other}"]
    print(f"  {'ratio of p50, this / other (pairwise):':40} "
          f"{spread([a['p50'][0] / b['p50'][0] for a, b in zip(this, that, strict=True)], 'x', 3)}")


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
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, of {','.join(SECTIONS)} "
                             "(the index is always built first)")
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout (e.g. main's): warm latency A/B against its "
                             "code, alternating fresh processes, --rounds each")
    args = parser.parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    if only - set(SECTIONS):
        parser.error(f"--only: unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}")

    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    work = Path(tempfile.mkdtemp(prefix="atc-guide-bench-"))
    cache, data = work / "cache", work / "data"
    env = {**os.environ, "ATC_GUIDE_CACHE_DIR": str(cache), "ATC_GUIDE_DATA_DIR": str(data)}
    try:
        print(f"ATC Guide benchmark on {platform.platform(terse=True)}, Python "
              f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        bench_index(env, max(1, min(args.repeat, 3)) if "index" in only else 0)
        if "cold" in only:
            bench_cold(env, max(1, args.repeat))
        if "warm" in only:
            bench_warm(cache, data, args.rounds, args.limit)
            if args.against is not None:
                bench_warm_against(args.against, env, cache, data, args.rounds, args.limit)
        sizes = [int(x) for x in args.apps.split(",") if x.strip()]
        if "apps" in only:
            bench_apps(env, sizes, args.app_rounds)
        if "tabs" in only:
            bench_tabs(env, sizes, args.app_rounds)
        if "answers" in only:
            bench_app_answers(env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
