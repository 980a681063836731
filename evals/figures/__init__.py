"""The figures of one run, one section per module; each is a pure function from the run's
results to a typed model (``report.json`` is those models, dumped).

| module | ``report.json`` key | what it measures |
| --- | --- | --- |
| ``meta`` | ``meta`` | what the run was measured on |
| ``retrieval`` | ``retrieval`` | ranking quality per retriever and split |
| ``abstention`` | ``abstention`` | answer or decline, risk-coverage |
| ``safety`` | ``safety`` | escalation recall and false escalations |
| ``integrity`` | ``integrity`` | approved text shown byte for byte |
| ``content`` | ``content`` | reading grade, approval coverage, unused passages |
| ``speed`` | ``speed`` | latency during the run |
| ``external`` | ``external`` | the public set, scored on its own |
| ``conversation`` | ``conversation`` | conversation suite, wrong answers shown, decision curve |
| ``held_out`` | ``held_out`` | the sealed held-out sets beside the tuned ones |
| ``summary`` | ``summary`` | cases passed |

A new section: a module here with a :class:`~evals.figures.splits.Figures` model and a
``<name>_section`` function, a field on :class:`evals.report_data.Report`, one line in
:func:`evals.evaluate.build_report` (see ``evals/README.md``).
"""

from __future__ import annotations

from evals.figures.abstention import Abstention, abstention_section
from evals.figures.content import Content, content_section
from evals.figures.conversation import ConversationFigures, conversation_section
from evals.figures.external import External, external_section
from evals.figures.held_out import HeldOut, held_out_section
from evals.figures.integrity import Integrity, integrity_section
from evals.figures.meta import Meta, meta_section
from evals.figures.retrieval import Retrieval, retrieval_section
from evals.figures.safety import Safety, escalated_right, safety_section
from evals.figures.speed import Speed, speed_section
from evals.figures.splits import SPLITS, BySplit, Figures, by_split
from evals.figures.summary import Summary, summary_section

__all__ = [
    "SPLITS",
    "Abstention",
    "BySplit",
    "Content",
    "ConversationFigures",
    "External",
    "Figures",
    "HeldOut",
    "Integrity",
    "Meta",
    "Retrieval",
    "Safety",
    "Speed",
    "Summary",
    "abstention_section",
    "by_split",
    "content_section",
    "conversation_section",
    "escalated_right",
    "external_section",
    "held_out_section",
    "integrity_section",
    "meta_section",
    "retrieval_section",
    "safety_section",
    "speed_section",
    "summary_section",
]
