"""Practical aspects of daily life, money and logistics that the two reviews never cover.

Families ask about a treatment's *practical* side: "does medicare cover hospice at home",
"can he shave his neck during radiation", "where can we park". The topic word (hospice,
radiation) matches a passage; the aspect word (medicare, shave, park) is what the passage
cannot answer. This list names such aspect words, so that the answerability signals can
tell "the passage is about the topic" from "the passage answers the question": an aspect
word the passage does not use (itself or a listed equivalent it does use) counts
against answering. Written from the issue's description of the questions the reviews do
not answer (practical and everyday-life questions around treatment, care and money), not
from any test case; words, not sentences; never shown to anyone.
"""

from __future__ import annotations

import re

from botcore.textproc import folded_text, stem

_MONEY = """insurance insured insurer medicare medicaid copay copays coinsurance deductible
premium premiums bill bills billing pay paying paid payment payments price prices cheap cheaper
coupon coupons discount discounts gofundme fundraiser fundraising donate donation donations
charity grant grants loan loans debt bankrupt bankruptcy disability ssdi ssi fmla
salary income tax taxes refund reimburse reimbursement voucher vouchers cost costs expensive
afford money financial pharmacy pharmacies provider providers company companies cover covers
covered coverage pricey pricy fee fees charge charges bank banks account credit cash fund funds
medigap cobra obamacare hsa reimbursed authorization veterans tricare unemployment
dollars dollar assistance"""
_DAILY = """shower showers bath bathe bathing swim swimming pool shave shaving hair dye makeup
drive driving driver car fly flying flight flights plane airport trip vacation holiday cruise
abroad gym exercise exercises workout running jog yoga garden gardening pet pets dog dogs cat
cats sleep sleeping nap mattress pillow sex sexual intimacy intimate pregnant pregnancy fertility
kiss smoke smoking smoker vape vaping school job boss employer office wedding party church
priest pray prayer funeral burial cremation grave lawyer will estate showering wash washing
drives cars license uber taxi bus ride travel traveling travelling airport passport beach
puppy kitten litter bird birds animal animals vet condom condoms contraception libido erection
job jobs employer employers coworkers colleagues career workplace shift shifts fired retire
retirement obituary cremate cremated cemetery memorial casket notary notarized notarize
testament probate inheritance children child kids kid grandkids grandchildren grandchild
teenager teen teenagers teacher daycare baby tattoo teeth brush walk walking leave
forget forgets forgot missed boys girls gender males females legally legal"""
_FOOD = """foods diet diets meal meals recipe recipes calories nutrition nutritionist
dietitian appetite snack snacks smoothie smoothies organic sugar vegan keto juice juicing
soy supplement supplements vitamin vitamins multivitamin herbal herbs turmeric oil oils shakes
weight taste tastes stomach beer beers wine wines alcohol alcoholic liquor booze
whiskey vodka cocktail cocktails"""
_LOGISTICS = """parking park hotel hotels lodging visiting appointment appointments calendar
portal login password records fax wheelchair walker van oxygen tank tanks humidifier suction
supplies equipment pump ties valve scarf clothes clothing overnight weekend weekends rent rental
buy purchase deliver delivered delivery mail agency agencies facility address website
email visitors ward scar scars stitches port mask infusion infusions anesthesia anaesthesia
sedation sedated claustrophobic recover recovery heal healing lift lifting chair chairs colour
color furniture wifi tv television awake incision incisions"""
_CARE_AT_HOME = """nausea vomit vomiting sores rash rashes cream lotion sunscreen sunburn
sun constipation diarrhea thermometer dentist dental teeth vaccine vaccines vaccination shot shots
flu covid germ germs contagious acupuncture massage essential oils homeopathy chiropractor reiki
meditation marijuana cannabis cbd pain painful hurt hurts"""
_BODY_AND_HOME = """clean cleaning cleaned bed beds commode skin numb numbness tingling itch itchy
itching psoriasis eczema hormone hormones levothyroxine synthroid thyroxine ultrasound
ultrasounds smoked stress stressed zoom facetime skype telehealth virtual robotic robotically
robot feeding wound wounds bandage bandages dressings nebulizer oximeter refill refills
prescription prescriptions respite babysitter childcare saliva calcium cannula syrup
proton seaweed overactive hyperthyroid hyperthyroidism eggs freeze freezing county pack
packing coffee caffeine brand brands offend offending offended rude awkward pocket breast
prostate sleepy drowsy drowsiness brothers sisters siblings novartis eisai merck pfizer roche
genentech bayer prescribe prescribed"""
"""Round 10: the everyday side of care at home and of a treatment's effects on the body,
the things families ask about beside the topic ("how do we clean it at home", "do they
bring a hospital bed", "will it make his psoriasis flare", "his thyroid hormone after
surgery", "can we do it over zoom", "would the surgery be robotic", "is it because he
smoked", "can stress cause it", a feeding tube, a wound's dressing, a prescription's
refill, respite for the carer): the reviews speak of none of them unless a passage uses
the word itself, which then covers it. Round 14 adds what several of the independent
writers of the retired conversation sets asked and the reviews never speak of: calcium
pills after thyroid surgery, a trach's inner cannula or a cough syrup, proton therapy,
seaweed and an overactive thyroid, freezing eggs before chemo, a county's hospice,
packing a hospital bag, coffee, which brand, asking without offending the doctor, paying
out of pocket, other cancers (breast, prostate), being sleepy on a medicine, screening the
brothers and sisters, a drug company's programme, whether a doctor can prescribe it. Round 15
adds beer, wine and other alcohol ("can he have a beer the night after chemo"). Round 16 (dev
writers D3 and D5) adds a price in dollars, a patient assistance programme, being awake for
a procedure, caring for an incision, whether boys or girls get it more, doing something
legally, and another thyroid illness (Hashimoto's thyroiditis): the reviews speak of none."""
_MEDICINES_AND_OTHER_ILLNESS = """fridge refrigerator refrigerate refrigerated store stored storing
storage capsule capsules tablet tablets crush crushed pillbox bedtime fever fevers feverish
chills heating diabetes diabetic malaria pneumonia asthma arthritis alzheimers dementia
migraine migraines hepatitis measles shingles hypertension epilepsy parkinsons lupus copd
emphysema hashimoto hashimotos thyroiditis"""
"""Round 10: handling the medicines at home (keeping them in the fridge, capsules and
tablets, the time of day, a missed dose), everyday symptoms such as a fever, and the
family's other illnesses ("he is diabetic", "is it pneumonia"): the reviews speak of
none of them."""

