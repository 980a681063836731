"""``atc-guide packet``: a nurse's goals-of-care packet, written without any UI."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from atc_guide.cli.errors import EXIT_FAILED, EXIT_OK, CliError
from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.export import build_packet_document, write_packet
from botcore.glossary_terms import TermIndex
from botcore.packet import PatientSituation, assemble
from botcore.schema import PACKET_SECTIONS
from botcore.storage import ensure_private_dir


def cmd_packet(args: argparse.Namespace, settings: Settings) -> int:
    topics = [t for chunk in args.topics or [] for t in chunk.replace(",", " ").split()]
    bad = [t for t in topics if t not in PACKET_SECTIONS]
    if bad:
        raise CliError(f"atc-guide packet: unknown topic '{bad[0]}' (choose from "
                       f"{', '.join(PACKET_SECTIONS)})")
    tags = {f"stage-{args.stage}" if args.stage else "",
            f"braf-{args.braf}" if args.braf != "unknown" else "",
            {"yes": "trach", "no": "no-trach"}.get(args.trach, "")} - {""}
    situation = PatientSituation.from_tags(
        tags, hospice_discussed=None if args.hospice_discussed == "unknown"
        else args.hospice_discussed == "yes", treatment=args.treatment or "")
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
