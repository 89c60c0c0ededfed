"""The phone's rules (static/js/validate.js) against the server's (collection.validators.judge):
for every snapshot a phone can produce, the same Vietnamese messages, in the same order, on the
same snapshot paths — errors and warnings alike.

Each case changes one thing of a valid snapshot and names the paths it must flag, so that a
case which flags nothing (or everything) on both sides cannot pass unnoticed.
"""

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from fieldapp.collection.queries import code_lists
from fieldapp.collection.validators import judge, load_scope
from fieldapp.extensions import db as _db
from tests.collection.phone import judge_all
from tests.collection.snapshots import (
    BASE,
    CAPTURE,
    CAPTURED_AT,
    FOREIGN,
    HOUSEHOLD,
    MASKED,
    MOTHER,
    NOW,
    OTHER,
    OWN,
    PHONE_NAMES,
    UNKNOWN_HOUSEHOLD,
    circumstance,
    filled,
    support,
)
from tests.submissions import changed

pytestmark = pytest.mark.browser

NAME = "child.full_name"
DOB = "child.date_of_birth"
PID = "child.personal_id"
CAREGIVER = "caregivers.0"
SUPPORT = "supports.0"
SCHOOL = "child.schooling_status"  # a status that does not fit the age warns (schooling.py)
LEVEL, LEFT_ON = "child.school_left_level", "child.school_left_on"
NFD = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
CLOSURE = {"reason": "moved_away", "date": "2025-05-01", "note": None}


@dataclass(frozen=True)
class Case:
    id: str
    changes: dict
    errors: tuple
    warnings: tuple
    update: bool  # a register child's update (only those can be closed)


def case(id, changes=None, errors=(), warnings=(), *, update=False, marks=()):
    return pytest.param(Case(id, changes or {}, tuple(errors), tuple(warnings), update), id=id,
                        marks=marks)


def born(day: str, **more) -> dict:
    """A birth date, with a personal ID whose digits 5–6 agree with it."""
    return {"child.date_of_birth": day, "child.personal_id": f"0142{day[2:4]}012345", **more}


def no_caregiver(*circumstances) -> dict:
    return {"caregivers": [], "circumstances": list(circumstances)}


NAMES = [
    case("base-snapshot-is-valid"),
    case("name-empty", {NAME: ""}, [NAME]),
    case("name-blank", {NAME: "   "}, [NAME]),
    case("name-null", {NAME: None}, [NAME]),
    case("name-one-char", {NAME: "A"}, [NAME]),
    case("name-one-char-after-trim", {NAME: "  Á  "}, [NAME]),
    case("name-two-chars", {NAME: "Tú"}),
    case("name-100-chars", {NAME: "A" + "a" * 99}),
    case("name-101-chars", {NAME: "A" + "a" * 100}, [NAME]),
    case("name-digit", {NAME: "Nguyễn Văn 2"}, [NAME]),
    case("name-full-width-digit", {NAME: "Nguyễn Văn ２"}, [NAME]),
    case("name-symbol", {NAME: "Nguyễn Văn @n"}, [NAME]),
    case("name-underscore", {NAME: "Nguyễn_Văn"}, [NAME]),
    case("name-all-lower-case", {NAME: "nguyễn văn an"}),
    case("name-all-upper-case", {NAME: "NGUYỄN VĂN AN"}),
    case("name-apostrophe", {NAME: "H'Hen Niê"}),
    case("name-hyphen", {NAME: "Lò-Văn An"}),
    case("name-leading-apostrophe", {NAME: "'An Bình"}, [NAME]),
    case("name-trailing-hyphen", {NAME: "Lò Văn-"}, [NAME]),
    case("name-doubled-separator", {NAME: "Lò -Văn"}, [NAME]),
    case("name-initial-with-dot", {NAME: "Nguyễn V. An"}, [NAME]),
    case("name-diacritics", {NAME: "Đặng Thị Mỹ Hạnh"}),
    case("name-nfd-composes", {NAME: NFD}),
    case("name-nfd-without-composite", {NAME: "Lò Văn Ax\u0301"}, [NAME]),
    case("name-extra-spaces", {NAME: "  Nguyễn   Văn\tAn "}),
    case("name-no-break-space", {NAME: "Nguyễn\u00a0Văn An"}),
    case("name-ideographic-space", {NAME: "Nguyễn\u3000Văn An"}),
    case("name-zero-width-no-break-space", {NAME: "Nguyễn\ufeffVăn An"}, [NAME]),
    case("name-unit-separator-is-a-space", {NAME: "Nguyễn\x1fVăn An"}),
    case("name-lower-case-ligature-grows", {NAME: "ﬀ"}),  # title-cased "Ff": 2 letters
    case("name-lower-case-sharp-s-grows", {NAME: "ß"}),
    case("name-greek-iota-subscript-does-not-grow", {NAME: "ᾳ"}, [NAME]),
    case("name-title-case-adds-a-mark", {NAME: "ᾴn"}, [NAME]),
    case("head-name-missing", {"household.head_name": ""}, ["household.head_name"]),
    case("head-name-digit", {"household.head_name": "Lò Văn 1"}, ["household.head_name"]),
    case("caregiver-name-missing", {f"{CAREGIVER}.full_name": None}, [f"{CAREGIVER}.full_name"]),
]