_PLACES = """alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma
oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
canada mexico europe india houston chicago boston seattle denver phoenix atlanta miami dallas
rural countryside mayo anderson kettering hopkins farber"""
"""Named places and cancer centres ("can hospice come to her house in rural Montana", "is
MD Anderson better"): what is where is never in the reviews."""

_MONEY_WORDS = ("cost", "afford", "expensive", "money", "financial")
EQUIVALENTS: dict[str, tuple[str, ...]] = {
    **{
        w: _MONEY_WORDS
        for w in (
            "pay",
            "paying",
            "paid",
            "cost",
            "costs",
            "afford",
            "money",
            "expensive",
            "financial",
        )
    },
    "price": ("cost", "expensive"),
    "prices": ("cost", "expensive"),
    "cheap": ("cost", "expensive"),
    "cheaper": ("cost", "expensive"),
    "bills": ("cost", "money", "financial"),
    "sleep": ("rest",),
    "pricey": ("cost", "expensive"),
    "pricy": ("cost", "expensive"),
    "fee": ("cost",),
    "fees": ("cost",),
    "charges": ("cost",),
    "kids": ("children", "family"),
    "children": ("family",),
    **{w: ("pain", "painful", "hurt", "discomfort") for w in ("pain", "painful", "hurt", "hurts")},
}
"""An aspect word counts as covered when the passage uses one of these instead."""

