"""``atc-guide``: the command line. One front door of three; it only calls ``botcore``.

Exit codes: 0 ok, 1 a check failed, 2 bad usage or a corpus that cannot be served.
Errors are one line on standard error; a user's mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import NoReturn, TextIO

from botcore.config import Settings
from botcore.errors import CliError, CorpusError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2
        raise CliError(f"{self.prog}: {message} (see '{self.prog} --help')", EXIT_USAGE)


def _err(text: str) -> None:
    from botcore.sanitize import display_safe  # noqa: PLC0415

    print(display_safe(text), file=sys.stderr)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (plain lines when it is not a terminal)."""
    if not sys.stderr.isatty():
        last = [-1]

        def plain(done: int, total: int) -> None:
            pct = int(100 * done / max(total, 1))
            if pct // 25 != last[0] // 25 or done == total:
                print(f"{label}: {done}/{total} ({pct}%)", file=sys.stderr)
                last[0] = pct

        yield plain
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn  # noqa: PLC0415

    # Started on the first update only: loading a cached index shows no bar at all.
    bar: list[Progress] = []
    task: list[int] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(Progress("[progress.description]{task.description}", BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(stderr=True)))
            bar[0].start()
            task.append(bar[0].add_task(label, total=total))
        bar[0].update(task[0], completed=done, total=total)

    try:
        yield update
    finally:
        if bar:
            bar[0].stop()


def _load_engine(settings: Settings, rebuild: bool = False):  # noqa: ANN202 - Engine, lazily imported
    from botcore.engine import Engine  # noqa: PLC0415 - heavy: torch

    with progress_bar("Building search index") as update:
        return Engine.load(settings, progress=update, rebuild=rebuild)


def _reconfigure(stream: object, **options: str) -> None:
    # Not a TextIOWrapper (a test's StringIO), or already read from: leave it as it is.
    with suppress(AttributeError, ValueError, OSError):
        stream.reconfigure(**options)  # type: ignore[attr-defined]


def _tolerate_undecodable_input() -> None:
    """Standard input that is not valid in the locale's encoding (a broken paste, a lone
    surrogate, Latin-1 bytes under a UTF-8 locale) must not crash ``ask``: undecodable
    bytes arrive as lone surrogates, which the engine's sanitizer replaces. (Under a
    UTF-8 locale other than C.UTF-8, Python's default for stdin is "strict".) Under an
    ASCII locale, input is read as UTF-8, so that "se salió la cánula" still escalates."""
    if _encoding_name(sys.stdin) == "ascii":
        _reconfigure(sys.stdin, encoding="utf-8", errors="surrogateescape")
    else:
        _reconfigure(sys.stdin, errors="surrogateescape")


def _argument_text(arg: str) -> str:
    """A command-line question; under an ASCII locale its bytes are read as UTF-8."""
    if _encoding_name(sys.getfilesystemencoding()) == "ascii":
        return os.fsencode(arg).decode("utf-8", "surrogateescape")
    return arg


def _encoding_name(stream: object) -> str:
    """The codec name of a stream's encoding (or of an encoding name)."""
    import codecs  # noqa: PLC0415

    encoding = stream if isinstance(stream, str) else getattr(stream, "encoding", None)
    try:
        return codecs.lookup(encoding or "ascii").name
    except LookupError:
        return "ascii"


def _is_unicode(stream: TextIO) -> bool:
    """True when the stream's encoding can write any character (UTF-8/16/32)."""
    return _encoding_name(stream).startswith("utf")