CODES = [
    case("sex-missing", {"child.sex": None}, ["child.sex"]),
    case("sex-unknown", {"child.sex": "4"}, ["child.sex"]),
    case("sex-padded", {"child.sex": " 1 "}),
    case("ethnicity-missing", {"child.ethnicity_code": ""}, ["child.ethnicity_code"]),
    case("ethnicity-unknown", {"child.ethnicity_code": "99"}, ["child.ethnicity_code"]),
    case("ethnicity-foreigner", {"child.ethnicity_code": "55"}),
    case("nationality-missing-is-vn", {"child.nationality": None}),
    case("nationality-stateless", {"child.nationality": "XX"}),
    case("nationality-unknown", {"child.nationality": "QQ"}, ["child.nationality"]),
    case("nationality-lower-case", {"child.nationality": "vn"}, ["child.nationality"]),
    case("schooling-missing", {"child.schooling_status": None}),
    case("schooling-unknown", {"child.schooling_status": "HT09"}, ["child.schooling_status"]),
]

BIRTH_DATES = [
    case("dob-empty", {DOB: ""}, [DOB]),
    case("dob-null", {DOB: None}, [DOB]),
    case("dob-garbage", {DOB: "không rõ"}, [DOB]),
    case("dob-day-first", {DOB: "04/03/2015"}, [DOB]),
    case("dob-30-february", {DOB: "2019-02-30"}, [DOB]),
    case("dob-29-february-common-year", {DOB: "2019-02-29"}, [DOB]),
    case("dob-29-february-leap-year", born("2012-02-29"), warnings=[SCHOOL]),
    case("dob-29-february-16-years-ago", born("2008-02-29"), [DOB]),
    # Only YYYY-MM-DD: date.fromisoformat's other forms are refused on both sides.
    case("dob-yyyymmdd", {DOB: "20150304"}, [DOB]),
    case("dob-iso-week", {DOB: "2015-W10-3"}, [DOB]),
    case("dob-iso-week-compact", {DOB: "2015W103"}, [DOB]),
    case("dob-iso-week-monday", {DOB: "2015-W10"}, [DOB]),
    case("dob-with-time", {DOB: "2015-03-04T08:00"}, [DOB]),
    case("dob-trailing-characters", {DOB: "2015030499"}, [DOB]),
    case("dob-full-width-digits", {DOB: "２０１５-03-04"}, [DOB]),
    case("dob-padded", {DOB: " 2015-03-04 "}),
    case("dob-padded-unit-separator", {DOB: "\x1f2015-03-04"}),
    case("dob-padded-zero-width-no-break-space", {DOB: "\ufeff2015-03-04"}, [DOB]),
    case("dob-year-0015", {DOB: "0015-03-04"}, [DOB, PID]),
    case("dob-year-0000", {DOB: "0000-03-04"}, [DOB]),
    case("dob-capture-day", born("2025-06-01"), warnings=[SCHOOL]),
    case("dob-after-capture-day", born("2025-06-02"), [DOB]),
    case("dob-future", born("2027-01-01"), [DOB]),
    case("dob-16th-birthday-on-capture-day", born("2009-06-01"), [DOB]),
    case("dob-day-before-16th-birthday", born("2009-06-02"), warnings=[SCHOOL]),
    case("dob-last-century", {DOB: "1999-01-01"}, [DOB, PID]),
]

