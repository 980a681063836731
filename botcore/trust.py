"""What the app may honestly say about who checked its content.

While the passages served carry demonstration approvals (nobody clinical signed them),
every screen, handout and packet says so in the same approved words: the
``trust-demo`` line, and the ``disclaimer-demo`` variant of the disclaimer (which does
not say that clinicians approved anything). Once every served passage has a real
approval, the ordinary ``disclaimer`` is used and no trust line is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from botcore.corpus import Corpus
from botcore.errors import CorpusError

TRUST_LINE = "trust-demo"
DEMO_DISCLAIMER = "disclaimer-demo"


@dataclass(frozen=True)
class Trust:
    demonstration: bool
    """Some passage that may be served has only a demonstration approval."""
    line: str | None
    """The approved one-line statement to show everywhere, or None."""
    disclaimer: str
    """The approved disclaimer to show (the demonstration variant while it applies)."""


def _approved(corpus: Corpus, message_id: str) -> str | None:
    if message_id not in corpus.messages:
        return None
    try:
        return corpus.message(message_id)
    except CorpusError:
        return None


def trust(corpus: Corpus) -> Trust:
    """The trust wording for this corpus, from its approvals ledger."""
    demo = False
    for passage in corpus.approved_passages():
        record = corpus.passage_status(passage).record
        if record is not None and record.demonstration:
            demo = True
            break
    if not demo:
        return Trust(False, None, corpus.message("disclaimer"))
    line = _approved(corpus, TRUST_LINE) or corpus.message("approval-label-demo")
    disclaimer = _approved(corpus, DEMO_DISCLAIMER) or corpus.message("disclaimer")
    return Trust(True, line, disclaimer)
