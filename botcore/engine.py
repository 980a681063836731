"""The one engine behind every front door: ``Engine.load(...).ask(question, session)``.

Pipeline (README, "How an answer is made"): sanitize -> triage -> scope -> retrieve ->
decide -> compose. Triage runs on the full cleaned text of every turn first. Every stage
after loading fails closed: an exception, a timeout or a non-finite score gives the
approved fallback message, never a traceback and never an unverified passage.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from botcore import dialogue
from botcore.answer import Answer, Reason, Session, Snippet, Turn
from botcore.answerability import Model, Signals
from botcore.answerability import load_model as load_answerability
from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.decide import Decision, decide, decide_answerable
from botcore.dialogue import Context, Interactions, held_redirect, note_situations, turn_context
from botcore.embedder import Embedder
from botcore.errors import EngineFault
from botcore.index import PassageIndex, Progress, index_texts
from botcore.load_report import LoadReport
from botcore.query_cache import QueryCache, installed, is_installed
from botcore.retrieve import Mode, Ranking, Retriever
from botcore.sanitize import clean_input, truncate
from botcore.textproc import LayTerms
from botcore.triage import Triage, TriageHit
from botcore.triage import decision as verdicts
from botcore.triage.cache import load_triage
from botcore.triage.clauses import screen_texts, screen_vectors
from botcore.triage.decision import NOTE_MESSAGES, Verdict, hold_in_force
from botcore.triage.learned import SafetyModel, finite_unit, load_model
from botcore.turn_kinds import is_switch
from botcore.vector_memo import VectorMemo

log = logging.getLogger("atc_guide.engine")

SUGGESTIONS = 3
RECENT_QUESTIONS = 16
"""Query texts whose vectors the engine keeps: one question's (whole, clauses, variants)."""
REMINDER = "safety-reminder"
"""The approved one-line 911 / 988 reminder that ends every message that declines."""