PERSONAL_IDS = [
    case("pid-empty", {PID: ""}),
    case("pid-spaces", {PID: "014 215 012 345"}),
    case("pid-dots", {PID: "014.215.012.345"}),
    case("pid-dashes", {PID: "014-215-012-345"}),
    case("pid-no-break-spaces", {PID: "014\u00a0215\u00a0012345"}),
    case("pid-zero-width-no-break-space", {PID: "\ufeff014215012345"}, [PID]),
    case("pid-next-line", {PID: "014215012345\x85"}),
    case("pid-11-digits", {PID: "01421501234"}, [PID]),
    case("pid-13-digits", {PID: "0142150123456"}, [PID]),
    case("pid-letter", {PID: "01421501234A"}, [PID]),
    case("pid-full-width-digits", {PID: "０１４２１５０１２３４５"}, [PID]),
    case("pid-unknown-prefix", {PID: "003215012345"}, warnings=[PID]),
    case("pid-digit-4-of-a-girl", {PID: "014315012345"}, [PID]),
    case("pid-digit-4-of-the-1900s", {PID: "014015012345"}, [PID]),
    case("pid-of-a-girl", {"child.sex": "2", PID: "014315012345"}),
    case("pid-sex-3-digit-2", {"child.sex": "3"}),
    case("pid-sex-3-digit-3", {"child.sex": "3", PID: "014315012345"}),
    case("pid-sex-3-digit-0", {"child.sex": "3", PID: "014015012345"}, [PID]),
    case("pid-sex-missing-digit-1", {"child.sex": None, PID: "014115012345"},
         ["child.sex", PID]),
    case("pid-birth-year", {PID: "014214012345"}, [PID]),
    case("pid-digit-4-and-birth-year", {PID: "014314012345"}, [PID]),
    case("pid-everything-wrong", {PID: "003314012345"}, [PID], [PID]),
    case("pid-no-birth-date", {DOB: None, PID: "014014012345"}, [DOB]),
    case("pid-no-birth-date-digit-of-a-girl", {DOB: None, PID: "014314012345"}, [DOB, PID]),
    case("pid-bad-birth-date", {DOB: "2015-13-01", PID: "014314012345"}, [DOB, PID]),
]

PLACES = [
    case("village-missing", {"child.village": None}, ["child.village"]),
    case("village-blank", {"child.village": "  "}, ["child.village"]),
    case("village-not-yours", {"child.village": OTHER}, ["child.village"]),
    case("village-unknown", {"child.village": "99999-999"}, ["child.village"]),
    case("village-padded", {"child.village": f" {OWN} "}),
    case("household-existing", {"household.id": HOUSEHOLD, "household.ref": None}),
    case("household-existing-not-yours", {"household.id": FOREIGN, "household.ref": None},
         ["household.id"]),
    case("household-unknown", {"household.id": UNKNOWN_HOUSEHOLD, "household.ref": None},
         ["household.id"]),
    case("household-village-not-yours", {"household.village": OTHER}, ["household.village"]),
    case("household-existing-village-not-yours",
         {"household.id": HOUSEHOLD, "household.ref": None, "household.village": OTHER}),
    case("household-poverty-missing", {"household.poverty_status": None}),
    case("household-poor", {"household.poverty_status": "poor"}),
    case("household-poverty-unknown", {"household.poverty_status": "rich"},
         ["household.poverty_status"]),
    case("household-address-201-chars", {"household.address": "x" * 201},
         ["household.address"]),
    case("child-address-201-chars", {"child.address": "x" * 201}, ["child.address"]),
    case("child-residence-200-chars", {"child.current_residence": "x" * 200}),
]

