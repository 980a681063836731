"""Drug-food, drug-drink and "can I take X with Y" questions.

The two reviews say nothing about what is safe to eat, drink or take alongside a
treatment, and a passage about the drug (its response rates, say) presented as the answer
to "can I eat grapefruit with lenvatinib" is worse than no answer. These questions get the
approved redirect (message ``redirect-interaction``: ask your pharmacist or care team).

A question is an interaction question when it names something taken by mouth that is
not an ATC treatment (a food, a drink, an over-the-counter medicine, a supplement), names
a treatment (or points back to one the conversation is about: "can I eat grapefruit with
it"), and links the two ("with", "while on", "during", "interact", "mix", "safe").
Deterministic and data-free on purpose: word lists, not a model. Not patient-visible.
"""

from __future__ import annotations

import re

from botcore.textproc import folded_text

_SUBSTANCE = (
    r"grapefruits?|pomelos?|seville oranges?|star ?fruit|alcohol|beers?|wine|liquor|vodka|whiske?y"
    r"|rum|gin|booze|cocktails?|coffee|caffeine|green tea|tea|energy drinks?|soda|milk|dairy"
    r"|cheese|juice|cranberry|licorice|liquorice|st johns?(?: s)? wort|herbal|herbs|supplements?"
    r"|vitamins?|multivitamins?|fish oil|turmeric|curcumin|ginger|echinacea|probiotics?|cbd"
    r"|marijuana|cannabis|weed|edibles|ibuprofen|advil|motrin|aleve|naproxen|aspirin|tylenol"
    r"|acetaminophen|paracetamol|antacids?|tums|omeprazole|prilosec|nexium|pepcid|famotidine"
    r"|antibiotics?|warfarin|coumadin|blood thinners?|eliquis|xarelto|statins?|melatonin"
    r"|benadryl|sleeping pills?|sleep aids?|painkillers?|pain killers?|laxatives?|cough syrup"
    r"|decongestants?|birth control|levothyroxine|synthroid|thyroid pills?|over the counter|otc"
    r"|(?:any|other|his other|her other|my other|their other)"
    r" (?:medicines?|medications?|meds|drugs|pills)"
    r"|(?:his|her|my|their|your|our)"
    r" (?!(?:\w+ )?(?:braf|mek|cancer|atc|targeted|chemo|trial|study)\b)"
    r"(?:\w+ ){1,2}?(?:pills?|meds|medicines?|medications?|tablets?|inhalers?|shots?)"
)
"""Things taken by mouth that are not ATC treatments; also the person's own other
medicines by what they are for ("his cholesterol pill", "her blood pressure meds")."""
_GENERIC_INTAKE = (
    r"(?:eat|eating|drink|drinking|have|having)\s+(?:\w+\s+){0,3}?"
    r"(?:foods?|anything|a drink|drinks)"
)
_TREATMENT = (
    r"dabrafenib|trametinib|lenvatinib|pembrolizumab|sorafenib|pazopanib|vemurafenib"
    r"|larotrectinib|selpercatinib|pralsetinib|crizotinib|everolimus|spartalizumab|nivolumab"
    r"|ipilimumab|paclitaxel|carboplatin|cisplatin|doxorubicin|chemo|chemotherapy|chemoradiation"
    r"|immunotherapy|radiation|radiotherapy|targeted (?:therapy|drugs?|pills?|medicines?)"
    r"|(?:braf|mek) (?:pills?|drugs?|inhibitors?|blockers?|medicines?)"
    r"|(?:his|her|my|their|the|these|those|cancer) (?:cancer )?"
    r"(?:pills|tablets|meds|medicines?|medications?|drugs|treatment)"
)
"""ATC treatments by generic name or class. Brand names ("Tafinlar", "Keytruda") are not
listed here: they are the glossary's lay terms, and ``botcore.dialogue.Interactions``
reads a question with them replaced by the generic."""
_BACK_REFERENCE = r"it|them|these|those|this|that|they"
_LINK = (
    r"(?:with|while (?:\w+ ){0,2}?(?:on|taking|using|getting|having)|when on|on|during|and"
    r"|together with|alongside|plus)"
)
_CUE = re.compile(
    r"\b(?:interact\w*|interfer\w*|mix\w*|combin\w*|together|safe|ok|okay|alright|fine|affect\w*|avoid"
    r"|stop|stopping|pause|pausing|hold off|skip|skipping|problems?|issues?|clash\w*|conflict\w*"
    r"|dangerous|harmful|risky|contraindicat\w*|compatible)\b"
)
"""A word that asks about taking the two together, or about stopping one for the other
("does she have to stop her aspirin before the chemo"), or whether the pair is a problem
("dad is on warfarin for his heart, is that a problem with lenvatinib": round 15)."""

