"""``atc-guide``: the command line, one front door of three over the ``botcore`` engine.

Exit codes: 0 ok, 1 a check failed, 2 bad usage or a corpus that cannot be served.
Errors are one line on standard error; a user's mistake never shows a traceback. Each
command lives in its own module; this one holds the argument tree and the error policy.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from atc_guide.cli.errors import EXIT_OK, EXIT_USAGE, CliError
from atc_guide.cli.packet_args import add_arguments as add_packet_arguments
from atc_guide.cli.terminal import err
from botcore.config import Settings, force_offline, setting_problem
from botcore.errors import CorpusError
from botcore.schema import SITUATIONS

__all__ = ["build_parser", "entry", "main"]

Command = Callable[[argparse.Namespace, Settings], int]
FAST_EXIT = frozenset({"ask", "index"})
"""Commands whose process may end with ``os._exit`` once their output is flushed: they
write files only through ``write_atomic`` (closed and renamed before the command returns)
and leave no thread behind. Interpreter teardown after an answer is pure waiting (about
0.1 s; 1 s with torch loaded)."""


def _lazy(module: str, name: str) -> Command:
    """A command imported only when it runs: ``ask`` never imports the packet writer, the
    corpus checker or the review tools."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        return getattr(importlib.import_module(module), name)(args, settings)  # type: ignore[no-any-return]

    run.__name__ = name
    return run


cmd_ask = _lazy("atc_guide.cli.ask", "cmd_ask")
cmd_index = _lazy("atc_guide.cli.ask", "cmd_index")
cmd_corpus = _lazy("atc_guide.cli.corpus", "cmd_corpus")
cmd_review = _lazy("atc_guide.cli.review", "cmd_review")
cmd_packet = _lazy("atc_guide.cli.packet", "cmd_packet")
cmd_eval = _lazy("atc_guide.cli.front_doors", "cmd_eval")
cmd_app = _lazy("atc_guide.cli.front_doors", "cmd_app")
cmd_serve = _lazy("atc_guide.cli.front_doors", "cmd_serve")
cmd_care_team = _lazy("atc_guide.cli.front_doors", "cmd_care_team")


def session_id(value: str) -> str:
    """A browser tab's session id (hex), as ``atc-guide serve`` passes it."""
    if not re.fullmatch(r"[a-f0-9]{16,64}", value):
        raise argparse.ArgumentTypeError("a session id is 16-64 hexadecimal characters")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2
        raise CliError(f"{self.prog}: {message} (see '{self.prog} --help')", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atc-guide", description=(
        "ATC Guide: clinician-approved education about anaplastic thyroid cancer. "
        "With no command, opens the app."))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    ask = sub.add_parser("ask", help="answer questions (arguments, or one per line on stdin)")
    ask.add_argument("question", nargs="*", help="questions; none = read standard input")
    ask.add_argument("--json", action="store_true",
                     help="one JSON object per question (the contract)")
    ask.add_argument("--situation", action="append", metavar="TAG",
                     choices=list(SITUATIONS),
                     help="rank passages for this situation first (repeatable)")
    ask.set_defaults(func=cmd_ask)

    index = sub.add_parser("index", help="build the search index (with a progress bar)")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if the cache matches")
    index.set_defaults(func=cmd_index)

    corpus = sub.add_parser("corpus", help="list, check or verify the corpus")
    corpus.add_argument("action", nargs="?", choices=["list", "check", "verify"], default="list",
                        help="list (default), check (schema, copying, reading grade), "
                             "verify (ledger)")
    corpus.add_argument("--json", action="store_true", help="list as one JSON object per passage")
    corpus.set_defaults(func=cmd_corpus)

    review = sub.add_parser("review", help="review and approve or reject passages")
    review.add_argument("action", choices=["list", "show", "approve", "reject"])
    review.add_argument("items", nargs="*",
                        help="item ids, e.g. passage:airway-what-is-tracheostomy")
    review.add_argument("--reviewer", help="your name, recorded in the ledger")
    review.add_argument("--role", help="your role, e.g. 'head and neck oncology nurse'")
    review.add_argument("--note", default="", help="optional note recorded with the decision")
    review.add_argument("--nurse-only", action="store_true",
                        help="approve for the care team only (default: by the item's audience)")
    review.add_argument("--all-pending", action="store_true",
                        help="act on every pending or changed item")
    review.add_argument("--demonstration", action="store_true",
                        help="mark as a demonstration approval (not a clinical sign-off)")
    review.add_argument("--state", choices=["pending", "changed", "approved", "rejected"],
                        help="with list: only items in this state")
    review.set_defaults(func=cmd_review)

    ev = sub.add_parser("eval", help="run the eval suite and write the clinicians' report")
    ev.add_argument("--out", default="eval-out",
                    help="folder for report.html, report.json, summary.md")
    ev.add_argument("--gate", action="store_true", help="exit 1 when a release gate is missed")
    ev.add_argument("--no-sealed", action="store_true",
                    help="leave out the sealed held-out sets: for whoever is tuning, so that "
                         "no sealed figure is computed or printed (their gates: not measured)")
    ev.set_defaults(func=cmd_eval)

    app = sub.add_parser("app", help="open the app for patients and families (the default)")
    app.add_argument("--session", type=session_id, help=argparse.SUPPRESS)  # one per browser tab
    app.set_defaults(func=cmd_app)

    care = sub.add_parser("care-team", help="open the care team's app: prepare a packet, "
                                            "review content")
    care.set_defaults(func=cmd_care_team)

    packet = sub.add_parser("packet",
                            help="write a goals-of-care packet (HTML and PDF) for the care team")
    add_packet_arguments(packet)
    packet.set_defaults(func=cmd_packet)

    serve = sub.add_parser("serve", help="serve the app to a web browser on this computer")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="loopback address to listen on (default 127.0.0.1)")
    serve.add_argument("--care-team", action="store_true",
                       help="serve the care team's app instead of the patient app")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    force_offline()
    try:
        args = build_parser().parse_args(argv)
        try:
            settings = Settings()
        except ValueError as exc:  # pydantic's ValidationError: a bad ATC_GUIDE_ variable
            err(f"atc-guide: {setting_problem(exc)}")
            return EXIT_USAGE
        func = getattr(args, "func", cmd_app)
        return func(args, settings)
    except CliError as exc:
        err(str(exc))
        return exc.code
    except CorpusError as exc:
        err(f"atc-guide: corpus problem: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("atc-guide: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def entry() -> NoReturn:
    """The ``atc-guide`` process: ``main``, then, for the commands in ``FAST_EXIT``, an
    immediate exit once standard output and error are flushed. Only the real process
    entry point does this; tests call ``main`` in-process and get a plain return."""
    argv = sys.argv[1:]
    code = main(argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command in FAST_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, OSError):
            pass  # a closed pipe: nothing more can be written anyway
        else:
            os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
