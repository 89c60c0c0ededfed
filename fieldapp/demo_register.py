"""An invented register for the demo commune: about 60 households and 150 children.

Every name is made up from common Thái, Kinh, HMông, Kháng and Khơ-mú name parts; any
likeness to a real child is chance. A fixed seed makes the same register every time.
"""

import random
from datetime import date, timedelta

from fieldapp.children import services
from fieldapp.children.models import Child
from fieldapp.extensions import db

PEOPLE = {  # ethnicity code: (family names, boys' middle+given, girls' middle+given)
    "03": (["Lò", "Cầm", "Quàng", "Lường", "Hà", "Vì", "Tòng"],
           ["Văn Thanh", "Văn Hùng", "Văn Pọm", "Văn Khoa", "Văn Tiến", "Văn Ban"],
           ["Thị Ánh", "Thị Xuân", "Thị Hoa", "Thị Lả", "Thị Ngọc", "Thị Ín"]),
    "01": (["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Bùi"],
           ["Văn An", "Minh Đức", "Quốc Huy", "Gia Bảo", "Đức Anh"],
           ["Thị Lan", "Ngọc Hân", "Thu Trang", "Bảo Ngọc", "Khánh Linh"]),
    "08": (["Giàng", "Thào", "Sùng", "Mùa", "Vàng", "Lầu"],
           ["A Dế", "A Chư", "A Tủa", "A Sử", "A Páo"],
           ["Thị Mai", "Thị Dua", "Thị Pà", "Thị Sua", "Thị Chò"]),
    "33": (["Lò", "Quàng", "Vì", "Cà"], ["Văn Xiêng", "Văn Un"], ["Thị Pọm", "Thị Ỏn"]),
    "29": (["Lò", "Quàng", "Vì"], ["Văn Sinh", "Văn Khăm"], ["Thị Nọi", "Thị Phăn"]),
}
ETHNIC_WEIGHTS = {"03": 50, "01": 15, "08": 20, "33": 8, "29": 7}
VILLAGES = ["03808-001", "03808-002", "03808-003", "03808-004"]
OLD_SON_LA = "014"
# (code, detail) drawn for about one child in four. NC02 is not drawn: it follows the
# household's poverty status; DB14 only for a child of a poor or near-poor household.
CIRCUMSTANCES = [
    ("DB01", {}), ("DB04", {"disability_type": "KT01", "disability_level": "MD02"}),
    ("DB04", {"disability_type": "KT05", "disability_level": "MD03"}), ("DB07", {}),
    ("DB14", {}), ("DB05", {}), ("DB08", {}), ("DB12", {}), ("DB13", {}),
    ("NC01", {"risk_reason": "LD05"}), ("NC01", {"risk_reason": "LD06"}),
    ("K03", {"injury_cause": "NN01"}), ("K03", {"injury_cause": "NN02"}), ("K01", {}),
]


def seed_register(officer, today: date | None = None) -> list[Child]:
    """Create the demo households and children through the register's services."""
    rng = random.Random(2026)
    today = today or date.today()
    children: list[Child] = []
    for number in range(60):
        village = VILLAGES[number % 4]
        ethnicity = rng.choices(list(ETHNIC_WEIGHTS), weights=ETHNIC_WEIGHTS.values())[0]
        family, boys, girls = PEOPLE[ethnicity]
        surname = rng.choice(family)
        father = f"{surname} {rng.choice(boys)}"
        mother = f"{rng.choice(family)} {rng.choice(girls)}"
        poverty = rng.choices(["none", "near_poor", "poor"], [6, 2, 2])[0]
        household = services.create_household(officer, {
            "head_name": father, "village_code": village,
            "address": f"Tổ {rng.randint(1, 6)}", "poverty_status": poverty,
        })
        taken = {father, mother}
        for _ in range(2 if number % 2 else 3):
            sex = rng.choice("12")
            names = [f"{surname} {g}" for g in (boys if sex == "1" else girls)]
            name = rng.choice([n for n in names if n not in taken] or names)
            taken.add(name)
            born = today - timedelta(days=rng.randint(40, 15 * 365))
            record = _record(rng, name, sex, born, ethnicity, village,
                             father, mother, poor=poverty != "none")
            record["household_id"] = household.id
            children.append(services.create_child(officer, record, capture_date=today))
    _special_cases(officer, children, today)
    db.session.flush()
    return children


def _record(rng, name, sex, born, ethnicity, village, father, mother, *, poor) -> dict:
    has_id = rng.random() < 0.6
    circumstances = []
    if rng.random() < 0.25:
        code, detail = rng.choice([c for c in CIRCUMSTANCES if poor or c[0] != "DB14"])
        circumstances.append({"code": code, "detail": detail,
                              "since": born + timedelta(days=rng.randint(30, 400))})
    support = []
    if circumstances and rng.random() < 0.6:
        support.append({"form": rng.choice(["TG01", "TG02", "TG04", "TG05"]),
                        "date": date.today() - timedelta(days=rng.randint(1, 300)),
                        "provider": "UBND xã", "amount_vnd": rng.choice([None, 360000, 500000])})
    return {
        "child": {
            "full_name": name, "sex": sex, "date_of_birth": born, "ethnicity_code": ethnicity,
            "village_code": village, "schooling_status": _schooling(born),
            "personal_id": _personal_id(rng, sex, born) if has_id else None,
        },
        "caregivers": [{"relation": "father", "full_name": father},
                       {"relation": "mother", "full_name": mother}],
        "circumstances": [c for c in circumstances if c["since"] <= date.today()],
        "support": support,
    }


def _personal_id(rng, sex: str, born: date) -> str:
    digit = {"1": "2", "2": "3"}[sex]
    return f"{OLD_SON_LA}{digit}{born.year % 100:02d}{rng.randint(0, 999999):06d}"


def _schooling(born: date) -> str:
    years = (date.today() - born).days // 365
    return "HT01" if years < 3 else "HT02" if years < 6 else "HT03" if years < 11 else "HT04"


def _special_cases(officer, children: list[Child], today: date) -> None:
    """The cases the demo must show: bad numbers, a probable duplicate, a 16th birthday."""
    # Numbers as the old desktop program kept them: wrong length, wrong sex digit, wrong year.
    for child, bad in zip(children[3:6], ["01421500123", "014315001234", "014299001234"],
                          strict=True):
        child.personal_id = bad
    # A probable duplicate: the same child recorded again in another household.
    original = children[10]
    household = services.create_household(officer, {
        "head_name": original.caregivers[1].full_name, "village_code": original.village_code})
    services.create_child(officer, {
        "household_id": household.id,
        "child": {"full_name": original.full_name, "sex": original.sex,
                  "date_of_birth": original.date_of_birth,
                  "ethnicity_code": original.ethnicity_code,
                  "village_code": original.village_code},
        "caregivers": [{"relation": "mother", "full_name": original.caregivers[1].full_name}],
    }, capture_date=today)
    # One child turns 16 within the month.
    oldest = children[20]
    oldest.date_of_birth = today.replace(year=today.year - 16) + timedelta(days=12)