CAREGIVERS = [
    case("caregivers-none", no_caregiver(), ["caregivers"]),
    case("caregivers-none-abandoned", no_caregiver(circumstance("DB02"))),
    case("caregivers-none-migrant", no_caregiver(circumstance("DB15"))),
    case("caregivers-none-abandoned-ended",
         no_caregiver(circumstance("DB02", until="2025-01-01")), ["caregivers"]),
    case("caregivers-none-abandoned-ends-on-capture-day",
         no_caregiver(circumstance("DB02", until="2025-06-01")), ["caregivers"]),
    case("caregivers-none-abandoned-ends-later",
         no_caregiver(circumstance("DB02", until="2025-12-31"))),
    case("caregivers-none-abandoned-but-masked", no_caregiver(MASKED), ["caregivers"]),
    case("caregivers-none-orphan", no_caregiver(circumstance("DB01")), ["caregivers"]),
    case("caregiver-empty", {"caregivers": [{}]},
         [f"{CAREGIVER}.relation", f"{CAREGIVER}.full_name"]),
    case("caregiver-relation-missing", {f"{CAREGIVER}.relation": None},
         [f"{CAREGIVER}.relation"]),
    case("caregiver-relation-unknown", {f"{CAREGIVER}.relation": "uncle"},
         [f"{CAREGIVER}.relation"]),
    case("caregiver-id-9-digits", {f"{CAREGIVER}.personal_id": "012345678"}),
    case("caregiver-id-9-with-letter", {f"{CAREGIVER}.personal_id": "01234567X"},
         [f"{CAREGIVER}.personal_id"]),
    case("caregiver-id-10-digits", {f"{CAREGIVER}.personal_id": "0123456789"},
         [f"{CAREGIVER}.personal_id"]),
    case("caregiver-id-12-full-width", {f"{CAREGIVER}.personal_id": "０１４１８５０１２３４５"},
         [f"{CAREGIVER}.personal_id"]),
    case("caregiver-id-unknown-prefix", {f"{CAREGIVER}.personal_id": "003185012345"},
         warnings=[f"{CAREGIVER}.personal_id"]),
    case("caregiver-id-9-any-prefix", {f"{CAREGIVER}.personal_id": "003456789"}),
    case("caregiver-id-spaced", {f"{CAREGIVER}.personal_id": "014 185 012 345"}),
    case("caregiver-phone-spaced", {f"{CAREGIVER}.phone": "0912 345 678"}),
    case("caregiver-phone-dotted", {f"{CAREGIVER}.phone": "0912.345.678"}),
    case("caregiver-phone-international", {f"{CAREGIVER}.phone": "+84 912-345-678"}),
    case("caregiver-phone-9-digits", {f"{CAREGIVER}.phone": "091234567"}),
    case("caregiver-phone-8-digits", {f"{CAREGIVER}.phone": "09123456"}, [f"{CAREGIVER}.phone"]),
    case("caregiver-phone-13-digits", {f"{CAREGIVER}.phone": "0912345678901"},
         [f"{CAREGIVER}.phone"]),
    case("caregiver-phone-brackets", {f"{CAREGIVER}.phone": "(091) 2345678"},
         [f"{CAREGIVER}.phone"]),
    case("caregiver-phone-full-width", {f"{CAREGIVER}.phone": "０９１２３４５６７８"},
         [f"{CAREGIVER}.phone"]),
    case("caregiver-second-bad-phone",
         {"caregivers": [MOTHER, {"relation": "father", "full_name": "Lò Văn Bình",
                                  "personal_id": None, "phone": "123"}]},
         ["caregivers.1.phone"]),
]

