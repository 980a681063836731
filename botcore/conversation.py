"""Conversation state: what a turn is about, given the turns before it.

Families ask "what is a trach?", then "what are the downsides", "can we say no to it?",
"and after that?". Such a follow-up means nothing alone: it is resolved against the
*subject* of the conversation, the glossary terms the earlier turns named (or, when they
named none, the passages they were answered with), and searched with that subject as
well as with the previous question. A question that names its own subject without
leaning on the last one ("what is immunotherapy") is a new topic and drops the old
context, and so does an explicit switch ("different question, ...", "ok back to ...").

Pure functions of the question and the session; the engine stores each turn's subject
in ``Turn.terms`` and the passages its decision weighed in ``Turn.considered``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from botcore.answer import Session, Turn
from botcore.follow_on import (
    asks_about_a_result,
    asks_what_came_after,
    result_next,
    stated_then_asked,
)
from botcore.generic_words import DETAIL, DETAIL_STEMS, DISEASE_WORDS, GENERIC
from botcore.quoted import quoted_passage
from botcore.textproc import (
    STOPWORDS,
    LayTerms,
    folded_text,
    stem,
    term_names,
    words,
)
from botcore.turn_kinds import (
    is_acknowledgement,
    is_insisting,
    is_switch,
    without_acknowledgement,
)

Kind = Literal["first", "new", "switch", "follow-up"]
LOOK_BACK = 3
"""How many earlier turns may lend their subject to a follow-up."""
MAX_SUBJECT = 3
"""Terms kept as a conversation's subject: the turn's own first, then the latest carried."""
SHORT_DETAIL = 6
"""In a conversation, a question of at most so many words that names no subject of its
own ("whats the success rate", "when will we hear back") asks a detail of the last one."""

_PRONOUN = re.compile(
    r"\b(?:it|that|this|they|them|those|these|one|ones|there|then)\b"
    r"(?!\s+(?:week|weekend|morning|afternoon|evening|night|year|month|time|day|summer|winter)\b)"
)
"""Words that point back; "this week" or "that day" does not."""
_THINGS = re.compile(
    r"\b(?:things|stuff) (?:get|gets|got|gotten|go|going|went|are|were|have|has|will|look"
    r"|looking|change|changed|improve|improved|stand)\b"
)
""""Things" as what the talk is about ("have things gotten any better", "how do things
stand"): the subject of the turns before."""
_EXPLETIVE = re.compile(
    r"\b(?:is|was|will|would|isnt|does) it (?:\w+ )?(?:normal|ok|okay|alright|true|possible|common"
    r"|usual|safe|wrong|bad|weird|strange|worth|important|too late|too soon|matter)"
    r"(?: that)?(?= (?:to|for|if|when|i|we|he|she|you|my|his|her|our)\b)"
)
"""An "it" that points at nothing ("is it normal that i feel angry", "is it ok to cry"):
the question is its own."""
_ELLIPSIS = re.compile(
    r"^(?:and|but|so|then|also|plus|or|what about|how about|what if|why not|what else|how long"
    r"|how much|how many|how often|how soon|how fast|how quickly|for whom|who for|any|is that"
    r"|does that|after that|and after|anything else|more about|tell me more|why)\b"
)
_GOES_ON = re.compile(
    r"\b(?:still|instead|too|as well|at the same time|either|afterwards|later on|later)\s*$"
    r"|\b(?:still|instead)\b"
)
"""Words that continue what was said before ("can she still have treatment at the same
time", "can she change her mind later", "what else could he try instead")."""
_DEFINITION = re.compile(r"\b(?:what is|what are|whats|what does .{1,40} mean|explain|define)\b")
_BACK_NAMED = re.compile(
    r"\b(?:that|this|those|these|the same|the (?:bigger|larger|smaller|first|second|other"
    r"|earlier|later|newer|older|last|next) (?:one )?)\s*(?:trials?|stud(?:y|ies)|combinations?"
    r"|regimens?)\b"
)
"""A study or combination named by pointing back at it ("that trial", "the bigger trial",
"this study", "that combination")."""


@dataclass(frozen=True)
class Resolution:
    """How one question is searched in its conversation."""

    kind: Kind
    question: str
    """The question as asked (its own words: what the coverage signals read)."""
    queries: tuple[str, ...]
    """Searched and fused; the first is what the answerability signals are read on."""
    subject: tuple[str, ...]
    """The glossary terms this turn is about (its own, or carried from earlier turns)."""
    carried: bool = False
    """True when earlier turns lent this one their subject or question."""


def salient(text: str) -> list[str]:
    """The words of ``text`` that could name what it is about."""
    return [w for w in words(text) if w not in STOPWORDS and w not in GENERIC and len(w) > 1]


def leans_back(question: str) -> bool:
    """True when the question points back ("it", "that one") or is an ellipsis ("and
    after that?", "how long does it take?", "what about ntrk?")."""
    text = _EXPLETIVE.sub(" ", folded_text(question))
    if _ELLIPSIS.search(text) or _PRONOUN.search(text) or _GOES_ON.search(text) \
            or _THINGS.search(text):
        return True
    # short ("why?", "the cost?"), with a word of a sentence in it: "null", "0", "${HOME}"
    # or "--help" are not a follow-up, they are read alone (and declined)
    plain_words = [w for w in text.split() if len(w) > 1 and (w in GENERIC or w in STOPWORDS)]
    return len(salient(text)) <= 1 and bool(plain_words)


def asks_a_detail(question: str, own_terms: Sequence[str]) -> bool:
    """A short question with no subject of its own, made of ordinary words and the detail
    it asks ("whats the success rate", "what was the response rate", "when will we hear
    back"): in a conversation, a detail of the last answer. Never a string with no word of
    a sentence in it ("null", "${HOME}")."""
    text = folded_text(question)
    tokens = text.split()
    plain = [w for w in tokens if len(w) > 1 and (w in GENERIC or w in STOPWORDS)]
    asked = salient(text)
    return (not own_terms and 0 < len(tokens) <= SHORT_DETAIL and bool(plain) and bool(asked)
            and all(w in DETAIL or stem(w) in DETAIL_STEMS for w in asked))


_DISEASE_DEFINED = DISEASE_WORDS | frozenset(("exactly", "actually", "mean", "means"))
"""The words a definition of the disease itself may use beside its names."""


def defines_the_disease(question: str) -> bool:
    """"What is ATC?", "what is anaplastic thyroid cancer exactly": asked in the middle of a
    conversation, a definition of the disease itself is its own question, however short
    (round 15: asked after lenvatinib's side effects it was read as a follow-up and shown
    lenvatinib's passages first). "What is it?" names nothing and still leans back."""
    named = salient(question)
    return bool(_DEFINITION.search(folded_text(question))) and bool(named) \
        and set(named) <= _DISEASE_DEFINED


OFF_THE_SUBJECT = frozenset(("out-of-scope", "language", "fault", "empty"))
"""Turns that were about nothing the passages speak to (off topic, another language, a
failure): they lend no subject, and the turn before them still can."""


def subject_turn(session: Session | None) -> Turn | None:
    """The latest recent turn that was about something (escalations, save an urgent one
    shown with passages, and turns off the subject are not)."""
    if session is None:
        return None
    for turn in reversed(session.turns[-LOOK_BACK:]):
        if lends_subject(turn) and turn.reason not in OFF_THE_SUBJECT and (
                turn.terms or turn.considered):
            return turn
    return None


def lends_subject(turn: Turn) -> bool:
    """Escalations lend no subject, except an urgent one that was also answered with
    passages ("will she have trouble swallowing" during chemoradiation: the care-team
    message, then the passages on swallowing): "who helps with that?" is about them."""
    return turn.status != "escalated" or (turn.tier == "urgent" and bool(turn.passage_ids))


class Conversation:
    """Resolves questions against the session (see the module docstring)."""

    def __init__(
        self,
        lay_terms: LayTerms,
        generic_terms: set[str],
        title_of: Callable[[str], str | None],
        plain: Callable[[str, int], str] = lambda q, n: q,
        text_of: Callable[[str], str] = lambda pid: "",
    ) -> None:
        self.lay_terms = lay_terms
        self.generic_terms = generic_terms
        """Terms nearly every passage names (ATC, tumor): never a subject on their own."""
        self.title_of = title_of
        self.plain = plain
        """The question without the disease's name, if at least so many content words are
        left (a second search for new questions; a follow-up's words with its subject are
        searched without it)."""
        self.text_of = text_of
        """Passage id -> its text: a figure a follow-up quotes is looked up in it."""
        self._passage_terms: dict[str, tuple[str, ...]] = {}
        self._passage_named: dict[str, tuple[str, ...]] = {}

    def own_terms(self, question: str) -> list[str]:
        return [t for t in self.lay_terms.terms_in(question) if t not in self.generic_terms]

    def named_terms(self, question: str) -> list[str]:
        """The terms a follow-up names as its own subject: not those it only points back to
        ("what's the goal of that trial", "what did the bigger trial show", "how many were
        in that study": the study just described, not trials in general)."""
        return self.own_terms(_BACK_NAMED.sub(" ", folded_text(question)))

    def resolve(self, question: str, session: Session | None) -> Resolution:
        question = without_acknowledgement(question)
        own = tuple(self.own_terms(question))
        plain = self.plain(question, 2)
        if plain == question:  # "keytruda for anaplastic thyroid", "how is atc diagnosed"
            plain = self.plain(question, 1)
        alone = tuple(dict.fromkeys([question, self._by_name(plain)]))
        previous = subject_turn(session)
        if previous is None or is_switch(question):
            split = stated_then_asked(question)
            stated = self._stated_then_asked(question, own, previous is None, split)
            if stated is not None:
                return stated
            return Resolution("first" if previous is None else "switch", question, alone,
                              self._asked_first(own, split))
        if is_acknowledgement(question):
            return Resolution("new", question, alone, own)
        text = folded_text(question)
        own = tuple(self.named_terms(question))  # "that trial" points back (round 9)
        leans = leans_back(question)
        quoted = self._quoting(question, session, own, leans)
        if quoted is not None:
            return quoted
        points_back = leans or asks_a_detail(question, own) or bool(_BACK_NAMED.search(text))
        own_question = not points_back or (own and _DEFINITION.search(text)) \
            or defines_the_disease(question)
        if own_question and not is_insisting(question):  # its own: the old context goes
            return Resolution("new", question, alone,
                              self._asked_first(own, stated_then_asked(question)))
        carried = tuple(t for t in previous.terms if t not in own)
        subject = (own + carried)[:MAX_SUBJECT]
        names = " ".join(term_names(t)[0] for t in subject) or self._title(previous.considered)
        before = previous.query or previous.question
        if own and not asks_what_came_after(question):  # "what about ntrk?": its own
            before = " ".join(term_names(t)[0] for t in own)  # subject, the earlier question
            # left out; "...have surgery after" goes on from the earlier question (round 10)
        # every passage is about ATC: its name would pull "What is ATC?" above the subject's
        # passages ("why would that work for anaplastic thyroid" after checkpoint inhibitors)
        if asks_about_a_result(question):  # "and if it's positive?": what is done then
            after = result_next(question)
            names, before = f"{names} {after}", f"{names} {after}"
        queries = [f"{self.plain(question, 1)} {names}".strip(), f"{before} {question}"]
        # and with the title of the passage just shown as the answer (round 16: "only 10
        # people?" after the passage on that combination); a follow-up naming its own terms
        # or one after a decline searches as before
        shown = previous.status == "answered" and not own
        title = self._title(previous.considered) if shown else ""
        if title and title not in names:
            queries.append(f"{self.plain(question, 1)} {title}")
        return Resolution(
            "follow-up",
            question,
            tuple(dict.fromkeys(q for q in queries if q.strip())),
            subject,
            carried=True,
        )

    def _stated_then_asked(self, question: str, own: tuple[str, ...], previous_none: bool,
                           split: tuple[str, str] | None) -> Resolution | None:
        """A question that states the situation first and asks in its last sentence, which
        points back and names no subject of its own ("my dad was just told he has
        anaplastic thyroid cancer. what is that exactly?", "his cancer has grown outside
        the thyroid but not spread. the surgeon says..."), is also searched as that last
        sentence with the terms the first ones name (round 10): the story's words dilute
        the search for what is asked. When the story names only the disease, only a
        definition ("what does that mean") is read so: "...ATC. what stage is that?" is
        searched whole. The question is still read whole by the answer signals. One
        sentence, or a last one with a subject of its own ("he has a trach. what is a
        tracheostomy"), is searched as before. ``own``: the question's own terms, read once
        by ``resolve``; ``split``: ``stated_then_asked(question)``, read once by it too."""
        if split is None or self.own_terms(split[1]) or not leans_back(split[1]):
            return None
        named = self.lay_terms.terms_in(split[0])
        terms = tuple(t for t in named if t not in self.generic_terms)[:MAX_SUBJECT]
        if not named or not (terms or _DEFINITION.search(folded_text(split[1]))):
            return None  # the disease alone: only "what is it" asks what the story named
        names = " ".join(term_names(t)[0] for t in terms or named[:1])
        kind: Kind = "first" if previous_none else "switch"
        return Resolution(kind, question, (question, f"{split[1]} {names}"), own)

    def _asked_first(self, own: tuple[str, ...],
                     split: tuple[str, str] | None) -> tuple[str, ...]:
        """The subject of a story, then a question: the terms the asked sentence names, not
        the story's ("grandma is in hospice now... is surgery usually possible?" is about
        surgery, and "why not?" after it asks why surgery is not; round 12). The story's
        situation is kept in the session (``botcore.situations``), not as the subject. One
        sentence (``split`` None): its terms as named. An asked sentence that names no term
        at all ("dad is on lenvatinib and pembrolizumab in a trial. what serious side
        effects have been reported") asks about what the story named: its terms (round 15);
        one that names only the disease ("she is in hospice now. how common is atc in
        women") asks about the disease, and has no subject."""
        if split is None:
            return own
        asked = tuple(t for t in self.own_terms(split[1]) if t in own)
        if asked or self.lay_terms.terms_in(split[1]):
            return asked
        return own

    def _quoting(self, question: str, session: Session | None, own: tuple[str, ...],
                 leans: bool) -> Resolution | None:
        """A turn that quotes a figure of a passage shown in the last turns ("you said
        94%, 94% of what") is about that passage, whatever else it names: searched with
        its title, the passage's terms its subject (round 12). ``own`` and ``leans``: the
        terms it names and whether it leans back, as ``resolve`` read them."""
        if own and not leans:
            return None  # a question with a subject of its own that happens to hold a number
        shown = [pid for turn in reversed((session.turns if session else [])[-LOOK_BACK:])
                 for pid in turn.passage_ids]
        passage_id = quoted_passage(question, dict.fromkeys(shown), self.text_of)
        if passage_id is None:
            return None
        title = self.title_of(passage_id) or ""
        subject = self._terms_of(passage_id, self.text_of)
        return Resolution("follow-up", question, (f"{question} {title}", title), subject,
                          carried=True)

    def _by_name(self, text: str) -> str:
        """``text`` followed by the names of the terms it names only by a lay phrase of
        ordinary words ("who decides for him if he cant talk": ... Surrogate decision
        maker; round 10: the phrase's words found the passages on talking, not the one on
        the proxy); a term nearly every passage names is not added."""
        names = [term_names(t)[0] for t in self.lay_terms.named_by_phrase(text)
                 if t not in self.generic_terms]
        return " ".join([text, *names])

    def subject_after(
        self, resolution: Resolution, considered: Sequence[str], text_of: Callable[[str], str],
        answered: bool = True,
    ) -> tuple[str, ...]:
        """The subject a turn leaves for the next: the terms it named itself; when it named
        none, the terms of the passage it was answered with (title first, else the first
        two its text names), so "why did she need a second one" after "how do they know it
        is anaplastic" is about biopsies. A follow-up that named none puts that passage's
        terms before the ones it carried: the conversation has moved on to the passage
        just shown ("tell me more about the immune one", then "how well does that do"),
        when it was shown as the answer (``answered``) and names a term of the subject it
        carried; a declined one, or one answered by a passage about something else (a
        question on the NTRK drug answered first by a passage on who can be cured), keeps
        what it carried, so the next turn is still searched with NTRK."""
        if not considered or self.own_terms(resolution.question):
            return resolution.subject
        shown = self._terms_of(considered[0], text_of)
        if resolution.kind == "follow-up":
            if not answered:
                return resolution.subject
            if resolution.subject and not set(self._named_by(considered[0], text_of)) & set(
                    resolution.subject):
                return resolution.subject  # shown, but about something else: not a new subject
            return tuple(dict.fromkeys((*shown, *resolution.subject)))[:MAX_SUBJECT]
        return resolution.subject or shown

    def _terms_of(self, passage_id: str, text_of: Callable[[str], str]) -> tuple[str, ...]:
        """The terms a passage leaves as the subject: its title's; a title that says nothing
        but the disease ("What is anaplastic thyroid cancer?") leaves none, so the next
        turn is searched with the title itself, not with two terms its text happens to
        name first (round 15: "and what causes it?" after "what is ATC" was searched with
        metastasis and prognosis); any other title that names no term ("How is ATC
        diagnosed?"), the first two its text names (biopsy and FNA: "why did they take a
        second sample?" asks about them)."""
        if passage_id not in self._passage_terms:  # approved passages do not change
            title = self.title_of(passage_id) or ""
            in_title = self.own_terms(title)
            if not in_title and set(salient(title)) <= DISEASE_WORDS:
                self._passage_terms[passage_id] = ()
            else:
                self._passage_terms[passage_id] = tuple(
                    in_title or self.own_terms(text_of(passage_id))[:2])
        return self._passage_terms[passage_id]

    def _named_by(self, passage_id: str, text_of: Callable[[str], str]) -> tuple[str, ...]:
        """Every glossary term the passage's title and text name."""
        if passage_id not in self._passage_named:
            self._passage_named[passage_id] = tuple(self.own_terms(
                f"{self.title_of(passage_id) or ''} {text_of(passage_id)}"))
        return self._passage_named[passage_id]

    def _title(self, considered: Sequence[str]) -> str:
        return (self.title_of(considered[0]) or "") if considered else ""