PHRASES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("work@", re.compile(
        r"\b(?:back to|off|miss(?:ing)?|at|from|go(?:ing)? to|return to|leave) work\b"
        r"|\bworking (?:full|part)|\b(?:full|part) time\b|\btime off\b|\bsick (?:leave|days?)\b"
        r"|\b(?:paid|medical|family) leave\b"
        r"|\b(?:can|could|should) (?:i|he|she|we|you|my \w+) (?:keep|still|continue|go on)"
        r" work(?:ing)?\b"
        r"|\b(?:wants?|wanting|able|plans?|planning|trying|hopes?|hoping) to keep (?:on )?"
        r"working\b"), ("job",)),
    ("will@", re.compile(r"\b(?:his|her|my|our|their|a|the) (?:last )?will\b"
                         r"|\b(?:write|make|update|change) (?:a |his |her |my |our )?will\b"),
     ("testament",)),
    ("nursing-home@", re.compile(r"\bnursing (?:home|facility)\b|\bcare home\b"), ()),
    # words whose stem is another, ordinary word ("fasting" -> "fast", "rides" -> "rid" as
    # in "get rid of"): matched as typed, never by the stem
    ("fasting@", re.compile(r"\bfasting\b|\bfast (?:before|beforehand|ahead|the night)\b"), ()),
    # round 10: the time of day a medicine is taken, a missed dose, blood pressure,
    # hearing aids, and how long someone stays in hospital are never in the reviews
    ("time-of-day@", re.compile(r"\btime of (?:the )?day\b"), ()),
    ("missed-dose@", re.compile(r"\b(?:miss|missed|misses|missing|skip|skipped|forget|forgot"
                                r"|forgets) (?:a|his|her|my|the|one|their) (?:\w+ )?dose\b"), ()),
    ("blood-pressure@", re.compile(r"\bblood pressure\b"), ()),
    ("hearing-aid@", re.compile(r"\bhearing aids?\b"), ()),
    ("stay@", re.compile(r"\bhospital stay\b|\blength of stay\b|\b(?:be|stay|spend|remain"
                         r"|kept) (?:\w+ ){0,3}in (?:the )?hospital\b"
                         r"|\b(?:nights?|days?|weeks?) in (?:the )?hospital\b"), ()),
    ("rides@", re.compile(r"\brides\b"), ("ride",)),
    # round 12: a support group is an aspect; "a small group of patients" in a trial is not
    ("support-group@", re.compile(r"\bsupport groups?\b|\bgroups? (?:for|of) (?:families"
                                  r"|caregivers|carers|people like)\b"), ()),
    # round 14: telling a young child ("my 6 year old", "our toddler"); an adult's age
    # ("my 81 year old grandpa") is not an aspect
    ("young-child@", re.compile(
        r"\b(?:[1-9]|1[0-5]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
        r"|thirteen|fourteen|fifteen)[ -](?:years?|yrs?)[ -]olds?\b"
        r"|\btoddlers?\b|\b(?:young|little|small) (?:kids|children|ones|son|daughter"
        r"|grandkids|grandchildren|grandson|granddaughter)\b"), ("child", "children", "kid")),
    # round 15: whether the family inherits it ("will her daughters get it too, is it in
    # the genes"): the reviews speak of the tumor's gene changes, never of inherited risk;
    # testing the tumor's genes ("genetic testing" for BRAF) is not this
    ("inherited@", re.compile(
        r"\binherit(?:ed|s|ing|able)?\b|\bhereditary\b|\bin the genes\b|\bin (?:our|the) dna\b"
        r"|\bgenetic (?:risk|link|counsel\w*)\b|\bruns? in (?:the|our|his|her|my|their) famil"
        r"|\bis (?:it|atc|this|that|anaplastic(?: thyroid cancer)?) (?:genetic|passed down)\b"
        r"|\bpass(?:ed|es|ing)? (?:it |this |that )?(?:on|down) to\b"
        r"|\b(?:daughters?|sons?|kids|children|siblings|brothers?|sisters?|grandkids"
        r"|grandchildren|relatives) (?:will |could |can |might )?(?:get|gets|getting|inherit"
        r"|catch|be at risk)\b"), ()),
    ("place@", re.compile(r"\b(?:best|top|good|which) (?:hospital|doctor|surgeon|oncologist"
                          r"|clinic|center|centre)s? (?:in|near)\b|\bdr [a-z]+ at\b"
                          # round 14: a trial or centre somewhere ("trials near toledo",
                          # "the one at vanderbilt"); a passage that names the place
                          # covers it ("the study in japan": ``aspect_phrases``)
                          r"|\b(?:trials?|stud(?:y|ies)|one|ones|sites?|cent(?:er|re)s?"
                          r"|hospitals?|clinics?|doctors?) (?:near|in|at|around) (?!(?:the|a|an"
                          r"|this|that|these|those|atc|anaplastic|thyroid|people|patients|my|his"
                          r"|her|our|your|their|it|them|all|any|some|each|least|most|first|time"
                          r"|which|what|who|whom|small|smaller|big|bigger|large|larger|local"
                          r"|other|different|many|more|general|community|regular|good|best"
                          r"|top|major)\b)(?P<place>[a-z]{3,})\b"), ()),
)
"""Aspects that are phrases, not words ("back to work": "work" alone is everywhere), each with
a label and the stems that would cover it."""