class Engine:
    """Loaded corpus, triage and index. Thread-safe for concurrent ``ask`` calls that do
    not share a ``Session``."""

    def __init__(self, settings: Settings, corpus: Corpus, triage: Triage, index: PassageIndex,
                 report: LoadReport, safety: SafetyModel | None = None,
                 answerability: Model | None = None) -> None:
        self.settings = settings
        self.corpus = corpus
        self.triage = triage
        if not isinstance(index.embedder, VectorMemo):
            index.embedder = VectorMemo(index.embedder, RECENT_QUESTIONS)
        self.index = index
        self.safety = safety if safety is not None and safety.fits(
            index.embedder.name, index.embedder.dim) else None
        self.report = report
        glossary = [(g.term, g.lay_terms) for g in corpus.approved_glossary()]
        lay = LayTerms(glossary)
        memo = settings.cache_dir / f"terms-{lay.fingerprint[:20]}.json"
        remembered = lay.load_memo(memo)  # the passages' terms, found at an earlier start
        self.retriever = Retriever(index, lay, settings.candidate_k, settings.rrf_k)
        self.answerability = answerability
        """The fitted answerability model (None: the similarity gate decides)."""
        self.signals = Signals(index.passages, lay, self.retriever.speller, glossary,
                               self.retriever.known)
        self.interactions = Interactions(lay)
        if lay.memo_size > remembered:
            with contextlib.suppress(OSError):  # a read-only cache only costs time
                lay.save_memo(memo)

    @classmethod
    def load(cls, settings: Settings | None = None, *, embedder: Embedder | None = None,
             progress: Progress | None = None, rebuild: bool = False,
             model_progress: Progress | None = None, corpus: Corpus | None = None,
             answerability_model: bool = True) -> Engine:
        """Load the corpus (refusing unapproved safety content), the model and the index.

        ``model_progress`` hears the one-time model export (``progress`` when not given).
        ``corpus``: one the caller has already read from ``settings.corpus_dir`` (the app
        shows it while the engine loads), instead of reading it a second time.
        Raises ``CorpusError`` for a bad or unapproved corpus: the caller shows it as one
        line and does not start (there is no safe way to answer without triage).
        ``answerability_model=False`` leaves the corpus's fitted answerability model out
        (the similarity gate decides): only the script that fits a new one needs that.
        """
        settings = settings or Settings()
        corpus = corpus if corpus is not None else Corpus(settings.corpus_dir, settings.cache_dir)
        corpus.require_safety_approved()
        triage = load_triage(corpus.lexicon_path, settings.cache_dir)
        safety = load_model(corpus.safety_model_path)
        # refuses an answerability model edited after fitting (before the slow part)
        model = load_answerability(settings.corpus_dir) if answerability_model else None
        passages = corpus.approved_passages()
        if embedder is None:  # the ONNX model (no torch), proved equal to the reference
            from botcore.model_store import load_embedder  # noqa: PLC0415

            embedder = load_embedder(settings.cache_dir, index_texts(passages),
                                     model_progress or progress, retry=rebuild)
        index_settings = {"views": "title+text+asked_as"}
        index, outcome = PassageIndex.load_or_build(
            passages, embedder, settings.cache_dir, index_settings, progress=progress,
            rebuild=rebuild,
        )
        stage = "learned stage on" if safety.fits(embedder.name, embedder.dim) else (
            f"learned stage off: the weights are for {safety.model}, not {embedder.name}")
        decision = f"answerability model {model.sha256[:12]}" if model else "similarity gate"
        report = LoadReport(len(passages), len(corpus.passages) - len(passages), outcome,
                            embedder.name, decision, stage)
        return cls(settings, corpus, triage, index, report, safety, model)

    # -- public API ---------------------------------------------------------------------------
    def ask(self, question: str, session: Session | None = None) -> Answer:
        """Answer one question. Never raises: a failure anywhere returns the fallback."""
        started = time.monotonic()
        try:
            noted = note_situations(question, session)
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
                message_id=answer.message_id, safety_note=answer.safety_note,
                topic=session.topic, passage_ids=tuple(s.passage_id for s in answer.snippets),
                reason=answer.reason, terms=tuple(answer.subject),
                considered=tuple(answer.considered), query=answer.searched,
            ))
        return answer

    def retrieve(self, question: str, session: Session | None = None, mode: Mode = "hybrid",
                 k: int = 10) -> Ranking:
        """Ranked approved passages for a question, without triage or the gate (evals)."""
        return self.retriever.rank(truncate(clean_input(question)), session, mode, k)

    @contextmanager
    def query_cache(self) -> Iterator[QueryCache]:
        """Memoise query embeddings and spelling repair for one run (evals: every question
        is asked once and then ranked again in three modes). Answers do not change, only
        the time spent; call ``clear()`` on the yielded cache between questions. Meant for
        one single-threaded run: while it is open, every ``ask`` on this engine shares it."""
        with installed(self.index, self.retriever) as cache:
            yield cache

    @property
    def query_cache_active(self) -> bool:
        """True while a ``query_cache()`` block is open on this engine."""
        return is_installed(self.index, self.retriever)

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
        if cleaned:
            self._encode_once(truncate(cleaned), session)
        verdict = self._safety_verdict(question, cleaned, hit, session)
        hit = verdict.hit
        if hit is not None and (hit.tier in ("emergency", "crisis") or not cleaned):
            return self._escalate(shown_question, hit, [])
        answer = self._answer(cleaned, shown_question, hit, session)
        if verdict.note is None:
            return answer
        return answer.model_copy(update={  # the resources first, above an unblocked answer
            "safety_note": verdict.note,
            "safety_message": self.corpus.message(NOTE_MESSAGES[verdict.note])})

    @property
    def model(self) -> Embedder:
        """The embedding model itself, behind the engine's memo of recent question vectors."""
        memo = self.index.embedder
        return memo.inner if isinstance(memo, VectorMemo) else memo

    def model_usage(self) -> tuple[int, int]:
        """(calls, texts) that reached the embedding model since the engine was made: the
        benchmark's "encodes per question" (remembered question vectors cost nothing)."""
        memo = self.index.embedder
        if isinstance(memo, VectorMemo):
            return memo.model_calls, memo.model_texts
        return 0, 0

    def question_vector(self, text: str) -> np.ndarray | None:
        """The vector retrieval will search with for this (cleaned, truncated) text,
        encoded once and shared: the safety screen reads it first, retrieval gets the
        same vector from :class:`~botcore.vector_memo.VectorMemo` without a second encode. None
        when the learned stage is off or the vector is unusable (zero, NaN)."""
        rows = self.screen_rows(text)
        return None if rows is None else rows[0]

    def screen_rows(self, text: str) -> np.ndarray | None:
        """The question's vector (row 0) and its clauses' (``triage.clauses``), encoded in
        one batched call through the memo; unusable clause rows are dropped."""
        if self.safety is None or not text:
            return None
        rows = screen_vectors(self.index.embedder.encode, text)
        return rows[usable] if (usable := [finite_unit(r) for r in rows])[0] else None

    def _encode_once(self, query: str, session: Session | None) -> None:
        """Encode in ONE call every vector this question needs: the question and its
        clauses (the safety screen reads them first) and retrieval's variants; the memo
        keeps them. Learned stage off: retrieval's own call is already the only one."""
        if self.safety is None:
            return
        texts = [*screen_texts(query), *self.retriever.query_texts(query, session)]
        if len(dict.fromkeys(texts)) > 1:
            self.index.embedder.encode(texts)

    def screen_text(self, text: str) -> TriageHit | None:
        """The hard red flag in a text that is not a question to answer (the app's notes
        box): the same lexicon, typo tolerance and learned stage as ``ask``, without
        retrieval or session. None when nothing calls for the emergency or crisis
        message (a safety note's signal counts: it returns the note's tier)."""
        verdict = self._safety_verdict(text, clean_input(text), self.triage.screen(text), None)
        if verdict.hit is not None or verdict.note is None:
            return verdict.hit
        return TriageHit(tier=verdict.note, rule_id=f"note-{verdict.note}",
                         message_id="crisis" if verdict.note == "crisis" else "emergency-signs",
                         stage="learned")

    def _safety_verdict(self, question: str, cleaned: str, hit: TriageHit | None,
                        session: Session | None) -> Verdict:
        """Lexicon, then the learned stage on the question's vector, then the hold: after
        a crisis or emergency, push-back of any wording keeps the escalation (S6)."""
        rows = self.screen_rows(truncate(cleaned)) if cleaned else None
        vector = rows[0] if rows is not None else None
        verdict = verdicts.screen_verdict(hit, rows, self.safety, cleaned, self.triage.scope)
        hold = hold_in_force(session.turns) if session is not None else None
        if hold is None:
            return verdict
        p_hold = (self.safety.hold_probability(vector)
                  if self.safety is not None and vector is not None else None)
        pushback, release = self.triage.hold_signals(question)  # release: the help came
        return verdicts.after_hold(hold, verdict, pushback, p_hold, self.safety,
                                   is_switch(cleaned) or release)

    def _answer(self, cleaned: str, shown_question: str, hit: TriageHit | None,
                session: Session | None) -> Answer:
        """Scope, retrieval, the gate and compose (no crisis or emergency hit here)."""
        scope = dialogue.read_scope(self.triage.scope(cleaned), cleaned, session,  # 3
                                    self.retriever.conversation.title_of)
        query = truncate(cleaned)
        if scope is not None and hit is None:
            snippets: list[Snippet] = []
            context: Context = {}
            if scope.kind == "redirect":
                snippets, context = self._general_for_redirect(query, session)
            reason: Reason = scope.kind  # type: ignore[assignment]
            return self._message_answer(shown_question, "abstained", reason, scope.message_id,
                                        snippets=snippets, suggestions=self._starters(),
                                        context=context)
        if hit is None and (held := held_redirect(query, session)) is not None:
            return self._message_answer(shown_question, "abstained", "redirect", held[0],
                                        suggestions=self._starters(), context=held[1])

        ranking = self.retriever.rank(query, session)  # 4 retrieve, read in its conversation
        if hit is None and self.interactions.is_interaction(query, session):
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
                                        "related-not-an-answer", suggestions=titles,
                                        context=context)
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

    def _context(self, ranking: Ranking, decision: Decision) -> Context:
        return turn_context(self.retriever.conversation, ranking, decision,
                            lambda pid: self.corpus.passages[pid].text)

    def _snippets(self, ranking: Ranking, decision: Decision) -> list[Snippet]:
        out = []
        for pid in decision.passage_ids:
            score = ranking.dense.get(pid, math.nan)
            if not math.isfinite(score):
                raise EngineFault("non-finite score reached compose")
            out.append(self.corpus.snippet(pid, score))
        return out

    def _general_for_redirect(self, query: str,
                              session: Session | None) -> tuple[list[Snippet], Context]:
        """For a personal decision, the one approved general passage that fits, if any (the
        similarity gate; labelled general, under the redirect), and what the turn leaves."""
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

    def _escalate(self, question: str, hit: TriageHit, snippets: list[Snippet]) -> Answer:
        return Answer(
            question=question, status="escalated", message=self.corpus.message(hit.message_id),
            message_id=hit.message_id, snippets=snippets, reason="escalated", tier=hit.tier,
        )

    def _message_answer(self, question: str, status: str, reason: Reason, message_id: str,
                        snippets: list[Snippet] | None = None, suggestions: list[str] | None = None,
                        context: Context | None = None) -> Answer:
        return Answer(
            question=question, status=status, message=self.corpus.message(message_id),  # type: ignore[arg-type]
            message_id=message_id, snippets=snippets or [], suggestions=suggestions or [],
            reason=reason, reminder=self.corpus.message(REMINDER),
            **(context or {}),  # type: ignore[arg-type]
        )

    def _fallback(self, question: str) -> Answer:
        try:
            text = self.corpus.message("fallback")
        except Exception:  # noqa: BLE001 - the last line of defence must not fail
            text = ("I can't answer right now. If this is an emergency, call 911. "
                    "Otherwise, contact your care team.")
        try:
            reminder: str | None = self.corpus.message(REMINDER)
        except Exception:  # noqa: BLE001
            reminder = None
        try:
            shown = truncate(clean_input(question), 500)
        except Exception:  # noqa: BLE001
            shown = ""
        return Answer(question=shown, status="abstained", message=text, message_id="fallback",
                      reason="fault", reminder=reminder)