_PAIR = re.compile(
    rf"\b(?:{_SUBSTANCE})\b(?:\s+\w+){{0,4}}?\s+{_LINK}\s+(?:\w+\s+){{0,2}}?(?:{_TREATMENT})\b"
    rf"|\b(?:{_TREATMENT})\b(?:\s+\w+){{0,4}}?\s+(?:with|and|plus)\s+(?:\w+\s+){{0,2}}?(?:{_SUBSTANCE})\b"
)
_INTAKE_WITH_TREATMENT = re.compile(
    rf"\b{_GENERIC_INTAKE}\b(?:\s+\w+){{0,3}}?\s+{_LINK}\s+(?:\w+\s+){{0,2}}?(?:{_TREATMENT})\b"
)
_PAIR_BACK = re.compile(
    rf"\b(?:{_SUBSTANCE}|{_GENERIC_INTAKE})\b(?:\s+\w+){{0,4}}?\s+{_LINK}\s+(?:{_BACK_REFERENCE})\b"
)
_TAKE_BACK_WITH = re.compile(
    rf"\b(?:take|taking|takes|have|having|give|giving|mix|mixing|use|using|combine|combining)"
    rf" (?:{_BACK_REFERENCE}) (?:\w+ ){{0,2}}?(?:with|and|alongside|together with|plus)"
    rf" (?:\w+ ){{0,2}}?(?:{_SUBSTANCE})\b"
)
"""The treatment pointed back to first, then what is taken with it ("can he take it with
his warfarin", "can she take them with her blood pressure pills")."""
_SOFT = r"foods?|drinks?|diet|eat|eating|drink|drinking"
"""Eating and drinking in general: an interaction question only with a word that asks
whether it is safe ("what foods should I avoid on lenvima")."""
_SUBSTANCE_ONLY = re.compile(rf"\b(?:{_SUBSTANCE}|{_SOFT})\b")
_SOFT_WHILE_ON = re.compile(
    rf"\b(?:{_SOFT})\b(?:\s+\w+){{0,5}}?\s+(?:while|when) (?:\w+ ){{0,2}}?"
    rf"(?:on|taking|getting|having|using) (?:{_BACK_REFERENCE})\b"
)
"""Eating or drinking while on the treatment pointed back to ("is there anything he
shouldn't eat while he's on it", "what foods should she stick to while she's taking
them")."""
_TREATMENT_ONLY = re.compile(rf"\b(?:{_TREATMENT})\b")
_SUBSTANCE_NAMED = re.compile(rf"\b(?:{_SUBSTANCE})\b")
"""Something named that is taken by mouth (not eating or drinking in general)."""


def names_a_substance(text: str) -> bool:
    """True when the text names something taken by mouth that is not an ATC treatment, or
    eating and drinking in general ("and st johns wort?", "what about food")."""
    return bool(_SUBSTANCE_ONLY.search(folded_text(text)))


def is_interaction_question(text: str, treatment_in_context: bool = False) -> bool:
    """True for "can I eat grapefruit with lenvatinib", "is it ok to drink beer while on
    dabrafenib", "can he take ibuprofen with his braf pills", "does coffee interfere with
    chemo"; with ``treatment_in_context`` (the conversation is about a treatment), also
    for "can I eat grapefruit with it"."""
    folded = folded_text(text)
    if _PAIR.search(folded) or _INTAKE_WITH_TREATMENT.search(folded):
        return True
    if treatment_in_context and (_PAIR_BACK.search(folded) or _TAKE_BACK_WITH.search(folded)
                                 or _SOFT_WHILE_ON.search(folded)):
        return True
    # the drug is the conversation's: "he takes warfarin too, is there an interaction",
    # "is her fish oil ok too" (round 14)
    if treatment_in_context and _SUBSTANCE_NAMED.search(folded) and _CUE.search(folded):
        return True
    # "is coffee ok with chemo", "does turmeric interfere with immunotherapy": both named
    # anywhere, with a word that asks about taking them together
    return bool(
        _SUBSTANCE_ONLY.search(folded) and _TREATMENT_ONLY.search(folded) and _CUE.search(folded)
    )


def names_a_treatment(text: str) -> bool:
    """True when the text names an ATC treatment (by generic name or class; brand names
    through ``botcore.dialogue.Interactions``)."""
    return bool(_TREATMENT_ONLY.search(folded_text(text)))
