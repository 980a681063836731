"""``atc-guide review``: clinicians list, read, approve and reject corpus items.

A decision is appended to the ledger, bound to the hash of the exact text reviewed,
through ``botcore.review.record_decision`` (the review screen calls the same function).
The approval's meaning follows the item's audience (nurse-only for nurse passages and
conversation prompts) unless ``--nurse-only`` overrides it.
"""

from __future__ import annotations

import argparse
from collections import Counter

from atc_guide.cli.errors import EXIT_OK, CliError
from botcore.config import Settings
from botcore.corpus import Corpus, ReviewItem
from botcore.review import DecisionRefused, check_reviewer, record_decision
from botcore.sanitize import display_safe


def _select(corpus: Corpus, args: argparse.Namespace) -> list[ReviewItem]:
    items = corpus.review_items()
    if args.action in ("approve", "reject") and args.all_pending:
        return [i for i in items if i.status.state in ("pending", "changed")]
    if args.items:
        by_key = {i.item: i for i in items}
        unknown = [k for k in args.items if k not in by_key]
        if unknown:
            raise CliError(f"atc-guide review: unknown item '{unknown[0]}' (see 'atc-guide review list')")
        return [by_key[k] for k in args.items]
    if args.state:
        return [i for i in items if i.status.state == args.state]
    return items


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus(settings.corpus_dir)
    items = _select(corpus, args)
    if args.action == "list":
        counts = Counter(i.status.state for i in corpus.review_items())
        for i in items:
            print(f"{i.status.state:9} {i.item:56} {display_safe(i.title)[:60]}")
        print("summary: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return EXIT_OK
    if args.action == "show":
        if not args.items:
            raise CliError("atc-guide review show: name at least one item")
        for i in items:
            print(f"{i.item}  [{i.status.state}]\n{display_safe(i.title)}\n\n{display_safe(i.text)}\n")
            if i.status.record is not None:
                r = i.status.record
                print(f"decision: {r.decision} by {display_safe(r.reviewer)} ({display_safe(r.role)}) on {r.at:%Y-%m-%d}")
            if i.status.previous is not None:
                print("note: this text changed since it was approved; the approval is withdrawn")
        return EXIT_OK
    if not (args.reviewer and args.role):
        raise CliError(f"atc-guide review {args.action}: --reviewer and --role are required")
    try:
        check_reviewer(args.reviewer, args.role)
    except DecisionRefused as exc:
        raise CliError(f"atc-guide review {args.action}: {exc}") from None
    if not items:
        print("nothing to review")
        return EXIT_OK
    decision = "approved" if args.action == "approve" else "rejected"
    for i in items:
        try:
            record_decision(corpus, i, decision, args.reviewer, args.role, note=args.note,
                            meaning="nurse-only" if args.nurse_only else None,
                            demonstration=args.demonstration)
        except DecisionRefused as exc:
            raise CliError(f"atc-guide review {args.action}: {exc}") from None
    print(f"{decision} {len(items)} item(s); recorded in {corpus.ledger.path}")
    return EXIT_OK
