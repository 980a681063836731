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

from botcore.textproc import stem

_MONEY = """insurance insured insurer medicare medicaid copay copays coinsurance deductible
premium premiums bill bills billing pay paying paid payment payments price prices cheap cheaper
coupon coupons discount discounts gofundme fundraiser fundraising donate donation donations
charity grant grants loan loans debt bankrupt bankruptcy benefits disability ssdi ssi fmla
salary income tax taxes refund reimburse reimbursement voucher vouchers cost costs expensive
afford money financial pharmacy pharmacies provider providers company companies cover covers
covered coverage"""
_DAILY = """shower showers bath bathe bathing swim swimming pool shave shaving hair dye makeup
drive driving driver car fly flying flight flights plane airport trip vacation holiday cruise
abroad gym exercise exercises workout running jog yoga garden gardening pet pets dog dogs cat
cats sleep sleeping nap mattress pillow sex sexual intimacy intimate pregnant pregnancy fertility
kiss smoke smoking smoker vape vaping school job boss employer office wedding party church
priest pray prayer funeral burial cremation grave lawyer will estate"""
_FOOD = """foods diet diets meal meals recipe recipes protein calories nutrition nutritionist
dietitian appetite snack snacks smoothie smoothies organic sugar vegan keto fasting"""
_LOGISTICS = """parking park hotel hotels lodging visiting appointment appointments calendar
portal login password records fax wheelchair walker van oxygen tank tanks humidifier suction
supplies equipment pump ties valve scarf clothes clothing wear"""
_CARE_AT_HOME = """nausea vomit vomiting sores rash rashes cream lotion sunscreen sunburn
sun constipation diarrhea thermometer dentist dental teeth vaccine vaccines vaccination shot shots
flu covid germ germs contagious acupuncture massage essential oils homeopathy chiropractor reiki
meditation marijuana cannabis cbd groups"""

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
}
"""An aspect word counts as covered when the passage uses one of these instead."""

ASPECT_STEMS: dict[str, tuple[str, ...]] = {}
for _word in " ".join((_MONEY, _DAILY, _FOOD, _LOGISTICS, _CARE_AT_HOME)).split():
    ASPECT_STEMS[stem(_word)] = tuple(stem(w) for w in EQUIVALENTS.get(_word, ()))


def aspect_stems(stems: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The aspect words among ``stems``, each with the stems that would cover it."""
    return [(s, (s, *ASPECT_STEMS[s])) for s in dict.fromkeys(stems) if s in ASPECT_STEMS]