ASPECT_STEMS: dict[str, tuple[str, ...]] = {}
_GROUPS = (_MONEY, _DAILY, _FOOD, _LOGISTICS, _CARE_AT_HOME, _BODY_AND_HOME,
           _MEDICINES_AND_OTHER_ILLNESS, _PLACES)
for _word in " ".join(_GROUPS).split():
    ASPECT_STEMS[stem(_word)] = tuple(stem(w) for w in EQUIVALENTS.get(_word, ()))


_LISTED = " ".join(_GROUPS).split()
ASPECT_FORMS: frozenset[str] = frozenset(
    [*_LISTED, *(w + "s" for w in _LISTED), *(w + "es" for w in _LISTED),
     *(w[:-1] for w in _LISTED if w.endswith("s") and not w.endswith("ss"))])
"""The aspect words as they are typed (and their plurals and singulars). A question's
word is an aspect only in one of these forms, never by its stem alone: the stem of
"caring" is that of "car", and of "visiting" that of "visit" ("the nurse visits" is the
passage's own word). "Benefits" and "protein" are not listed: "the benefits of surgery"
and "the BRAF protein" are what the passages speak of."""


_TO_A_CENTRE = re.compile(
    r"\b(?:travel|travelling|traveling|go|drive|fly|move|get|transfer(?:red)?) (?:all the way )?to"
    r" (?:a |the |an )?(?:big |bigger |major |large |cancer |specialist |specialised |specialized"
    r" |expert |academic |university |other |another |different )*(?:cent(?:er|re)s?|hospitals?)\b")
"""Going to a specialised centre ("do we need to travel to a big cancer center"): what the
passages on expert centres speak of, not the practical side of a trip (round 12)."""
_BODY_PART_NAMES = re.compile(r"\bfood (?:pipe|passage|tube)s?\b|\bwind ?pipes?\b"
                             r"|\bvoice box(?:es)?\b|\bswallowing tubes?\b")
"""The plain names of body parts ("the food pipe" is the esophagus): their words are not
the everyday thing they also name."""


def without_body_part_names(text: str) -> str:
    """``text`` with the plain names of body parts taken out, for reading which aspects a
    passage covers (round 10): a passage on radiation to "the food pipe" says nothing of
    which foods are easy to swallow, so "what foods are easiest to swallow then" is not
    answered by it; a passage that speaks of food itself still covers it. Going to a
    centre is read as the centre itself (``_TO_A_CENTRE``)."""
    return _TO_A_CENTRE.sub(" centre ", _BODY_PART_NAMES.sub(" ", text.casefold()))


def aspect_words(question_words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The aspect words among a question's (salient) words, as typed, each with the stems
    that would cover it (``aspect_stems``' shape)."""
    return aspect_stems([stem(w) for w in question_words if w in ASPECT_FORMS])


def aspect_stems(stems: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The aspect words among ``stems``, each with the stems that would cover it."""
    return [(s, (s, *ASPECT_STEMS[s])) for s in dict.fromkeys(stems) if s in ASPECT_STEMS]


def aspect_phrases(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The phrase aspects ``text`` names ("back to work", "near me"), as
    ``aspect_stems`` gives them: a label and the stems that would cover it."""
    folded = folded_text(text)
    found = []
    for label, pattern, covers in PHRASES:
        match = pattern.search(folded)
        if match:
            place = match.groupdict().get("place")
            said = (place,) if place else ()
            found.append((label, (label, *(stem(c) for c in (*covers, *said)))))
    return found
