"""The ordinary words of a question: those that name no subject of their own.

A follow-up ("how long does it take for him?") is told from a new question by what is left
once these are taken out; ``botcore.conversation`` and the answerability signals read them.
Data, not logic: kept apart so the conversation module stays small.
"""

from __future__ import annotations

from botcore.textproc import stem, term_names, words

GENERIC = frozenset(
    words(
        """what whats how long much many often soon fast take takes taking work works working
        mean means meaning happen happens next after before then else more tell know need want
        like usually really exactly ok okay also too thing things stuff anything something way
        ways kind sort still even just please thanks thank yes no not dont doesnt do does did is
        are can could would should will we us him her he she they them it that this there here
        why when where who which hes shes its im ive one ones those these some all other another
        get got give go going come comes make makes say said see look good bad better best right
        wrong sure actually maybe again now later people someone person mom dad husband wife wat
        wut wht whta wich whch b4 u ur ppl w abt bc cuz pls plz thx diff info during while since
        until without within near around over under between through into onto upon via per lot
        lots actual exact real specific specifically overall total main
        mother mothers father fathers mum mums mommy daddy parent parents sister sisters brother
        brothers sibling siblings grandma grandmother grandpa grandfather grandparent
        grandparents uncle aunt auntie son sons daughter daughters husbands wives partner
        boyfriend girlfriend fiance fiancee cousin nephew niece friend friends neighbor inlaw
        hasn hasnt havent haven don didn doesn isn wasn aren weren wouldn couldn shouldn won wont
        cant ll ve re theyre youre thats whos wheres
        ago anyway anyways alright beforehand afterward afterwards besides thru somewhere
        somehow nobody anybody anyone everyone everybody"""
    )
)
"""Words that carry no subject of their own in a follow-up ("how long does it take"): the
question's ordinary words, the people it is about (mother, my sister: who asks is not
what is asked), the pieces of contractions ("hasn", "don") and words that only stress
what is asked ("the actual numbers", "the exact name")."""


DETAIL = frozenset(
    words(
        """rate rates success response responses result results chance chances odds risk risks
        side effect effects percentage percent accurate accuracy number numbers name names called
        approved safe last lasts outcome outcomes benefit benefits downside downsides drawback
        drawbacks hear back survival figures statistics stats respond worked lasted drug drugs
        medicine medicines tried tested used given studied involved included catch cons
        dangers"""
    )
)
"""Words that ask a detail of something named before (how much, how long, for whom, side
effects, success rate, which drug was used or given), not a subject of their own."""


DETAIL_STEMS = frozenset(stem(w) for w in DETAIL)
"""The same words as they are stemmed ("responded" asks what "response" asks)."""

DISEASE_WORDS = frozenset(
    ("atc", "anaplastic", "thyroid", "cancer", "carcinoma", "tumor", "tumour"))
"""A term named only by these words names the disease itself (every passage is about it)."""


def names_the_disease(term: str) -> bool:
    """Whether a glossary term's name is made only of the disease's own words ("ATC",
    "Anaplastic thyroid cancer"): such a term never makes a subject or a comparison."""
    return set(words(term_names(term)[0])) <= DISEASE_WORDS
