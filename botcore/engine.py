"""The one engine behind every front door: ``Engine.load(...).ask(question, session)``.

Pipeline (shared/design.md): sanitize -> triage -> scope -> retrieve -> decide -> compose.
Triage runs on the full cleaned text of every turn before anything else. Every stage
after loading fails closed: an exception, a timeout or a non-finite score gives the
approved fallback message, never a traceback and never an unverified passage.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from botcore.answer import Answer, Reason, Session, Snippet, Turn
from botcore.answerability import Model, Signals, load_model
from botcore.config import Settings
from botcore.conversation import is_insisting, subject_turn
from botcore.corpus import Corpus
from botcore.decide import Decision, decide, decide_answerable
from botcore.embedder import Embedder
from botcore.errors import EngineFault
from botcore.index import PassageIndex, Progress
from botcore.interactions import is_interaction_question, names_a_treatment
from botcore.retrieve import Mode, Ranking, Retriever
from botcore.sanitize import clean_input, truncate
from botcore.situations import recognise
from botcore.textproc import LayTerms
from botcore.triage import Triage, TriageHit, load_lexicon

log = logging.getLogger("atc_guide.engine")

SUGGESTIONS = 3


@dataclass(frozen=True)
class LoadReport:
    passages_served: int
    passages_withheld: int
    index: str
    """What happened to the index cache: loaded, built, or rebuilt (and why)."""
    model: str
    decision: str = "similarity gate"
    """What decides whether to answer: the answerability model (with its sha256 prefix),
    or the similarity gate when the corpus has no fitted model."""


class Engine:
    """Loaded corpus, triage and index. Thread-safe for concurrent ``ask`` calls that do
    not share a ``Session``."""

    def __init__(self, settings: Settings, corpus: Corpus, triage: Triage, index: PassageIndex,
                 report: LoadReport, answerability: Model | None = None) -> None:
        self.settings = settings
        self.corpus = corpus
        self.triage = triage
        self.index = index
        self.report = report
        glossary = [(g.term, g.lay_terms) for g in corpus.approved_glossary()]
        lay = LayTerms(glossary)
        self.retriever = Retriever(index, lay, settings.candidate_k, settings.rrf_k)
        self.answerability = answerability
        """The fitted answerability model (None: the similarity gate decides)."""
        self.signals = Signals(index.passages, lay, self.retriever.speller, glossary,
                               self.retriever.known)

    @classmethod
    def load(cls, settings: Settings | None = None, *, embedder: Embedder | None = None,
             progress: Progress | None = None, rebuild: bool = False,
             answerability_model: bool = True) -> Engine:
        """Load the corpus (refusing unapproved safety content), the model and the index.

        Raises ``CorpusError`` for a bad or unapproved corpus: the caller shows it as one
        line and does not start (there is no safe way to answer without triage).
        ``answerability_model=False`` leaves the corpus's fitted answerability model out
        (the similarity gate decides): only the script that fits a new one needs that.
        """
        settings = settings or Settings()
        corpus = Corpus(settings.corpus_dir)
        corpus.require_safety_approved()
        triage = Triage(load_lexicon(corpus.lexicon_path))
        # refuses a model edited after fitting (before the slow part: fail fast)
        model = load_model(settings.corpus_dir) if answerability_model else None
        if embedder is None:
            from botcore.embedder import MiniLMEmbedder  # noqa: PLC0415 - heavy

            embedder = MiniLMEmbedder()
        passages = corpus.approved_passages()
        index_settings = {"views": "title+text+asked_as"}
        index, outcome = PassageIndex.load_or_build(
            passages, embedder, settings.cache_dir, index_settings, progress=progress, rebuild=rebuild
        )
        decision = f"answerability model {model.sha256[:12]}" if model else "similarity gate"
        report = LoadReport(len(passages), len(corpus.passages) - len(passages), outcome,
                            embedder.name, decision)
        return cls(settings, corpus, triage, index, report, model)

    # -- public API ---------------------------------------------------------------------------
    def ask(self, question: str, session: Session | None = None) -> Answer:
        """Answer one question. Never raises: a failure anywhere returns the fallback."""
        started = time.monotonic()
        try:
            noted = self._note_situations(question, session)
            answer = self._ask(question, session)
            if noted:
                answer = answer.model_copy(update={"noted": noted})
            if time.monotonic() - started > self.settings.answer_timeout_s:
                raise EngineFault("answer took longer than the time limit")
        except Exception as exc:  # noqa: BLE001 - fail closed is the requirement (S7)
            log.error("answer failed closed: %s", type(exc).__name__)  # never the user's text
            answer = self._fallback(question)
        if session is not None:
            session.turns.append(Turn(
                question=answer.question, status=answer.status, tier=answer.tier,
                topic=session.topic, passage_ids=tuple(s.passage_id for s in answer.snippets),
                reason=answer.reason, message_id=answer.message_id, terms=tuple(answer.subject),
                considered=tuple(answer.considered), query=answer.searched,
            ))
        return answer

    def retrieve(self, question: str, session: Session | None = None, mode: Mode = "hybrid",
                 k: int = 10) -> Ranking:
        """Ranked approved passages for a question, without triage or the gate (evals)."""
        return self.retriever.rank(truncate(clean_input(question)), session, mode, k)

    def snippet(self, passage_id: str, score: float = 1.0) -> Snippet:
        return self.corpus.snippet(passage_id, score)

    # -- pipeline -----------------------------------------------------------------------------
    def _ask(self, question: str, session: Session | None) -> Answer:
        cleaned = clean_input(question)  # 1 sanitize (full length: triage sees everything)
        shown_question = truncate(cleaned, 500)

        # 2 triage, before and independent of retrieval, on every turn, even one that
        # cleans to nothing. It gets the raw text: it folds it itself and also sees words
        # hidden by control bytes or escape sequences ("\x1b]0;he can't breathe\x07").
        hit = self.triage.screen(question)
        if not cleaned and hit is None:
            return self._message_answer(shown_question, "abstained", "empty", "empty")
        if hit is None and session is not None and (last := session.last_escalation()) is not None \
                and self.triage.is_pushback(question):
            hit = self._repeat(last)  # S6: escalation holds under pushback
        if hit is not None and (hit.tier in ("emergency", "crisis") or not cleaned):
            return self._escalate(shown_question, hit, [])

        scope = self.triage.scope(cleaned)  # 3 scope: language, personal decisions, off topic
        query = truncate(cleaned)
        if scope is not None and hit is None:
            snippets: list[Snippet] = []
            context: dict[str, object] = {}
            if scope.kind == "redirect":
                snippets, context = self._general_for_redirect(query, session)
            reason: Reason = scope.kind  # type: ignore[assignment]
            return self._message_answer(shown_question, "abstained", reason, scope.message_id,
                                        snippets=snippets, suggestions=self._starters(),
                                        context=context)
        if hit is None and (held := self._held_redirect(query, session)) is not None:
            return self._message_answer(shown_question, "abstained", "redirect", held[0],
                                        suggestions=self._starters(), context=held[1])

        ranking = self.retriever.rank(query, session)  # 4 retrieve, read in its conversation
        if hit is None and self._is_interaction(query, session):
            return self._message_answer(
                shown_question, "abstained", "redirect", "redirect-interaction",
                suggestions=self._nearby(ranking) or self._starters(),
                context=self._context(ranking, decide(ranking, top_k=self.settings.top_k)),
            )
        return self._decided(shown_question, ranking, hit)

    def _decided(self, shown_question: str, ranking: Ranking, hit: TriageHit | None) -> Answer:
        """Steps 5 and 6: decide whether the passages answer, and compose."""
        decision, evidence = self._decide(ranking)
        context = {**self._context(ranking, decision), "evidence": evidence}
        if hit is not None:  # urgent tier: the care-team message first, then what helps
            shown = self._snippets(ranking, decision) if decision.verdict == "answer" else []
            return self._escalate(shown_question, hit, shown).model_copy(update=context)
        if decision.verdict == "related":  # on the subject, but not an answer: titles only
            titles = [self.corpus.passages[pid].title for pid in decision.passage_ids]
            return self._message_answer(shown_question, "abstained", "related",
                                        "related-not-an-answer", suggestions=titles, context=context)
        if decision.verdict != "answer":
            return self._message_answer(
                shown_question, "abstained", decision.verdict, decision.verdict,
                suggestions=self._nearby(ranking) or self._starters(), context=context,
            )
        snippets = self._snippets(ranking, decision)  # 6 compose
        shown_ids = {s.passage_id for s in snippets}
        return Answer(
            question=shown_question, status="answered", snippets=snippets,
            suggestions=[t for t in self._nearby(ranking, skip=shown_ids)][:SUGGESTIONS],
            reason="answered", **context,  # type: ignore[arg-type]
        )

    def _decide(self, ranking: Ranking) -> tuple[Decision, dict[str, float]]:
        """The answerability model when the corpus has one; else the similarity gate (also
        when ``min_relevance`` is set, for calibration experiments)."""
        signals = {k: v for k, v in self.signals.of(ranking).items() if math.isfinite(v)}
        if self.answerability is None or self.settings.min_relevance is not None:
            return decide(ranking, self.settings.min_relevance, self.settings.top_k), signals
        # a missing (non-finite) signal makes the probability NaN, which never answers
        return decide_answerable(ranking, self.answerability, signals, self.settings.top_k), signals

    def _context(self, ranking: Ranking, decision: Decision) -> dict[str, object]:
        """What the conversation keeps from this turn, and the decision's score."""
        resolution = ranking.resolution
        subject: tuple[str, ...] = ()
        if resolution is not None:
            subject = self.retriever.conversation.subject_after(
                resolution, decision.considered, lambda pid: self.corpus.passages[pid].text)
        score = decision.score if math.isfinite(decision.score) else None
        return {"subject": list(subject), "considered": list(decision.considered),
                "gate_score": score, "searched": ranking.query}

    def _note_situations(self, question: str, session: Session | None) -> list[str]:
        """Situations stated in passing are kept in the session (the app shows them)."""
        if session is None:
            return []
        update = recognise(truncate(clean_input(question)))  # read as much as retrieval reads
        if update.noted or update.hospice is not None:
            session.situations, session.hospice = update.apply(session.situations, session.hospice)
        return update.noted

    def _held_redirect(self, question: str,
                       session: Session | None) -> tuple[str, dict[str, object]] | None:
        """Push-back on a redirect ("just give me a number") gets the same redirect."""
        if session is None or not session.turns:
            return None
        last = session.turns[-1]
        if last.reason != "redirect" or last.message_id is None or not is_insisting(question):
            return None
        return last.message_id, {"subject": list(last.terms), "considered": list(last.considered),
                                 "searched": last.query}

    @staticmethod
    def _is_interaction(cleaned: str, session: Session | None) -> bool:
        previous = subject_turn(session)
        in_context = previous is not None and (
            names_a_treatment(previous.question)
            or any(names_a_treatment(t) for t in previous.terms))
        return is_interaction_question(cleaned, in_context)

    def _snippets(self, ranking: Ranking, decision: Decision) -> list[Snippet]:
        out = []
        for pid in decision.passage_ids:
            score = ranking.dense.get(pid, math.nan)
            if not math.isfinite(score):
                raise EngineFault("non-finite score reached compose")
            out.append(self.corpus.snippet(pid, score))
        return out

    def _general_for_redirect(self, query: str,
                              session: Session | None) -> tuple[list[Snippet], dict[str, object]]:
        """For a personal decision, the one approved general passage that fits, if any
        (similarity gate: it sits under the redirect, labelled general), and what the
        conversation keeps from the turn."""
        ranking = self.retriever.rank(query, session)
        decision = decide(ranking, self.settings.min_relevance, 1)
        context = self._context(ranking, decision)
        context.pop("gate_score")
        return (self._snippets(ranking, decision) if decision.verdict == "answer" else []), context

    def _nearby(self, ranking: Ranking, skip: set[str] | None = None) -> list[str]:
        skip = skip or set()
        titles = []
        for pid in ranking.passage_ids[:8]:
            if pid in skip:
                continue
            if ranking.dense.get(pid, -1.0) >= 0.35:
                titles.append(self.corpus.passages[pid].title)
            if len(titles) == SUGGESTIONS:
                break
        return titles

    def _starters(self) -> list[str]:
        """The first step of each guided journey: somewhere safe to start."""
        starters = []
        for topic in ("understanding", "treatment", "airway", "planning"):
            path = self.corpus.guided_path(topic)
            if path:
                starters.append(path[0].title)
        return starters[:4]

    def _repeat(self, last: Turn) -> TriageHit:
        tier = last.tier or "emergency"
        message = "crisis" if tier == "crisis" else "emergency-general"
        return TriageHit(tier=tier, rule_id="pushback", message_id=message)

    def _escalate(self, question: str, hit: TriageHit, snippets: list[Snippet]) -> Answer:
        return Answer(
            question=question, status="escalated", message=self.corpus.message(hit.message_id),
            message_id=hit.message_id, snippets=snippets, reason="escalated", tier=hit.tier,
        )

    def _message_answer(self, question: str, status: str, reason: Reason, message_id: str,
                        snippets: list[Snippet] | None = None, suggestions: list[str] | None = None,
                        context: dict[str, object] | None = None) -> Answer:
        return Answer(
            question=question, status=status, message=self.corpus.message(message_id),  # type: ignore[arg-type]
            message_id=message_id, snippets=snippets or [], suggestions=suggestions or [],
            reason=reason, **(context or {}),  # type: ignore[arg-type]
        )

    def _fallback(self, question: str) -> Answer:
        try:
            text = self.corpus.message("fallback")
        except Exception:  # noqa: BLE001 - the last line of defence must not fail
            text = ("I can't answer right now. If this is an emergency, call 911. "
                    "Otherwise, contact your care team.")
        try:
            shown = truncate(clean_input(question), 500)
        except Exception:  # noqa: BLE001
            shown = ""
        return Answer(question=shown, status="abstained", message=text, message_id="fallback",
                      reason="fault")
