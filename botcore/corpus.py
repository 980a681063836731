"""Load and validate ``corpus/``, and decide what may be served.

Only approved text is ever served: a passage whose text (or title, audience, citations)
changed since its approval is withheld until it is reviewed again. The triage lexicon
and every system message must be approved too, or the corpus refuses to load (S2): the
app must never run with a safety net nobody signed off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from botcore.answer import Snippet
from botcore.errors import CorpusError
from botcore.ledger import ItemStatus, Ledger, sha256_text
from botcore.schema import GlossaryTerm, Message, NewerFirstSubject, Passage, Prompt, Source
from botcore.yamlio import YamlProblem, read_yaml

LEDGER_FILE = "approvals.jsonl"
LEXICON_FILE = "triage.yaml"
PROMPTS_FILE = "prompts.yaml"
NEWER_FIRST_FILE = "newer_first.yaml"
GENERAL_LABEL = "General information, not from the reviews"
"""How a general-guidance citation is shown to the reader."""
LEXICON_ITEM = "lexicon:triage"
SAFETY_MODEL_FILE = "safety/classifier.json"
SAFETY_MODEL_ITEM = "lexicon:safety-classifier"
"""The learned stage's weights and thresholds: approved like the lexicon (the same item
kind), refused at start when edited."""
REQUIRED_MESSAGES = (
    "emergency-airway", "emergency-bleeding", "emergency-general", "urgent-care-team", "crisis",
    "fallback", "out-of-scope", "weak-evidence", "redirect-dosing", "redirect-decision",
    "redirect-prognosis", "language", "empty", "disclaimer", "approval-label-demo",
    "emergency-card", "emergency-signs", "safety-note-crisis", "safety-note-emergency",
    "safety-reminder", "related-not-an-answer", "redirect-interaction",
)

M = TypeVar("M", bound=BaseModel)


def read_corpus_yaml(path: Path, cache_dir: Path | None = None) -> Any:
    """A corpus YAML file, strictly, with every problem as one ``CorpusError`` line
    (``cache_dir``: the parsed-copy cache of :func:`botcore.yamlio.read_yaml`)."""
    try:
        return read_yaml(path, cache_dir)
    except FileNotFoundError:
        raise CorpusError(f"{path.name}: file is missing from {path.parent}") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path.name}: not UTF-8 text") from None
    except YamlProblem as exc:
        where = f" at line {exc.line}" if exc.line is not None else ""
        detail = f" ({exc.problem})" if "repeated" in exc.problem else ""
        raise CorpusError(f"{path.name}: not valid YAML{where}{detail}") from None


def _validate_list(path: Path, model: type[M], label: str,
                   cache_dir: Path | None = None) -> list[M]:
    """Validate a YAML list of entries; the first error names file, entry and field."""
    data = read_corpus_yaml(path, cache_dir)
    if not isinstance(data, list):
        raise CorpusError(f"{path.name}: expected a list of {label} entries")
    items: list[M] = []
    for index, entry in enumerate(data, start=1):
        ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
        try:
            items.append(model.model_validate(entry))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise CorpusError(
                f"{path.name}: {label} entry {index} (id '{ident}'): field '{field}': {err['msg']}"
            ) from None
    seen: set[object] = set()
    for item in items:
        ident = getattr(item, "id", None)
        if ident in seen:
            raise CorpusError(f"{path.name}: {label} id '{ident}' is used twice")
        seen.add(ident)
    return items


def passage_meta(passage: Passage) -> str:
    """The hash of what is shown with a passage besides its text."""
    shown = {
        "title": passage.title,
        "audience": passage.audience,
        "cites": [c.model_dump(exclude_none=True) for c in passage.cites],
    }
    return sha256_text(json.dumps(shown, sort_keys=True))


def prompt_meta(prompt: Prompt) -> str:
    """The hash of what decides where a prompt is shown: its kind, section, citations and
    conditions. Editing those withdraws the approval, like editing its text."""
    shown = {
        "kind": prompt.kind, "section": prompt.section,
        "cites": [c.model_dump(exclude_none=True) for c in prompt.cites],
        "situations": list(prompt.situations), "hospice_discussed": prompt.hospice_discussed,
    }
    return sha256_text(json.dumps(shown, sort_keys=True))


def glossary_text(term: GlossaryTerm | dict[str, Any]) -> str:
    """What a glossary approval binds: the term, its definition and its lay words.

    Takes a loaded term or a raw YAML entry (the review screen reads old versions of the
    file from git history): one definition, so both always hash the same bytes."""
    if isinstance(term, dict):
        fields = {"term": term.get("term"), "definition": term.get("definition"),
                  "lay_terms": list(term.get("lay_terms") or [])}
    else:
        fields = {"term": term.term, "definition": term.definition,
                  "lay_terms": list(term.lay_terms)}
    return json.dumps(fields, sort_keys=True)


@dataclass(frozen=True)
class ReviewItem:
    """One reviewable item and its current state, for the review command and screen."""

    item: str
    title: str
    text: str
    sha256: str
    meta: str | None
    status: ItemStatus


class Corpus:
    """The loaded, validated corpus plus the approvals ledger."""

    def __init__(self, root: Path, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where parsed copies of the YAML files are kept between starts
        (the engine's cache; None reads every file afresh, as the review tools do)."""
        self.root = root
        if not root.is_dir():
            raise CorpusError(f"corpus folder not found: {root}")
        self.sources: dict[str, Source] = {
            s.id: s for s in _validate_list(root / "sources.yaml", Source, "source", cache_dir)
        }
        passage_files = sorted((root / "passages").glob("*.yaml"))
        if not passage_files:
            raise CorpusError(f"passages/: no passage files in {root / 'passages'}")
        self.passages: dict[str, Passage] = {}
        for path in passage_files:
            for passage in _validate_list(path, Passage, "passage", cache_dir):
                if passage.id in self.passages:
                    raise CorpusError(f"{path.name}: passage id '{passage.id}' is used twice")
                self._check_cites(path, passage)
                self.passages[passage.id] = passage
        self.glossary: dict[str, GlossaryTerm] = {
            g.id: g
            for g in _validate_list(root / "glossary.yaml", GlossaryTerm, "glossary", cache_dir)
        }
        self.messages: dict[str, Message] = {
            m.id: m for m in _validate_list(root / "messages.yaml", Message, "message", cache_dir)
        }
        self.prompts: dict[str, Prompt] = {}
        """Conversation prompts and family questions for the care team's packet (optional)."""
        if (root / PROMPTS_FILE).is_file():
            for prompt in _validate_list(root / PROMPTS_FILE, Prompt, "prompt", cache_dir):
                self._check_cites(root / PROMPTS_FILE, prompt)
                self.prompts[prompt.id] = prompt
        self.newer_first: list[NewerFirstSubject] = []
        """Subjects both reviews cover where they differ: passages lead with the newer."""
        if (root / NEWER_FIRST_FILE).is_file():
            self.newer_first = _validate_list(root / NEWER_FIRST_FILE, NewerFirstSubject,
                                              "subject", cache_dir)
            for subject in self.newer_first:
                for ref in (*subject.newer, subject.older):
                    source = self.sources.get(ref.source)
                    if source is None or source.section(ref.section) is None:
                        raise CorpusError(f"{NEWER_FIRST_FILE}: subject '{subject.id}': no section "
                                          f"'{ref.section}' in source '{ref.source}'")
        self.lexicon_path = root / LEXICON_FILE
        self.safety_model_path = root / SAFETY_MODEL_FILE
        self.ledger = Ledger.load(root / LEDGER_FILE)
        self.ledger.require_intact()
        self._approved = {
            pid for pid, p in self.passages.items() if self.passage_status(p).state == "approved"
        }

    # -- validation ---------------------------------------------------------------------------
    def _check_cites(self, path: Path, passage: Passage | Prompt) -> None:
        for cite in passage.cites:
            if cite.is_general:
                if isinstance(passage, Prompt):  # the packet lists a prompt's review sections
                    raise CorpusError(f"{path.name}: prompt '{passage.id}': field 'cites': a prompt"
                                      " cites review sections only, not general guidance")
                continue
            source = self.sources.get(cite.source)
            if source is None:
                raise CorpusError(
                    f"{path.name}: passage '{passage.id}': field 'cites': "
                    f"unknown source '{cite.source}'"
                )
            if source.section(cite.section or "") is None:
                raise CorpusError(
                    f"{path.name}: passage '{passage.id}': field 'cites': source '{cite.source}'"
                    f" has no section '{cite.section}'"
                )

    def require_safety_approved(self) -> None:
        """Refuse to serve unless the lexicon and every system message are approved (S2)."""
        missing = [m for m in REQUIRED_MESSAGES if m not in self.messages]
        if missing:
            raise CorpusError(f"messages.yaml: required message '{missing[0]}' is missing")
        for mid in REQUIRED_MESSAGES:
            state = self.message_status(mid).state
            if state != "approved":
                raise CorpusError(f"messages.yaml: message '{mid}' is {state}, not approved")
        state = self.lexicon_status().state
        if state != "approved":
            raise CorpusError(f"{LEXICON_FILE}: the red-flag lexicon is {state}, not approved")
        state = self.safety_model_status().state
        if state != "approved":
            raise CorpusError(
                f"{SAFETY_MODEL_FILE}: the safety classifier is {state}, not approved")

    # -- governance ---------------------------------------------------------------------------
    def passage_status(self, passage: Passage) -> ItemStatus:
        return self.ledger.status(f"passage:{passage.id}", sha256_text(passage.text),
                                  passage_meta(passage))

    def message_status(self, message_id: str) -> ItemStatus:
        text = self.messages[message_id].text
        return self.ledger.status(f"message:{message_id}", sha256_text(text))

    def lexicon_status(self) -> ItemStatus:
        return self.ledger.status(LEXICON_ITEM, sha256_text(self.lexicon_text()))

    def safety_model_status(self) -> ItemStatus:
        return self.ledger.status(SAFETY_MODEL_ITEM, sha256_text(self.safety_model_text()))

    def prompt_status(self, prompt: Prompt) -> ItemStatus:
        return self.ledger.status(f"prompt:{prompt.id}", sha256_text(prompt.text),
                                  prompt_meta(prompt))

    def glossary_status(self, term: GlossaryTerm) -> ItemStatus:
        return self.ledger.status(f"glossary:{term.id}", sha256_text(glossary_text(term)))

    def lexicon_text(self) -> str:
        from botcore.triage import lexicon_text  # noqa: PLC0415

        return lexicon_text(self.lexicon_path)

    def safety_model_text(self) -> str:
        from botcore.triage.learned import model_text  # noqa: PLC0415

        return model_text(self.safety_model_path)

    def review_items(self) -> list[ReviewItem]:
        """Every reviewable item with its state, in a stable order."""
        items: list[ReviewItem] = []
        for p in self.passages.values():
            items.append(ReviewItem(f"passage:{p.id}", p.title, p.text, sha256_text(p.text),
                                    passage_meta(p), self.passage_status(p)))
        for g in self.glossary.values():
            text = glossary_text(g)
            items.append(ReviewItem(f"glossary:{g.id}", g.term, g.definition, sha256_text(text),
                                    None, self.glossary_status(g)))
        for m in self.messages.values():
            items.append(ReviewItem(f"message:{m.id}", m.id, m.text, sha256_text(m.text), None,
                                    self.message_status(m.id)))
        for q in self.prompts.values():
            items.append(ReviewItem(f"prompt:{q.id}", f"{q.kind} ({q.section})", q.text,
                                    sha256_text(q.text), prompt_meta(q), self.prompt_status(q)))
        lex = self.lexicon_text()
        items.append(ReviewItem(LEXICON_ITEM, "Red-flag lexicon (triage.yaml)", lex,
                                sha256_text(lex), None, self.lexicon_status()))
        if self.safety_model_path.is_file():
            weights = self.safety_model_text()
            items.append(ReviewItem(SAFETY_MODEL_ITEM,
                                    "Safety classifier weights (safety/classifier.json)",
                                    weights, sha256_text(weights), None,
                                    self.safety_model_status()))
        return items

    # -- serving ------------------------------------------------------------------------------
    def approved_passages(self) -> list[Passage]:
        return [p for pid, p in self.passages.items() if pid in self._approved]

    def is_approved(self, passage_id: str) -> bool:
        return passage_id in self._approved

    def approved_prompts(self) -> list[Prompt]:
        return [q for q in self.prompts.values() if self.prompt_status(q).state == "approved"]

    def approved_glossary(self) -> list[GlossaryTerm]:
        return [g for g in self.glossary.values() if self.glossary_status(g).state == "approved"]

    def message(self, message_id: str) -> str:
        """The approved text of a system message; refuses unapproved text."""
        if message_id not in self.messages or self.message_status(message_id).state != "approved":
            raise CorpusError(f"messages.yaml: message '{message_id}' is not approved")
        return self.messages[message_id].text

    def guided_path(self, topic: str) -> list[Passage]:
        steps = [p for p in self.approved_passages()
                 if p.topic == topic and p.guided_step is not None]
        return sorted(steps, key=lambda p: (p.guided_step or 0, p.id))

    def citation(self, passage: Passage) -> str:
        """What the reader sees as the passage's source: each review and section, and any
        general guidance marked as "General information, not from the reviews"."""
        parts = []
        for cite in passage.cites:
            if cite.is_general:
                parts.append(f"{GENERAL_LABEL}: {cite.guidance}")
                continue
            source = self.sources[cite.source]
            section = source.section(cite.section or "")
            title = (f", \u201c{source.title}\u201d" if source.title
                     else " (title not given in the source file)")
            name = section.name if section else cite.section
            parts.append(f"{source.short}{title} \u2014 section: {name}")
        return "; ".join(parts)

    def approval_label(self, approval_demonstration: bool, reviewer: str, role: str) -> str:
        if approval_demonstration:
            return self.message("approval-label-demo")
        return f"Approved by {reviewer} ({role})"

    def snippet(self, passage_id: str, score: float) -> Snippet:
        """The verbatim, cited, labelled passage. Refuses anything not approved."""
        passage = self.passages.get(passage_id)
        if passage is None or passage_id not in self._approved:
            raise CorpusError(f"passage '{passage_id}' is not approved and cannot be shown")
        record = self.passage_status(passage).record
        if record is None or record.decision != "approved":  # re-checked at the point of use
            raise CorpusError(f"passage '{passage_id}' is not approved and cannot be shown")
        return Snippet(
            passage_id=passage.id,
            title=passage.title,
            text=passage.text,
            citation=self.citation(passage),
            score=float(score),
            approved_by=f"{record.reviewer} ({record.role})",
            approved_on=record.at.date().isoformat(),
            approval_label=self.approval_label(record.demonstration, record.reviewer, record.role),
            topic=passage.topic,
            audience=passage.audience,
        )

    def approved_hash(self) -> str:
        """Identifies exactly what can be served: keys the index cache."""
        parts = [f"{p.id}:{sha256_text(p.text)}:{passage_meta(p)}"
                 for p in self.approved_passages()]
        parts += [f"{g.id}:{sha256_text(glossary_text(g))}" for g in self.approved_glossary()]
        parts.append(sha256_text(self.lexicon_text()))
        return sha256_text("\n".join(parts))
