"""The packet's clinical curation as data: ``corpus/packet.yaml``, checked when loaded.

Which passages each part of a goals-of-care conversation offers is a clinical choice,
so it lives in the corpus beside the passages (reviewed with them, versioned in git),
not in code. Loading it refuses a file that names a passage that does not exist, or a
passage under a part it does not belong to: a renamed passage would otherwise drop out
of every packet without a word (``CorpusError``, naming the file and the id).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from botcore.corpus import Corpus, read_corpus_yaml
from botcore.errors import CorpusError
from botcore.schema import PACKET_SECTIONS, PacketSection, Passage

PLAN_FILE = "packet.yaml"

TOPIC_SECTION: dict[str, str] = {
    "understanding": "understanding", "treatment": "options", "airway": "airway",
    "planning": "planning",
}
"""Where a passage goes by its guided topic, unless the plan's ``what_matters`` lists it."""


class PartPlan(BaseModel):
    """One part of the conversation: what it offers and how much of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    core: tuple[str, ...] = ()
    """Passages every packet offers for this part, in preference order, after the
    passages that fit the patient's situation."""
    patient_limit: int = Field(ge=0, le=20)
    """At most this many patient passages in the part."""
    specific_limit: int = Field(ge=0, le=20)
    """Of which at most this many are picked for fitting the situation."""
    nurse_limit: int = Field(ge=0, le=20)
    """At most this many care-team (nurse-audience) passages."""
    prompt_limit: int = Field(default=1, ge=0, le=20)
    """At most this many conversation prompts (the care team's talking points)."""
    question_limit: int = Field(default=1, ge=0, le=20)
    """At most this many questions families often ask."""


class PacketPlan(BaseModel):
    """The whole of ``corpus/packet.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what_matters: frozenset[str] = frozenset()
    """Passages about values, goals and expectations: the "what matters most" part."""
    hospice_intro: tuple[str, ...] = ()
    """Offered first in "planning ahead" while hospice has not been discussed yet."""
    parts: dict[PacketSection, PartPlan]

    def section_of(self, passage: Passage) -> str:
        """The part of the conversation a passage belongs to."""
        if passage.id in self.what_matters:
            return "what-matters"
        return TOPIC_SECTION[passage.topic]

    def named(self) -> Mapping[str, str]:
        """Every passage id the plan names, with where it names it (for error messages)."""
        out: dict[str, str] = {pid: "what_matters" for pid in self.what_matters}
        out.update({pid: "hospice_intro" for pid in self.hospice_intro})
        for section, part in self.parts.items():
            out.update({pid: f"parts.{section}.core" for pid in part.core})
        return out


def parse_plan(data: Any, corpus: Corpus, name: str = PLAN_FILE) -> PacketPlan:
    """Validate the plan against the schema and against the corpus's passages."""
    try:
        plan = PacketPlan.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(file)"
        raise CorpusError(f"{name}: field '{field}': {err['msg']}") from None
    missing = [s for s in PACKET_SECTIONS if s not in plan.parts]
    if missing:
        raise CorpusError(f"{name}: field 'parts': part '{missing[0]}' is missing")
    for pid, where in plan.named().items():
        if pid not in corpus.passages:
            raise CorpusError(f"{name}: field '{where}': no passage '{pid}' in passages/")
    for section, part in plan.parts.items():
        for pid in part.core:
            if plan.section_of(corpus.passages[pid]) != section:
                raise CorpusError(f"{name}: field 'parts.{section}.core': passage '{pid}' "
                                  f"belongs to the part '{plan.section_of(corpus.passages[pid])}'")
    return plan


def read_plan(corpus: Corpus, path: Path | None = None) -> PacketPlan:
    """Read and check ``corpus/packet.yaml`` (or ``path``)."""
    path = path or corpus.root / PLAN_FILE
    return parse_plan(read_corpus_yaml(path), corpus, path.name)


_PLANS: WeakKeyDictionary[Corpus, PacketPlan] = WeakKeyDictionary()


def plan_for(corpus: Corpus) -> PacketPlan:
    """The corpus's packet plan, read and checked once per loaded corpus."""
    plan = _PLANS.get(corpus)
    if plan is None:
        plan = _PLANS[corpus] = read_plan(corpus)
    return plan
