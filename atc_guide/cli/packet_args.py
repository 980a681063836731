"""The arguments of ``atc-guide packet``, read forgivingly ("IVC", "4c", "V600E").

Apart from the command itself so that building the argument tree (done for every
command, ``ask`` included) imports no document writer.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from botcore.schema import PACKET_SECTIONS

_STAGES = {"iva": "iva", "4a": "iva", "ivb": "ivb", "4b": "ivb", "ivc": "ivc", "4c": "ivc"}
_BRAF = {"v600e": "v600e", "positive": "v600e", "negative": "negative", "unknown": "unknown"}
_YES_NO = {"yes": "yes", "y": "yes", "no": "no", "n": "no", "unknown": "unknown"}


def _forgiving(table: dict[str, str], what: str) -> object:
    def parse(value: str) -> str:
        key = re.sub(r"[\s_-]+", "", value.casefold()).removeprefix("stage")
        if key in table:
            return table[key]
        choices = ", ".join(sorted(set(table)))
        raise argparse.ArgumentTypeError(f"invalid {what} '{value}' (choose from {choices})")

    parse.__name__ = what  # argparse names the type in its messages
    return parse


stage_arg = _forgiving(_STAGES, "stage")
braf_arg = _forgiving(_BRAF, "BRAF result")
yes_no_arg = _forgiving(_YES_NO, "answer")


def date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date '{value}' (use YYYY-MM-DD)") from None


def add_arguments(packet: argparse.ArgumentParser) -> None:
    packet.add_argument("--stage", type=stage_arg, help="the stage, if known: IVA, IVB, IVC "
                        "(also 4a, 4b, 4c; any case)")
    packet.add_argument("--braf", type=braf_arg, default="unknown",
                        help="the BRAF result: V600E, negative or unknown")
    packet.add_argument("--trach", type=yes_no_arg, default="unknown",
                        help="whether the patient has a tracheostomy: yes, no, unknown")
    packet.add_argument("--hospice-discussed", type=yes_no_arg, default="unknown",
                        help="whether hospice has been discussed: yes, no, unknown")
    packet.add_argument("--treatment", metavar="TEXT",
                        help="current treatment, printed in the packet")
    packet.add_argument("--topics", nargs="+", metavar="TOPIC",
                        help=f"parts to cover (default all): {' '.join(PACKET_SECTIONS)}")
    packet.add_argument("--prepared-for", metavar="NAME", default="",
                        help="who the packet is for (printed on it)")
    packet.add_argument("--prepared-by", metavar="NAME", default="",
                        help="who prepared it (printed on it)")
    packet.add_argument("--on", type=date_arg, metavar="YYYY-MM-DD",
                        help="the day of the conversation (printed on it)")
    packet.add_argument("--out", required=True, metavar="DIR",
                        help="folder for the packet's HTML and PDF files")
