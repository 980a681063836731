"""``atc-guide corpus``: list the passages, check the content rules, verify the ledger."""

from __future__ import annotations

import argparse
import json

from atc_guide.cli.errors import EXIT_FAILED, EXIT_OK
from atc_guide.cli.terminal import err
from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.lint import lint_corpus


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus(settings.corpus_dir)
    if args.action == "check":
        report = lint_corpus(corpus, settings.sources_dir)
        for line in report.lines():
            print(line)
        return EXIT_OK if report.ok else EXIT_FAILED
    if args.action == "verify":
        problems = corpus.ledger.problems
        for problem in problems:
            err(problem)
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
