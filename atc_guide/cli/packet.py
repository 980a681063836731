"""``atc-guide packet``: a nurse's goals-of-care packet, written without any UI.

Two documents per packet, HTML and PDF, under one new dated name (nothing is ever
overwritten): the family's pages and the care team's talking points. The situation is
read forgivingly ("IVC", "4c", "V600E" all work) into the one situation vocabulary
(``PatientSituation.from_tags``).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from atc_guide.cli.errors import EXIT_FAILED, EXIT_OK, CliError
from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.export import (
    FAMILY,
    Prepared,
    build_packet_documents,
    is_family,
    write_packet,
)
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
    prepared = Prepared(args.prepared_for, args.prepared_by, args.on)
    out = Path(args.out)
    try:
        if not out.exists():
            ensure_private_dir(out)
        docs = build_packet_documents(corpus, packet, TermIndex(corpus.approved_glossary()),
                                      date.today(), prepared)
        paths = write_packet(docs, out)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CliError(f"atc-guide packet: cannot write to {out}: {reason}", EXIT_FAILED) from None
    family = sum(1 for e in packet.entries if is_family(corpus, e))
    print(f"packet: {family} entries on the family's pages, {len(packet) - family} in the "
          "care team's talking points")
    for path in paths:
        print(f"{'family' if path.stem.endswith(FAMILY) else 'care team'}: {path}")
    return EXIT_OK
