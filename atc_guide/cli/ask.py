"""``atc-guide ask`` and ``atc-guide index``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from atc_guide.cli.engine import load_engine
from atc_guide.cli.errors import EXIT_OK
from atc_guide.cli.terminal import (
    argument_text,
    is_unicode,
    reconfigure,
    tolerate_undecodable_input,
)
from botcore.answer import Session
from botcore.config import Settings
from botcore.render import answer_as_text


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = load_engine(settings)
    session = Session(situations=set(args.situation or []))
    tolerate_undecodable_input()
    questions: Sequence[str] | TextIO = args.question or sys.stdin
    out = sys.stdout
    ascii_only = not is_unicode(out)
    if ascii_only and not args.json:
        reconfigure(out, errors="replace")
    for raw in questions:
        question = raw.rstrip("\r\n") if not args.question else argument_text(raw)
        answer = engine.ask(question, session)
        if args.json:
            out.write(json.dumps(answer.contract_dict(), ensure_ascii=ascii_only) + "\n")
        else:
            out.write(answer_as_text(answer) + "\n")
        out.flush()
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    engine = load_engine(settings, rebuild=args.rebuild)
    r = engine.report
    print(f"index {r.index}: {r.passages_served} approved passages indexed "
          f"({r.passages_withheld} withheld, not approved); model {r.model}; "
          f"cache {settings.cache_dir}")
    return EXIT_OK