CIRCUMSTANCES = [
    case("circ-valid", {"circumstances": [circumstance("DB01")]}),
    case("circ-code-missing", {"circumstances": [circumstance(None)]},
         ["circumstances.0.code"]),
    case("circ-code-unknown", {"circumstances": [circumstance("DB99")]},
         ["circumstances.0.code"]),
    case("circ-since-empty-is-capture-day", {"circumstances": [circumstance(since=None)]}),
    case("circ-since-garbage", {"circumstances": [circumstance(since="01/01/2024")]},
         ["circumstances.0.since"]),
    case("circ-since-yyyymmdd", {"circumstances": [circumstance(since="20240101")]},
         ["circumstances.0.since"]),
    case("circ-since-after-capture-day", {"circumstances": [circumstance(since="2025-06-02")]},
         ["circumstances.0.since"]),
    case("circ-until-garbage", {"circumstances": [circumstance(until="mãi mãi")]},
         ["circumstances.0.until"]),
    case("circ-until-before-since", {"circumstances": [circumstance(until="2023-12-31")]},
         ["circumstances.0.until"]),
    case("circ-until-on-since", {"circumstances": [circumstance(until="2024-01-01")]}),
    case("circ-since-garbage-until-valid",
         {"circumstances": [circumstance(since="x", until="2023-01-01")]},
         ["circumstances.0.since"]),
    case("circ-db04-details-missing", {"circumstances": [circumstance("DB04")]},
         ["circumstances.0.detail.disability_type", "circumstances.0.detail.disability_level"]),
    case("circ-db04-detail-null", {"circumstances": [circumstance("DB04", detail=None)]},
         ["circumstances.0.detail.disability_type", "circumstances.0.detail.disability_level"]),
    case("circ-db04-type-unknown", {"circumstances": [circumstance(
        "DB04", detail={"disability_type": "KT99", "disability_level": "MD01"})]},
         ["circumstances.0.detail.disability_type"]),
    case("circ-db04-valid", {"circumstances": [circumstance(
        "DB04", detail={"disability_type": "KT01", "disability_level": "MD02"})]}),
    case("circ-nc01-reason-missing", {"circumstances": [circumstance("NC01")]},
         ["circumstances.0.detail.risk_reason"]),
    case("circ-nc01-valid", {"circumstances": [circumstance(
        "NC01", detail={"risk_reason": "LD05"})]}),
    case("circ-k03-cause-missing", {"circumstances": [circumstance(
        "K03", detail={"injury_cause": None})]}, ["circumstances.0.detail.injury_cause"]),
    case("circ-k03-cause-unknown", {"circumstances": [circumstance(
        "K03", detail={"injury_cause": "NN99"})]}, ["circumstances.0.detail.injury_cause"]),
    # Issue 14: K02's cause is optional (older phones), DB14 needs a poor household.
    case("circ-k02-without-cause", {"circumstances": [circumstance("K02")]}),
    case("circ-k02-cause-unknown", {"circumstances": [circumstance(
        "K02", detail={"injury_cause": "NN99"})]}, ["circumstances.0.detail.injury_cause"]),
    case("circ-k02-cause-valid", {"circumstances": [circumstance(
        "K02", detail={"injury_cause": "NN10"})]}),
    case("circ-db14-not-poor", {"circumstances": [circumstance("DB14")]},
         ["circumstances.0.code"]),
    case("circ-db14-ended-not-poor", {"circumstances": [circumstance(
        "DB14", until="2024-06-01")]}),
    case("circ-db14-near-poor", {"household.poverty_status": "near_poor",
                                 "circumstances": [circumstance("DB14")]}),
    case("circ-db14-blank-poverty", {"household.poverty_status": None,
                                     "circumstances": [MASKED, circumstance("DB14")]},
         ["circumstances.1.code"]),
    case("circ-detail-of-another-code-ignored", {"circumstances": [circumstance(
        "DB01", detail={"risk_reason": "LD99"})]}),
    case("circ-note-500-chars", {"circumstances": [circumstance(note="x" * 500)]}),
    case("circ-note-501-chars", {"circumstances": [circumstance(note="x" * 501)]},
         ["circumstances.0.note"]),
    case("circ-masked-keeps-positions", {"circumstances": [MASKED, circumstance("DB99")]},
         ["circumstances.1.code"]),
    case("circ-two-masked-keep-positions",
         {"circumstances": [MASKED, MASKED, circumstance(since="2025-07-01")]},
         ["circumstances.2.since"]),
    case("circ-masked-not-judged", {"circumstances": [{**MASKED, "since": "garbage"}]}),
]