# -- commands -------------------------------------------------------------------------------
def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from botcore.answer import Session  # noqa: PLC0415
    from botcore.render import answer_as_text  # noqa: PLC0415

    engine = _load_engine(settings)
    session = Session(situations=set(args.situation or []))
    _tolerate_undecodable_input()
    questions: Sequence[str] | TextIO = args.question or sys.stdin
    out = sys.stdout
    ascii_only = not _is_unicode(out)
    if ascii_only and not args.json:
        _reconfigure(out, errors="replace")
    for raw in questions:
        question = raw.rstrip("\r\n") if not args.question else _argument_text(raw)
        answer = engine.ask(question, session)
        if args.json:
            out.write(json.dumps(answer.contract_dict(), ensure_ascii=ascii_only) + "\n")
        else:
            out.write(answer_as_text(answer) + "\n")
        out.flush()
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    engine = _load_engine(settings, rebuild=args.rebuild)
    r = engine.report
    print(f"index {r.index}: {r.passages_served} approved passages indexed "
          f"({r.passages_withheld} withheld, not approved); model {r.model}; cache {settings.cache_dir}")
    return EXIT_OK


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from botcore.corpus import Corpus  # noqa: PLC0415

    corpus = Corpus(settings.corpus_dir)
    if args.action == "check":
        from botcore.lint import lint_corpus  # noqa: PLC0415

        report = lint_corpus(corpus, settings.sources_dir)
        for line in report.lines():
            print(line)
        return EXIT_OK if report.ok else EXIT_FAILED
    if args.action == "verify":
        problems = corpus.ledger.problems
        for problem in problems:
            _err(problem)
        print(f"ledger: {len(corpus.ledger.records)} records, {len(problems)} problems")
        return EXIT_FAILED if problems else EXIT_OK
    for passage in corpus.passages.values():
        row = {
            "id": passage.id, "topic": passage.topic, "audience": passage.audience,
            "title": passage.title, "text": passage.text, "citation": corpus.citation(passage),
            "approved": corpus.is_approved(passage.id),
        }
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            mark = "approved" if row["approved"] else corpus.passage_status(passage).state
            print(f"{passage.id:48} {passage.topic:13} {passage.audience:8} {mark}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from botcore.review import run_review  # noqa: PLC0415

    return run_review(args, settings)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.runner import main as eval_main  # noqa: PLC0415

    return eval_main(args, settings)


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    from tui.app import run_app  # noqa: PLC0415

    return run_app(settings)


def cmd_packet(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from botcore.corpus import Corpus  # noqa: PLC0415
    from botcore.packet import PatientSituation, assemble  # noqa: PLC0415
    from botcore.storage import ensure_private_dir  # noqa: PLC0415
    from tui.packet_export import build_packet_document, write_packet  # noqa: PLC0415
    from tui.terms import TermIndex  # noqa: PLC0415

    topics = [t for chunk in args.topics or [] for t in chunk.replace(",", " ").split()]
    bad = [t for t in topics if t not in PACKET_TOPICS]
    if bad:
        raise CliError(f"atc-guide packet: unknown topic '{bad[0]}' (choose from "
                       f"{', '.join(PACKET_TOPICS)})")
    situation = PatientSituation(
        stage=args.stage, braf=None if args.braf == "unknown" else args.braf,
        trach=None if args.trach == "unknown" else args.trach == "yes",
        hospice_discussed=None if args.hospice_discussed == "unknown"
        else args.hospice_discussed == "yes",
        treatment=args.treatment or "",
    )
    corpus = Corpus(settings.corpus_dir)
    packet = assemble(corpus, situation, topics or None)
    out = Path(args.out)
    try:
        if not out.exists():
            ensure_private_dir(out)
        doc = build_packet_document(corpus, packet, TermIndex(corpus.approved_glossary()),
                                    date.today().isoformat())
        paths = write_packet(doc, out)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CliError(f"atc-guide packet: cannot write to {out}: {reason}", EXIT_FAILED) from None
    passages = len(packet.passage_ids())
    print(f"packet: {passages} passages, {len(packet.prompt_ids())} prompts and questions")
    for path in paths:
        print(path)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from tui.serve import serve  # noqa: PLC0415

    return serve(settings, host=args.host, port=args.port)


PACKET_TOPICS = ("understanding", "options", "airway", "what-matters", "planning")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atc-guide", description=(
        "ATC Guide: clinician-approved education about anaplastic thyroid cancer. "
        "With no command, opens the app."))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    ask = sub.add_parser("ask", help="answer questions (arguments, or one per line on stdin)")
    ask.add_argument("question", nargs="*", help="questions; none = read standard input")
    ask.add_argument("--json", action="store_true", help="one JSON object per question (the contract)")
    ask.add_argument("--situation", action="append", metavar="TAG",
                     choices=["stage-iva", "stage-ivb", "stage-ivc", "braf-v600e", "braf-negative",
                              "trach", "no-trach"],
                     help="rank passages for this situation first (repeatable)")
    ask.set_defaults(func=cmd_ask)

    index = sub.add_parser("index", help="build the search index (with a progress bar)")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if the cache matches")
    index.set_defaults(func=cmd_index)

    corpus = sub.add_parser("corpus", help="list, check or verify the corpus")
    corpus.add_argument("action", nargs="?", choices=["list", "check", "verify"], default="list",
                        help="list (default), check (schema, copying, reading grade), verify (ledger)")
    corpus.add_argument("--json", action="store_true", help="list as one JSON object per passage")
    corpus.set_defaults(func=cmd_corpus)

    review = sub.add_parser("review", help="review and approve or reject passages")
    review.add_argument("action", choices=["list", "show", "approve", "reject"])
    review.add_argument("items", nargs="*", help="item ids, e.g. passage:airway-what-is-tracheostomy")
    review.add_argument("--reviewer", help="your name, recorded in the ledger")
    review.add_argument("--role", help="your role, e.g. 'head and neck oncology nurse'")
    review.add_argument("--note", default="", help="optional note recorded with the decision")
    review.add_argument("--nurse-only", action="store_true", help="approve for nurse use only")
    review.add_argument("--all-pending", action="store_true", help="act on every pending or changed item")
    review.add_argument("--demonstration", action="store_true",
                        help="mark as a demonstration approval (not a clinical sign-off)")
    review.add_argument("--state", choices=["pending", "changed", "approved", "rejected"],
                        help="with list: only items in this state")
    review.set_defaults(func=cmd_review)

    ev = sub.add_parser("eval", help="run the eval suite and write the clinicians' report")
    ev.add_argument("--out", default="eval-out", help="folder for report.html, report.json, summary.md")
    ev.add_argument("--gate", action="store_true", help="exit 1 when a release gate is missed")
    ev.set_defaults(func=cmd_eval)

    app = sub.add_parser("app", help="open the app (the default)")
    app.set_defaults(func=cmd_app)

    packet = sub.add_parser("packet",
                            help="write a goals-of-care packet (HTML and PDF) for the care team")
    packet.add_argument("--stage", choices=["iva", "ivb", "ivc"], help="the stage, if known")
    packet.add_argument("--braf", choices=["v600e", "negative", "unknown"], default="unknown",
                        help="the BRAF result")
    packet.add_argument("--trach", choices=["yes", "no", "unknown"], default="unknown",
                        help="whether the patient has a tracheostomy")
    packet.add_argument("--hospice-discussed", choices=["yes", "no", "unknown"],
                        default="unknown", help="whether hospice has been discussed")
    packet.add_argument("--treatment", metavar="TEXT",
                        help="current treatment, printed in the packet")
    packet.add_argument("--topics", nargs="+", metavar="TOPIC",
                        help=f"parts to cover (default all): {' '.join(PACKET_TOPICS)}")
    packet.add_argument("--out", required=True, metavar="DIR",
                        help="folder for packet.html and packet.pdf")
    packet.set_defaults(func=cmd_packet)

    serve = sub.add_parser("serve", help="serve the app to a web browser on this computer")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="loopback address to listen on (default 127.0.0.1)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from botcore.embedder import force_offline  # noqa: PLC0415

    force_offline()
    try:
        args = build_parser().parse_args(argv)
        settings = Settings()
        func = getattr(args, "func", cmd_app)
        return func(args, settings)
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except CorpusError as exc:
        _err(f"atc-guide: corpus problem: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("atc-guide: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
