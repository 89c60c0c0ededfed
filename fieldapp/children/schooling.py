"""Schooling that fits the age, and the level a dropout left (issue 14 §1.3): one table.

Vietnamese school ages go by the **year of birth**: a child enters grade 1 in the school year
(from September) of the calendar year it turns 6, THCS (grade 6) the year it turns 11, THPT
(grade 10) the year it turns 15. So the age that counts here is the *school-year age*: the
year the school year began (September to August) minus the year of birth. Each status has
the school-year ages it normally covers, with one year of slack either way (children start
late or early, repeat a grade):

======  ==========================  =========  ==========
code    status                      normal     accepted
======  ==========================  =========  ==========
HT01    chưa đến tuổi đi học        0–5        up to 6
HT02    mầm non (nhà trẻ, mẫu giáo) 0–5        up to 6
HT03    tiểu học (grades 1–5)       6–10       5–11
HT04    THCS (grades 6–9)           11–14      10–15
HT05    THPT (grades 10–12)         15–17      from 14
HT06    giáo dục nghề nghiệp        15–        from 14
HT07    đã bỏ học                   6–         from 6 (one can only drop out of school)
HT08    không đi học                any        any
======  ==========================  =========  ==========

A status outside its ages is a **warning**, never an error: the officer confirms it (the
child form's "Tôi đã kiểm tra, vẫn lưu", or approving the submission), the phone shows it
and may still send. A dropout (HT07) must say the level left (``school_level``: tiểu học,
THCS, THPT) and the day (a month is enough: ``YYYY-MM`` is read as its first day), neither
before birth nor after the day recorded; a level the child was too young for is a warning.

``static/js/validate.js`` mirrors :data:`AGES`, :data:`LEVEL_AGES` and the messages: the
phone judges offline as the server does.
"""

import re
from datetime import date

SCHOOL_YEAR_MONTH = 9  # a school year starts in September
DROPPED_OUT = "HT07"
LEVEL_LIST = "school_level"
# status → (youngest, oldest) school-year age, slack included; None: no bound.
AGES: dict[str, tuple[int | None, int | None]] = {
    "HT01": (None, 6), "HT02": (None, 6), "HT03": (5, 11), "HT04": (10, 15),
    "HT05": (14, None), "HT06": (14, None), "HT07": (6, None), "HT08": (None, None),
}
# The level left → the youngest school-year age at which a child can have been in it.
LEVEL_AGES = {"TH": 5, "THCS": 10, "THPT": 14}
MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")

ASK_LEVEL = "Trẻ đã bỏ học: chọn cấp học khi bỏ học."
ASK_LEFT_ON = "Trẻ đã bỏ học: nhập ngày (hoặc tháng) bỏ học."
BAD_LEFT_ON = "Ngày bỏ học không đúng định dạng ngày."
LEFT_ON_RANGE = "Ngày bỏ học phải từ ngày sinh đến ngày thu thập."


def school_age(born: date, on: date) -> int:
    """The school-year age on ``on``: the year its school year began minus the birth year."""
    started = on.year if on.month >= SCHOOL_YEAR_MONTH else on.year - 1
    return started - born.year


def _span(low: int | None, high: int | None) -> str:
    if low is None:
        return f"đến {high} tuổi"
    if high is None:
        return f"từ {low} tuổi"
    return f"từ {low} đến {high} tuổi"


def age_warning(status: str | None, born: date | None, on: date, label: str) -> str | None:
    """The warning for a status (``label``: its Vietnamese name) that does not fit the age
    of a child born ``born`` on ``on``; ``None`` when it fits or cannot be judged."""
    if not status or status not in AGES or not isinstance(born, date) or born > on:
        return None
    low, high = AGES[status]
    age = school_age(born, on)
    if (low is None or age >= low) and (high is None or age <= high):
        return None
    return (f"“{label}” không hợp với tuổi của trẻ ({age} tuổi theo năm học; thường "
            f"{_span(low, high)}). Vui lòng kiểm tra lại.")


def level_warning(level: str | None, born: date | None, on: date, label: str) -> str | None:
    """A level left that the child was too young to be in."""
    if level not in LEVEL_AGES or not isinstance(born, date) or born > on:
        return None
    age = school_age(born, on)
    if age >= LEVEL_AGES[level]:
        return None
    return (f"Trẻ {age} tuổi theo năm học chưa thể học “{label}” "
            f"(thường {_span(LEVEL_AGES[level], None)}). Vui lòng kiểm tra lại.")


def parse_left_on(value) -> date | None:
    """``YYYY-MM-DD``, or ``YYYY-MM`` read as the month's first day; else ``None``."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if MONTH.match(text):
        text += "-01"
    if not re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
