"""``Triage``: the red-flag screen and the scope rules (SAFETY.md S1-S3, S5, S6, S8).

Everything a rule says lives in ``corpus/triage.yaml``, which clinicians review and
approve like a passage: this module only loads, checks and applies it. Behaviour is
deterministic: the same text always gives the same answer, on every turn, whatever
retrieval would have said.

How a text is read:

1. It is folded once (:func:`botcore.sanitize.fold_for_matching`): lowercase words and
   single spaces, with look-alike letters, accents, apostrophes, emoji and invisible
   characters erased. Patterns are regexes over that folded text, bounded by words.
2. A rule fires when one of its patterns matches and that match is not covered by an
   *exception* that names the rule, found in the same sentence. An exception never
   cancels another rule, nor another occurrence of the phrase ("she wants to die at home
   with hospice" cancels that "wants to die"; "I want to die" in the next sentence still
   fires).
3. ``screen`` returns the highest tier that fires (crisis > emergency > urgent), and in
   that tier the first rule in file order. Clinicians order the rules.

The whole text is screened, never a truncated copy.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from botcore.answer import Tier
from botcore.sanitize import MAX_QUESTION_CHARS, clean_input
from botcore.triage import prefilter
from botcore.triage.fuzzy import KeyWords
from botcore.triage.head_index import HeadIndex
from botcore.triage.lexicon import Lexicon, Rule
from botcore.triage.patterns import expand
from botcore.triage.prefilter import Compiled, Matcher
from botcore.triage.prepared import Prepared, prepare, rewritten

TIER_RANK: dict[str, int] = {"urgent": 1, "emergency": 2, "crisis": 3}
TIERS_BY_PRIORITY: tuple[Tier, ...] = ("crisis", "emergency", "urgent")
LANGUAGE_SAMPLE_CHARS = 2 * MAX_QUESTION_CHARS
"""Language is judged on the start of the text only; the red-flag screen reads it all."""

_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(
    r"[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


_DISMISSAL = re.compile(
    r"^\s*(?:(?:ok|okay|fine|alright|all right|lol|haha|sorry|um|uh|well)[\s,.!]+)*"
    r"(?:forget (?:it|that|about it|i said (?:it|that|anything))|never ?mind|nvm|whatever|"
    r"jk|just (?:kidding|joking)|anyway|anyways|moving on)\s*[,.!;:\u2014-]+\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL)
DISMISSED_MIN_WORDS = 4
"""A question after the dismissal has at least this many words ("forget it, ok?" is not)."""


def after_dismissal(text: str) -> str | None:
    """The question after a dismissal that opens the text ("ok whatever, can you tell me
    about hospice instead" -> "can you tell me about hospice instead"), else None."""
    found = _DISMISSAL.match(text)
    if found is None:
        return None
    rest = found.group("rest").strip()
    return rest if len(rest.split()) >= DISMISSED_MIN_WORDS else None


Stage = Literal["lexicon", "fuzzy", "learned", "pushback"]
"""Which stage found a red flag: an approved pattern on the folded text, the same pattern
after typo/sound correction of its key words, the learned classifier, or a held
escalation repeated under push-back."""


class TriageHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    tier: Literal["emergency", "urgent", "crisis"]
    rule_id: str
    message_id: str
    stage: Stage = "lexicon"
    context: str | None = None
    """The id of the lexicon's context rule that reads the text as not happening now (an
    episode that is over, a plan, the last days; ``ContextRule``), else None."""


class ScopeHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["redirect", "out-of-scope", "language"]
    rule_id: str
    message_id: str



class Triage:
    """The compiled lexicon. Build once; ``screen``, ``is_pushback`` and ``scope`` are
    pure functions of the text (thread-safe, no state between calls)."""

    def __init__(self, lexicon: Lexicon,
                 precompute: dict[str, list[list[object]]] | None = None) -> None:
        """``precompute``: the analysis of each pattern from an earlier start with the same
        lexicon and code (:mod:`botcore.triage.cache`); without it every pattern is split
        and analysed here."""
        self.lexicon = lexicon
        self._macros = lexicon.macros
        self._given = precompute or {}
        self._analysed: dict[str, tuple[Compiled, ...]] = {}
        self._tiers: dict[str, list[tuple[Matcher, Rule]]] = {t: [] for t in TIERS_BY_PRIORITY}
        for rule in lexicon.rules:
            self._tiers[rule.tier].append((self._matcher(rule.id, rule.patterns), rule))
        self._exceptions: dict[str, list[Compiled]] = {}
        for exc in lexicon.exceptions:
            compiled = self._matcher(exc.id, exc.patterns).patterns
            for rule_id in exc.rules:
                self._exceptions.setdefault(rule_id, []).extend(compiled)
        self._context = [(c, [self._matcher(f"{c.id}:{g}", group)
                                  for g, group in enumerate(c.all_of)],
                          self._matcher(f"{c.id}:unless", c.unless) if c.unless else None)
                         for c in lexicon.context]
        self._pushback = [self._matcher(p.id, p.patterns) for p in lexicon.pushback]
        self._release = [self._matcher(p.id, p.patterns) for p in lexicon.release]
        self._redirect = [(self._matcher(r.id, r.patterns),
                           self._matcher(f"{r.id}:unless", r.unless) if r.unless else None, r)
                          for r in lexicon.redirect]
        self._out = [(self._matcher(r.id, r.patterns), r) for r in lexicon.out_of_scope]
        self._in_scope = self._matcher("in-scope", lexicon.in_scope)
        lang = lexicon.languages
        self._english = self._counter(lang.english)
        self._markers = [(m.id, self._counter(m.patterns)) for m in lang.markers]
        fuzzy = lexicon.fuzzy
        self.keywords = KeyWords(fuzzy.keys, fuzzy.protect) if fuzzy is not None else None
        # The engine screens a text, then asks its scope: fold it once for both.
        self._variants = functools.lru_cache(maxsize=4)(self._prepare_variants)

    # -- compile ---------------------------------------------------------------------------
    def _matcher(self, ident: str, patterns: tuple[str, ...]) -> Matcher:
        """One regex per top-level alternative of each pattern (checked at load): each
        gets its own heads and needles, so most are skipped outright."""
        compiled: list[Compiled] = []
        for p in patterns:
            source = expand(p, self._macros)
            if source not in self._analysed:
                given = self._given.get(source)
                self._analysed[source] = (
                    tuple(Compiled.from_json(c) for c in given) if given is not None
                    else tuple(Compiled.of(a) for a in prefilter.alternatives(source)))
            compiled.extend(self._analysed[source])
        return Matcher(ident, tuple(compiled))

    def precompute(self) -> dict[str, list[list[object]]]:
        """Each pattern's analysis as JSON, to skip it at the next start (cache.py)."""
        return {source: [c.as_json() for c in found] for source, found in self._analysed.items()}

    def _counter(self, patterns: tuple[str, ...]) -> re.Pattern[str]:
        body = "|".join(f"(?:{expand(p, self._macros)})" for p in patterns)
        return re.compile(f"(?<!\\w)(?:{body})(?!\\w)")

    # -- public API ------------------------------------------------------------------------
    def screen(self, text: str) -> TriageHit | None:
        """The red flag in ``text``, if any: highest tier first, then file order.

        Reads the full text. When the raw text holds control characters it is also read
        with them turned into spaces, so words hidden inside an escape sequence (which
        cleaning removes whole) are still seen; the higher tier wins.
        """
        hits = [h for h in (self._screen(p) for p in self._variants(text)) if h is not None]
        return max(hits, key=lambda h: TIER_RANK[h.tier], default=None)  # ties: the first

    def corrected(self, text: str) -> str | None:
        """The folded text after typo/sound correction of the key words, or None when no
        word needed correcting (for the evals and for reviewers)."""
        fixed = [p for p in self._variants(text) if p.corrected]
        return fixed[0].text if fixed else None

    def is_pushback(self, text: str) -> bool:
        """True when the text refuses or resists the help an escalation asked for (S6)."""
        return any(self._fires(m, p) for p in self._variants(text) for m in self._pushback)

    def hold_signals(self, text: str) -> tuple[bool, bool]:
        """(push-back, release) for a turn after a hard stop (S6, round 11).

        Release: the text says the help came (the lexicon's ``release`` rules), or it
        waves the subject away first and then asks something else ("ok forget it, how do
        I clean the inner cannula"): push-back is then read on the question alone, so
        "forget it, just tell me how to unblock it" still holds."""
        rest = after_dismissal(text)
        pushback = self.is_pushback(rest if rest is not None else text)
        came = any(self._fires(m, p) for p in self._variants(text) for m in self._release)
        return pushback, not pushback and (came or rest is not None)

    def scope(self, text: str) -> ScopeHit | None:
        """Language first (non-English without an emergency), then redirect, then out of
        scope. None when the question is in scope, or when it carries an emergency or
        crisis red flag (those escalate; nothing here may stand in their way)."""
        variants = self._variants(text)
        for prepared in variants:
            hit = self._screen(prepared)
            if hit is not None and hit.tier != "urgent":
                return None
        prepared = variants[0]
        found = self._language(text, prepared)
        if found is not None:
            return found
        for matcher, unless, redirect in self._redirect:
            if self._fires(matcher, prepared) and not (unless and self._fires(unless, prepared)):
                return ScopeHit(kind="redirect", rule_id=redirect.id, message_id=redirect.message)
        in_scope = self._fires(self._in_scope, prepared)
        for matcher, rule in self._out:
            if not (rule.unless_in_scope and in_scope) and self._fires(matcher, prepared):
                return ScopeHit(kind="out-of-scope", rule_id=rule.id, message_id=rule.message)
        return None

    # -- internals -------------------------------------------------------------------------
    def _prepare_variants(self, text: str) -> tuple[Prepared, ...]:
        """The folded text, the same with raw control characters as spaces (when it has
        any), and each of those with misspelt key words corrected (when any was)."""
        plain = [prepare(text)]
        if _RAW_CONTROLS.search(text):
            plain.append(prepare(_RAW_CONTROLS.sub(" ", text)))
        if self.keywords is None:
            return tuple(plain)
        fixed = [f for f in (rewritten(p, self.keywords.correct) for p in plain) if f is not None]
        for f in fixed:
            f.corrected = True
        return (*plain, *fixed)

    def _screen(self, prepared: Prepared) -> TriageHit | None:
        if prepared.screened is None:
            hit = self._first_red_flag(prepared)
            if hit is not None and prepared.corrected:
                hit = hit.model_copy(update={"stage": "fuzzy"})
            prepared.screened = (hit,)
        return prepared.screened[0]

    def _first_red_flag(self, prepared: Prepared) -> TriageHit | None:
        for tier in TIERS_BY_PRIORITY:
            for matcher, rule in self._tiers[tier]:
                if self._fires(matcher, prepared):
                    return TriageHit(tier=tier, rule_id=rule.id, message_id=rule.message,
                                     context=self._context_of(tier, prepared))
        return None

    def _context_of(self, tier: Tier, prepared: Prepared) -> str | None:
        """The first context rule for ``tier`` that reads the whole text as not happening
        now: every ``all_of`` group matches and no ``unless`` pattern does."""
        for rule, groups, unless in self._context:
            if tier in rule.tiers and all(self._fires(g, prepared) for g in groups) \
                    and not (unless is not None and self._fires_in_a_sentence(unless, prepared)):
                return rule.id
        return None

    def _fires_in_a_sentence(self, matcher: Matcher, prepared: Prepared) -> bool:
        """``_fires``, with only a match inside one sentence counting (round 15): a danger
        said to be happening now is said in one sentence; "...2 years ago, all healed now.
        can he lift weights again" says "now" in one and "again" in the next."""
        return self._fires(matcher, prepared,
                           list(zip(prepared.starts, prepared.ends, strict=True)))

    @functools.cached_property
    def _heads(self) -> HeadIndex:
        """Every analysed alternative filed by its head words (built at the first text)."""
        return HeadIndex(c for found in self._analysed.values() for c in found)

    def _fires(self, matcher: Matcher, prepared: Prepared,
               windows: list[tuple[int, int]] | None = None) -> bool:
        """True when some match of the rule (inside one of ``windows``; None: the whole
        text) is not covered by one of its exceptions. Alternatives none of the text's
        words can start are skipped (``HeadIndex``)."""
        if prepared.candidates is None:
            prepared.candidates = self._heads.candidates(prepared.words())
        candidates = prepared.candidates
        for pattern in matcher.patterns:
            if pattern.heads is not None and id(pattern) not in candidates:
                continue
            for lo, hi in windows or [(0, len(prepared.text))]:
                for start, end in pattern.spans(prepared, lo, hi):
                    if not self._cancelled(matcher.id, start, end, prepared):
                        return True
        return False

    def _cancelled(self, rule_id: str, start: int, end: int, prepared: Prepared) -> bool:
        if rule_id not in self._exceptions:
            return False
        sentence = prepared.sentence(start)
        if sentence < 0 or end > prepared.ends[sentence]:
            return False  # runs across a sentence end: no exception can cover it
        starts, reach = self._covers(rule_id, sentence, prepared)
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and reach[i] >= end

    def _covers(self, rule_id: str, sentence: int,
                prepared: Prepared) -> tuple[list[int], list[int]]:
        """Exception spans in one sentence: sorted starts, and the furthest end reached by
        any span starting at or before each (so one bisect answers 'is it covered?')."""
        key = (rule_id, sentence)
        if key not in prepared.covers:
            lo, hi = prepared.starts[sentence], prepared.ends[sentence]
            spans = sorted(span for pattern in self._exceptions[rule_id]
                           for span in pattern.spans(prepared, lo, hi))
            reach: list[int] = []
            for _, e in spans:
                reach.append(max(e, reach[-1]) if reach else e)
            prepared.covers[key] = ([s for s, _ in spans], reach)
        return prepared.covers[key]

    def _language(self, text: str, prepared: Prepared) -> ScopeHit | None:
        lang = self.lexicon.languages
        sample = clean_input(text[:LANGUAGE_SAMPLE_CHARS])
        letters = len(_LETTER.findall(sample))
        foreign = letters - len(_LATIN_LETTER.findall(sample))
        if foreign >= 2 and foreign >= lang.non_latin_share * letters:
            return ScopeHit(kind="language", rule_id="non-latin-script", message_id=lang.message)
        folded = prepared.text[:LANGUAGE_SAMPLE_CHARS]
        english = len(self._english.findall(folded))
        counts = [(len(counter.findall(folded)), marker_id) for marker_id, counter in self._markers]
        hits, marker_id = max(counts, key=lambda c: c[0])  # ties: the first listed
        if hits >= lang.min_hits and hits > english:
            return ScopeHit(kind="language", rule_id=marker_id, message_id=lang.message)
        return None
