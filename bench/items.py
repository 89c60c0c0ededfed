"""Invented new-child submissions as a phone sends them (for sync.py and load.py)."""

import uuid
from datetime import date, datetime, timedelta

from fieldapp.collection.schemas import VIETNAM
from fieldapp.demo_register import PEOPLE


def new_child(rng, village: str, n: int = 0, now: datetime | None = None,
              today: date | None = None) -> dict:
    """A valid submission of a new child of ``village`` in a new household (``n`` picks the
    household's group, "Tổ 1" to "Tổ 6")."""
    now, today = now or datetime.now(VIETNAM), today or date.today()
    family, boys, girls = PEOPLE[rng.choice(list(PEOPLE))]
    sex = rng.choice("12")
    return {
        "uuid": str(uuid.uuid4()), "kind": "child", "child_id": None,
        "captured_at": (now - timedelta(minutes=rng.randint(5, 600))).isoformat(),
        "base_version": None, "corrects": None,
        "data": {"household": {"id": None, "ref": str(uuid.uuid4()),
                               "head_name": f"{rng.choice(family)} {rng.choice(boys)}",
                               "address": f"Tổ {n % 6 + 1}", "village": village,
                               "poverty_status": "none"},
                 "child": {"full_name": f"{rng.choice(family)} "
                                        f"{rng.choice(boys if sex == '1' else girls)}",
                           "sex": sex, "ethnicity_code": "03", "nationality": "VN",
                           "date_of_birth": (today - timedelta(
                               days=rng.randint(40, 15 * 365))).isoformat(),
                           "village": village, "personal_id": None, "address": "",
                           "current_residence": "", "schooling_status": None},
                 "caregivers": [{"relation": "mother", "personal_id": None, "phone": None,
                                 "full_name": f"{rng.choice(family)} {rng.choice(girls)}"}],
                 "circumstances": [], "supports": []}}
