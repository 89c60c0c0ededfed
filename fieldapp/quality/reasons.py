"""The reasons a cleaning list gives beside each child, in Vietnamese: worded in Python for
the rows a list holds (``queries`` picks the rows in SQL, by the same rules)."""

from datetime import date

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import Child, Circumstance
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import NO_CAREGIVER_NEEDED, age_limit, check_personal_id
from fieldapp.clock import shown

REVIEW_MONTHS = 6
# What a name may not hold: digits and the symbols that slip in when a book is typed up.
NAME_JUNK = "0123456789?!@#$%^&*_=+/\\|<>[]{}()\":;,~`"
UNKNOWN_SEX = "3"
UNKNOWN_ETHNICITY = "00"


def id_reasons(child: Child) -> list[str]:
    """Everything DOMAIN §7 finds wrong with the child's number: errors, then warnings."""
    if not (child.personal_id or "").strip():
        return []
    year = child.date_of_birth.year if child.date_of_birth else None
    found = check_personal_id(child.personal_id, sex=child.sex, birth_year=year)
    return [*found.errors, *found.warnings]


def basic_reasons(child: Child, today: date | None = None) -> list[str]:
    """What is missing or implausible in the child's basic data, in Vietnamese."""
    today = today or date.today()
    reasons = []
    name = (child.full_name or "").strip()
    if not name:
        reasons.append("Thiếu họ và tên.")
    else:
        if " " not in name:
            reasons.append("Họ và tên chỉ có một từ.")
        if any(ch in NAME_JUNK for ch in name):
            reasons.append("Họ và tên có chữ số hoặc ký tự lạ.")
    born = child.date_of_birth
    if born is None:
        reasons.append("Thiếu ngày sinh.")
    elif born > today:
        reasons.append(f"Ngày sinh {shown(born)} ở tương lai.")
    elif born <= years_ago(today, age_limit()):
        reasons.append(f"Ngày sinh {shown(born)}: trẻ đã đủ {age_limit()} tuổi.")
    if child.sex == UNKNOWN_SEX:
        reasons.append("Giới tính chưa xác định.")
    elif not child.sex:
        reasons.append("Thiếu giới tính.")
    elif child.sex not in ("1", "2"):
        reasons.append(f"Mã giới tính {child.sex} không có trong danh mục.")
    if not child.ethnicity_code:
        reasons.append("Thiếu dân tộc.")
    elif child.ethnicity_code == UNKNOWN_ETHNICITY:
        reasons.append("Dân tộc không rõ.")
    elif not catalogue.exists("ethnicity", child.ethnicity_code):
        reasons.append(f"Mã dân tộc {child.ethnicity_code} không có trong danh mục.")
    named = [c for c in child.caregivers if (c.full_name or "").strip()]
    exempt = any(c.code in NO_CAREGIVER_NEEDED and (c.until is None or c.until >= today)
                 for c in child.circumstances)
    if not named and not exempt:
        reasons.append("Không có người nuôi dưỡng (cha, mẹ hoặc người giám hộ).")
    return reasons


def months_ago(today: date, months: int) -> date:
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_cutoff(today: date) -> date:
    """Confirmed before this day: the membership needs review."""
    return months_ago(today, REVIEW_MONTHS)


def stale_circumstances(child: Child, today: date) -> list[Circumstance]:
    cutoff = review_cutoff(today)
    return [c for c in child.circumstances
            if c.code.startswith("DB") and (c.until is None or c.until >= today)
            and (c.confirmed_on or c.since) < cutoff]


def review_reasons(child: Child, user, today: date) -> list[str]:
    reasons = []
    for c in stale_circumstances(child, today):
        if catalogue.is_restricted(c.code) and not access.sees_restricted(user):
            label = catalogue.RESTRICTED_LABEL
        else:
            item = catalogue.get("circumstance", c.code)
            label = f"{c.code} · {item.label}" if item else c.code
        if c.confirmed_on:
            reasons.append(f"{label}: xác nhận lần cuối {shown(c.confirmed_on)}.")
        else:
            reasons.append(f"{label}: từ {shown(c.since)}, chưa được xác nhận lại.")
    return reasons