SUPPORTS = [
    case("support-valid", {"supports": [support()]}),
    case("support-date-missing", {"supports": [support(date=None)]}, [f"{SUPPORT}.date"]),
    case("support-date-garbage", {"supports": [support(date="1/5/2025")]}, [f"{SUPPORT}.date"]),
    case("support-date-future", {"supports": [support(date="2025-06-02")]},
         [f"{SUPPORT}.date"]),
    case("support-date-capture-day", {"supports": [support(date="2025-06-01")]}),
    case("support-amount-dotted-thousands", {"supports": [support(amount="500.000")]}),
    case("support-amount-comma-thousands", {"supports": [support(amount="1,000")]}),
    case("support-amount-negative", {"supports": [support(amount="-5")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-letters", {"supports": [support(amount="abc")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-underscore", {"supports": [support(amount="1_000")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-double-underscore", {"supports": [support(amount="1__000")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-inner-space", {"supports": [support(amount="500 000")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-padded", {"supports": [support(amount=" 500 ")]}),
    case("support-amount-plus-sign", {"supports": [support(amount="+5")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-fraction", {"supports": [support(amount=1.5)]}, [f"{SUPPORT}.amount"]),
    case("support-amount-whole-float", {"supports": [support(amount=500000.0)]}),
    case("support-amount-number", {"supports": [support(amount=500000)]}),
    case("support-amount-empty", {"supports": [support(amount="")]}),
    case("support-amount-full-width", {"supports": [support(amount="５００")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-arabic-indic", {"supports": [support(amount="٥٠٠٫")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-devanagari", {"supports": [support(amount="५,०००")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-10-to-the-12", {"supports": [support(amount="1000000000000")]}),
    case("support-amount-over-10-to-the-12", {"supports": [support(amount="1000000000001")]},
         [f"{SUPPORT}.amount"]),
    case("support-amount-over-dotted", {"supports": [support(amount="1.000.000.000.001")]},
         [f"{SUPPORT}.amount"]),
    case("support-code-missing", {"supports": [support(code=None)]}, [f"{SUPPORT}.code"]),
    case("support-code-unknown", {"supports": [support(code="TG99")]}, [f"{SUPPORT}.code"]),
    case("support-provider-200-chars", {"supports": [support(provider="x" * 200)]}),
    case("support-provider-201-chars", {"supports": [support(provider="x" * 201)]},
         [f"{SUPPORT}.provider"]),
    case("support-note-501-chars", {"supports": [support(note="x" * 501)]},
         [f"{SUPPORT}.note"]),
    case("support-second-bad", {"supports": [support(), support(amount="abc")]},
         ["supports.1.amount"]),
]

CLOSURES = [
    case("update-without-closure", update=True),
    case("closure-valid", {"closure": CLOSURE}, update=True),
    case("closure-without-date", {"closure": {**CLOSURE, "date": None}}, update=True),
    case("closure-on-birth-day", {"closure": {**CLOSURE, "date": "2015-03-04"}}, update=True),
    case("closure-before-birth", {"closure": {**CLOSURE, "date": "2015-03-03"}},
         ["closure.date"], update=True),
    case("closure-after-capture-day", {"closure": {**CLOSURE, "date": "2025-06-02"}},
         ["closure.date"], update=True),
    case("closure-date-garbage", {"closure": {**CLOSURE, "date": "1/5/2025"}},
         ["closure.date"], update=True),
    case("closure-birth-date-garbage", {DOB: "x", "closure": {**CLOSURE, "date": "2010-01-01"}},
         [DOB], update=True),
    case("closure-died-older-phone", {"closure": {**CLOSURE, "reason": "died"}}, update=True),
    case("closure-died-not-injury", {"closure": {**CLOSURE, "reason": "died", "injury": False,
                                                 "cause": "NN99"}}, update=True),
    case("closure-died-injury-cause", {"closure": {**CLOSURE, "reason": "died", "injury": True,
                                                   "cause": "NN01"}}, update=True),
    case("closure-died-injury-no-cause", {"closure": {**CLOSURE, "reason": "died",
                                                      "injury": True}},
         ["closure.cause"], update=True),
    case("closure-died-cause-unknown", {"closure": {**CLOSURE, "reason": "died",
                                                    "cause": "NN99"}},
         ["closure.cause"], update=True),
    case("closure-move-with-cause", {"closure": {**CLOSURE, "cause": "NN01"}},
         ["closure.cause"], update=True),
]

# The base child: born 2015-03-04, captured 2025-06-01 (school year 2024): 9 years by school
# year. Ages and messages: fieldapp/children/schooling.py.
DROPOUT = {SCHOOL: "HT07", LEVEL: "TH", LEFT_ON: "2024-09-15"}
SCHOOLING = [
    case("schooling-none", {SCHOOL: None}),
    case("schooling-primary-at-9", {SCHOOL: "HT03"}),
    case("schooling-not-yet-at-9", {SCHOOL: "HT01"}, warnings=[SCHOOL]),
    case("schooling-preschool-at-9", {SCHOOL: "HT02"}, warnings=[SCHOOL]),
    case("schooling-lower-secondary-at-9", {SCHOOL: "HT04"}, warnings=[SCHOOL]),
    case("schooling-lower-secondary-at-11", born("2013-12-31", **{SCHOOL: "HT04"})),
    case("schooling-upper-secondary-at-9", {SCHOOL: "HT05"}, warnings=[SCHOOL]),
    case("schooling-primary-at-5", born("2019-12-31", **{SCHOOL: "HT03"})),
    case("schooling-primary-at-4", born("2020-01-01", **{SCHOOL: "HT03"}), warnings=[SCHOOL]),
    case("schooling-not-in-school-any-age", {SCHOOL: "HT08"}),
    case("dropout-complete", DROPOUT),
    case("dropout-month-only", {**DROPOUT, LEFT_ON: "2024-09"}),
    case("dropout-no-level-no-day", {SCHOOL: "HT07"}, [LEVEL, LEFT_ON]),
    case("dropout-unknown-level", {**DROPOUT, LEVEL: "DH"}, [LEVEL]),
    case("dropout-upper-secondary-at-9", {**DROPOUT, LEVEL: "THPT"}, warnings=[LEVEL]),
    case("dropout-day-garbage", {**DROPOUT, LEFT_ON: "tháng 9"}, [LEFT_ON]),
    case("dropout-before-birth", {**DROPOUT, LEFT_ON: "2015-03-03"}, [LEFT_ON]),
    case("dropout-after-capture", {**DROPOUT, LEFT_ON: "2025-06-02"}, [LEFT_ON]),
    case("dropout-at-4", born("2020-05-01", **DROPOUT), warnings=[SCHOOL, LEVEL]),
    case("not-dropout-ignores-level-and-day", {SCHOOL: "HT03", LEVEL: "DH", LEFT_ON: "x"}),
]

CASES = (NAMES + CODES + BIRTH_DATES + PERSONAL_IDS + PLACES + CAREGIVERS + CIRCUMSTANCES
         + SUPPORTS + CLOSURES + SCHOOLING)
PHONE_CONTEXT = {"capture": CAPTURE.isoformat(),
                 "villages": {PHONE_NAMES[OWN]: True}, "households": {PHONE_NAMES[HOUSEHOLD]: True}}


@pytest.fixture(scope="module")
def phone(app):
    """The phone's verdict of every case, by id: one Chromium page, one evaluation."""
    with app.app_context():
        lists = code_lists()  # as the packet sends them, from the database's code lists
        _db.session.remove()
    cases = [param.values[0] for param in CASES]
    # The server's birth-date rule also looks at the real today; so does the phone's.
    ctx = {**PHONE_CONTEXT, "today": date.today().isoformat()}
    verdicts = judge_all([filled(changed(BASE, c.changes), PHONE_NAMES) for c in cases], ctx,
                         lists)
    return {c.id: verdict for c, verdict in zip(cases, verdicts, strict=True)}


def server(c: Case, world):
    data = changed(BASE, c.changes)
    item = {"uuid": str(uuid.uuid4()), "kind": "child", "captured_at": CAPTURED_AT,
            "child_id": None, "base_version": None, "corrects": None,
            "data": filled(data, world.names(data))}
    if c.update:
        item.update(child_id=str(world.child.id), base_version=world.child.version)
    scope = load_scope(world.collaborator, [item])
    # The phone's context is this scope, its places renamed.
    assert world.placeholders(scope.villages) == {OWN}
    assert world.placeholders(scope.households) <= {HOUSEHOLD}
    return judge(item, scope, NOW)


def test_cases_have_unique_ids():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)) >= 60


@pytest.mark.parametrize("c", CASES)
def test_phone_judges_a_snapshot_as_the_server(c, world, phone):
    verdict = server(c, world)
    on_phone = phone[c.id]
    assert "exception" not in on_phone, on_phone.get("exception")
    assert on_phone == {"errors": verdict.errors, "warnings": verdict.warnings}
    assert (sorted(verdict.errors), sorted(verdict.warnings)) == (
        sorted(c.errors), sorted(c.warnings))


# The age limit is a setting (issue 14 §1.5): the packet carries it (rules.age_limit) and the
# phone's context passes it on; a packet from before the setting has none, and the phone
# keeps the Law's 16. (limit in force on the server, limit the phone got, birth date, refused)
AGE_LIMITS = [
    (16, None, "2009-06-01", True), (16, None, "2009-06-02", False),
    (16, 16, "2009-06-01", True),
    (17, 17, "2009-06-01", False), (17, 17, "2008-06-02", False),
    (17, 17, "2008-06-01", True), (18, 18, "2007-06-02", False), (18, 18, "2007-06-01", True),
]


def test_the_phone_applies_the_age_limit_the_packet_gives(world, make, app):
    from fieldapp import roles
    from fieldapp.settings import services as settings

    admin = make.user(roles.ADMIN)
    for limit, sent in sorted({(limit, sent) for limit, sent, _day, _refused in AGE_LIMITS},
                              key=str):
        settings.change_settings(admin, {"age_limit": str(limit)})
        rows = [row for row in AGE_LIMITS if row[:2] == (limit, sent)]
        with app.app_context():
            lists = code_lists()
            _db.session.remove()
        ctx = {**PHONE_CONTEXT, "today": date.today().isoformat()}
        if sent is not None:
            ctx["ageLimit"] = sent
        cases = [Case(f"age-{limit}-{day}", born(day), (), (), False) for _l, _s, day, _r in rows]
        verdicts = judge_all([filled(changed(BASE, c.changes), PHONE_NAMES) for c in cases],
                             ctx, lists)
        for c, on_phone, (*_, refused) in zip(cases, verdicts, rows, strict=True):
            verdict = server(c, world)
            assert on_phone == {"errors": verdict.errors, "warnings": verdict.warnings}, c.id
            assert (DOB in verdict.errors) is refused, c.id
            if refused:
                assert verdict.errors[DOB] == [
                    f"Ngày, tháng, năm sinh: trẻ đã đủ {limit} tuổi vào ngày thu thập."]
