"""The care team's goals-of-care packet: which approved passages and prompts, in what order.

Pure logic over a loaded :class:`~botcore.corpus.Corpus` (no UI, no model): the
``atc-guide packet`` command and the preparation screen both call :func:`assemble`, then
let the nurse reorder, remove and add entries on the :class:`Packet` before it is
rendered (``botcore.export``).

A packet follows the order of a goals-of-care conversation: understanding the illness
-> treatment options -> the airway -> what matters most -> planning ahead. Each part
holds a few approved patient passages (those that fit the patient's situation first,
then a core set for the conversation), the nurse-audience passages that fit (marked
"For the care team" when rendered), then the approved conversation prompts and the
questions families often ask. Only approved items are ever picked or offered. Which
passages each part offers is clinical curation, kept as data in ``corpus/packet.yaml``
(:mod:`botcore.packet_plan`, checked when it is loaded).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from botcore.corpus import Corpus
from botcore.packet_plan import PacketPlan, PartPlan, plan_for
from botcore.sanitize import display_safe
from botcore.schema import PACKET_SECTIONS, SITUATION_GROUPS, SITUATIONS, Passage, Prompt

Stage = Literal["iva", "ivb", "ivc"]
Braf = Literal["v600e", "negative"]
EntryKind = Literal["passage", "prompt"]

SECTION_NAMES: dict[str, str] = {
    "understanding": "Understanding the illness",
    "options": "Treatment options",
    "airway": "Breathing and the airway",
    "what-matters": "What matters most",
    "planning": "Planning ahead",
}
"""Interface wording for the parts of the conversation (not clinical text)."""

_WEIGHTS = {"stage": 2, "braf": 3, "trach": 2}
_DIMENSIONS: tuple[tuple[str, frozenset[str], int], ...] = tuple(
    (name, frozenset(tags), _WEIGHTS[name]) for name, tags in SITUATION_GROUPS.items())
"""Situation dimensions and how much a match in each counts (the BRAF result decides
the treatment options for stage IVC, so it counts most)."""


@dataclass(frozen=True)
class PatientSituation:
    """What the nurse tells the app about the patient. ``None`` means not known."""

    stage: Stage | None = None
    braf: Braf | None = None
    trach: bool | None = None
    hospice_discussed: bool | None = None
    treatment: str = ""
    """Current treatment, as the nurse wrote it (shown in the packet, never matched)."""

    @classmethod
    def from_tags(cls, tags: Iterable[str], hospice_discussed: bool | None = None,
                  treatment: str = "") -> PatientSituation:
        """The situation from the shared vocabulary (``botcore.schema.SITUATIONS``): what
        the prep screen's form and the ``atc-guide packet`` command both produce.

        Raises ``ValueError`` for an unknown tag or two answers to one question (two
        stages). The treatment is sanitized, made one line and capped at 200 characters.
        """
        chosen = set(tags)
        unknown = sorted(chosen - set(SITUATIONS))
        if unknown:
            raise ValueError(f"unknown situation '{unknown[0]}' "
                             f"(choose from {', '.join(SITUATIONS)})")
        for _, dimension, _ in _DIMENSIONS:
            if len(chosen & dimension) > 1:
                raise ValueError("two answers to one question: "
                                 + " and ".join(sorted(chosen & dimension)))
        stage = next((t.removeprefix("stage-") for t in chosen if t.startswith("stage-")), None)
        braf = next((t.removeprefix("braf-") for t in chosen if t.startswith("braf-")), None)
        trach = True if "trach" in chosen else False if "no-trach" in chosen else None
        return cls(stage=stage, braf=braf, trach=trach,  # type: ignore[arg-type]
                   hospice_discussed=hospice_discussed,
                   treatment=" ".join(display_safe(treatment).split())[:200])

    def tags(self) -> frozenset[str]:
        tags: set[str] = set()
        if self.stage:
            tags.add(f"stage-{self.stage}")
        if self.braf:
            tags.add(f"braf-{self.braf}")
        if self.trach is not None:
            tags.add("trach" if self.trach else "no-trach")
        return frozenset(tags)

    def describe(self) -> list[str]:
        """The situation in words, one line per known fact (for the packet's header)."""
        lines = []
        if self.stage:
            lines.append(f"Stage {self.stage.upper()}")
        if self.braf:
            lines.append("BRAF V600E mutation found" if self.braf == "v600e"
                         else "No BRAF V600E mutation")
        if self.trach is not None:
            lines.append("Has a tracheostomy" if self.trach else "No tracheostomy")
        if self.hospice_discussed is not None:
            lines.append("Hospice has been discussed" if self.hospice_discussed
                         else "Hospice not yet discussed")
        if self.treatment.strip():
            lines.append(f"Current treatment: {' '.join(self.treatment.split())}")
        return lines


@dataclass(frozen=True)
class PacketEntry:
    kind: EntryKind
    id: str
    section: str

    @property
    def key(self) -> str:
        """The ledger item name (``passage:<id>`` or ``prompt:<id>``)."""
        return f"{self.kind}:{self.id}"


@dataclass
class Packet:
    """The packet being prepared: an ordered, editable list of entries.

    Rendering follows the list order exactly and starts a new part whenever the section
    changes, so whatever the nurse reorders is what gets printed.
    """

    situation: PatientSituation
    sections: tuple[str, ...] = PACKET_SECTIONS
    entries: list[PacketEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    def __contains__(self, key: object) -> bool:
        return any(e.key == key for e in self.entries)

    def passage_ids(self) -> list[str]:
        return [e.id for e in self.entries if e.kind == "passage"]

    def prompt_ids(self) -> list[str]:
        return [e.id for e in self.entries if e.kind == "prompt"]

    def move(self, index: int, delta: int) -> int:
        """Move the entry at ``index`` by ``delta`` places; returns its new index."""
        if not 0 <= index < len(self.entries):
            raise IndexError(f"no entry {index} in the packet")
        target = max(0, min(len(self.entries) - 1, index + delta))
        entry = self.entries.pop(index)
        self.entries.insert(target, entry)
        return target

    def remove(self, index: int) -> PacketEntry:
        if not 0 <= index < len(self.entries):
            raise IndexError(f"no entry {index} in the packet")
        return self.entries.pop(index)

    def add(self, entry: PacketEntry, at: int | None = None) -> int:
        """Add an entry (once); returns its index.

        Without ``at`` it goes at the end of its own part (after the last entry of the
        same section, or before the first entry of a later part), so the conversation
        order holds. An entry already in the packet stays where it is.
        """
        for index, existing in enumerate(self.entries):
            if existing.key == entry.key:
                return index
        if at is None:
            at = _section_end(self.entries, entry.section)
        at = max(0, min(len(self.entries), at))
        self.entries.insert(at, entry)
        return at


def _section_end(entries: Sequence[PacketEntry], section: str) -> int:
    order = {s: i for i, s in enumerate(PACKET_SECTIONS)}
    rank = order.get(section, len(order))
    last_same = max((i for i, e in enumerate(entries) if e.section == section), default=None)
    if last_same is not None:
        return last_same + 1
    later = [i for i, e in enumerate(entries) if order.get(e.section, len(order)) > rank]
    return min(later) if later else len(entries)


# -- matching -------------------------------------------------------------------------------
def _fit(item_tags: Iterable[str], tags: frozenset[str], *, strict_trach: bool) -> int | None:
    """How well an item's situation tags fit the patient's: ``None`` when they conflict
    (the item is for another stage or BRAF result), otherwise a weight (0 = general).

    A dimension the patient's situation leaves open never conflicts. Passages about the
    tracheostomy stay available to someone without one (the choice is part of the
    conversation) unless ``strict_trach`` (prompts worded for one case or the other).
    """
    own = set(item_tags)
    weight = 0
    for name, dimension, points in _DIMENSIONS:
        wanted = own & dimension
        have = tags & dimension
        if not wanted or not have:
            continue
        if wanted & have:
            weight += points
        elif name != "trach" or strict_trach:
            return None
    return weight


def _prompt_fits(prompt: Prompt, situation: PatientSituation, tags: frozenset[str]) -> bool:
    if _fit(prompt.situations, tags, strict_trach=True) is None:
        return False
    if prompt.situations and not _fit(prompt.situations, tags, strict_trach=True):
        return False  # a prompt for a named situation needs that situation to be known
    if prompt.hospice_discussed is None:
        return True
    return situation.hospice_discussed is prompt.hospice_discussed


def _pick_passages(section: str, part: PartPlan, plan: PacketPlan, candidates: list[Passage],
                   situation: PatientSituation, tags: frozenset[str],
                   order: dict[str, int]) -> list[Passage]:
    fitting = [(w, p) for p in candidates if (w := _fit(p.situations, tags, strict_trach=False))
               is not None]
    by_id = {p.id: p for _, p in fitting}
    patients = [(w, p) for w, p in fitting if p.audience == "patient"]
    nurses = [(w, p) for w, p in fitting if p.audience == "nurse"]

    def ranked(pairs: list[tuple[int, Passage]]) -> list[Passage]:
        return [p for _, p in sorted(pairs, key=lambda wp: (
            -wp[0], wp[1].guided_step is None, wp[1].guided_step or 0, order[wp[1].id]))]

    chosen: list[Passage] = []

    def take(passage: Passage | None, limit: int) -> None:
        if passage is not None and passage not in chosen and len(chosen) < limit:
            chosen.append(passage)

    limit = part.patient_limit
    for passage in ranked([(w, p) for w, p in patients if w > 0])[:part.specific_limit]:
        take(passage, limit)
    if section == "planning" and situation.hospice_discussed is not True:
        for pid in plan.hospice_intro:
            take(by_id.get(pid), limit)
    for pid in part.core:
        take(by_id.get(pid), limit)
    picked_nurses = [p for p in ranked([(w, p) for w, p in nurses if w > 0 or not p.situations])]
    chosen += picked_nurses[:part.nurse_limit]
    # Within a part, patient passages read in the corpus's own order (authors wrote each
    # journey in reading order), then the care team's detail.
    return sorted(chosen, key=lambda p: (p.audience == "nurse", order[p.id]))


def assemble(corpus: Corpus, situation: PatientSituation,
             sections: Iterable[str] | None = None) -> Packet:
    """The packet for ``situation`` covering ``sections`` (default: all, in order)."""
    wanted = tuple(s for s in PACKET_SECTIONS if sections is None or s in set(sections))
    unknown = set(sections or ()) - set(PACKET_SECTIONS)
    if unknown:
        raise ValueError(f"unknown packet section '{sorted(unknown)[0]}' "
                         f"(choose from {', '.join(PACKET_SECTIONS)})")
    plan = plan_for(corpus)
    tags = situation.tags()
    passages = corpus.approved_passages()
    order = {p.id: i for i, p in enumerate(corpus.passages.values())}
    prompts = [q for q in corpus.approved_prompts() if _prompt_fits(q, situation, tags)]
    packet = Packet(situation=situation, sections=wanted)
    for section in wanted:
        candidates = [p for p in passages if plan.section_of(p) == section]
        for passage in _pick_passages(section, plan.parts[section], plan,  # type: ignore[index]
                                      candidates, situation, tags, order):
            packet.entries.append(PacketEntry("passage", passage.id, section))
        for kind in ("conversation", "family-question"):
            for prompt in prompts:
                if prompt.section == section and prompt.kind == kind:
                    packet.entries.append(PacketEntry("prompt", prompt.id, section))
    return packet


def addable(corpus: Corpus, packet: Packet) -> list[PacketEntry]:
    """Approved passages and prompts not in the packet yet, in conversation order: what
    the nurse may add."""
    present = set(packet.keys())
    plan = plan_for(corpus)
    out = []
    for section in PACKET_SECTIONS:
        for p in corpus.approved_passages():
            if plan.section_of(p) == section and f"passage:{p.id}" not in present:
                out.append(PacketEntry("passage", p.id, section))
        for q in corpus.approved_prompts():
            if q.section == section and f"prompt:{q.id}" not in present:
                out.append(PacketEntry("prompt", q.id, section))
    return out


def entry_label(corpus: Corpus, entry: PacketEntry) -> str:
    """A one-line label for lists: the passage title or the prompt text, with its kind."""
    if entry.kind == "passage":
        passage = corpus.passages[entry.id]
        mark = "For the care team: " if passage.audience == "nurse" else ""
        return f"{mark}{passage.title}"
    prompt = corpus.prompts[entry.id]
    label = "Prompt" if prompt.kind == "conversation" else "Family question"
    return f"{label}: {prompt.text}"
