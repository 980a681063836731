"""``atc-guide eval``, ``app``, ``care-team`` and ``serve``: the commands that hand over
to the eval suite, the patient app, the care team's app and browser mode (each imported
only when its command runs, so ``ask`` and ``packet`` never load Textual)."""

from __future__ import annotations

import argparse
from pathlib import Path

from atc_guide.cli.engine import load_engine
from botcore.config import Settings
from botcore.sanitize import display_safe


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """``atc-guide eval --out DIR [--gate] [--no-sealed]``."""
    from evals.evaluate import progress_printer, run_and_write, summary_lines
    from evals.figures.held_out import unsealed_sets

    out_dir = Path(args.out)
    engine = load_engine(settings)
    held_out = unsealed_sets() if getattr(args, "no_sealed", False) else None
    report, code = run_and_write(engine, out_dir, gate=bool(args.gate),
                                 progress=progress_printer("Asking the eval questions"),
                                 held_out=held_out)
    for line in summary_lines(report):
        print(display_safe(line))
    print(f"report: {out_dir / 'report.html'} (also report.json, summary.md)")
    return code


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    from tui.app import run_app

    return run_app(settings, session=getattr(args, "session", None))


def cmd_care_team(args: argparse.Namespace, settings: Settings) -> int:
    from tui.care_team import run_care_team

    return run_care_team(settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from atc_guide.serve import serve

    return serve(settings, host=args.host, port=args.port,
                 care_team=bool(getattr(args, "care_team", False)))
