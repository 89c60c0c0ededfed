"""The reasons a cleaning list gives beside each child, in Vietnamese: worded in Python for
the rows a list holds (``queries`` picks the rows in SQL, by the same rules)."""

from dataclasses import dataclass
from datetime import date

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import ONGOING_SUPPORT, Child, Circumstance, SupportRecord
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import (
    FOLLOWS_HOUSEHOLD,
    NO_CAREGIVER_NEEDED,
    age_limit,
    check_personal_id,
)
from fieldapp.clock import months_ago, shown
from fieldapp.settings import services as settings

REVIEWED_BLOCKS = ("DB", "NC", "K")  # hoàn cảnh đặc biệt, nguy cơ, hoàn cảnh khác
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


def review_cutoff(today: date) -> date:
    """Confirmed before this day: the membership needs review (the setting ``review_months``,
    6 by Decision 3978)."""
    return months_ago(today, settings.value("review_months"))


def reviewed_code(code: str) -> bool:
    """A group the periodic review confirms or ends: special circumstances (DB), at risk (NC)
    and other (K), but not NC02, which follows the household's poverty status by itself."""
    return code.startswith(REVIEWED_BLOCKS) and code != FOLLOWS_HOUSEHOLD


@dataclass(frozen=True)
class ReviewItem:
    """An open group membership or ongoing support, as the review page and list show it."""

    kind: str  # "circumstance" | "support"
    row: Circumstance | SupportRecord
    label: str  # "DB04 · khuyết tật", or "hạn chế" for a reader who may not see the group
    since: date
    confirmed_on: date | None
    stale: bool

    @property
    def key(self) -> str:
        return str(self.row.id)


def _is_open(until: date | None, today: date) -> bool:
    return until is None or until >= today


def _label(list_name: str, code: str, user) -> str:
    if list_name == "circumstance" and catalogue.is_restricted(code) and not (
            user is not None and access.sees_restricted(user)):
        return catalogue.RESTRICTED_LABEL
    item = catalogue.get(list_name, code)
    return f"{code} · {item.label}" if item else code


def review_items(child: Child, user, today: date) -> list[ReviewItem]:
    """The child's open reviewed memberships, then its open ongoing support (a reader who may
    not see the restricted groups sees no support of a child in one, as on the child page),
    each saying whether it is due (not confirmed within the review period)."""
    cutoff = review_cutoff(today)
    items = [ReviewItem("circumstance", c, _label("circumstance", c.code, user), c.since,
                        c.confirmed_on, (c.confirmed_on or c.since) < cutoff)
             for c in child.circumstances if reviewed_code(c.code) and _is_open(c.until, today)]
    hidden = (user is None or not access.sees_restricted(user)) and any(
        catalogue.is_restricted(c.code) for c in child.circumstances)
    if not hidden:
        items += [ReviewItem("support", s, _label("support_form", s.form, user), s.given_on,
                             s.confirmed_on, (s.confirmed_on or s.given_on) < cutoff)
                  for s in child.support
                  if s.form in ONGOING_SUPPORT and _is_open(s.until, today)]
    return items


def stale_circumstances(child: Child, today: date) -> list[Circumstance]:
    return [item.row for item in review_items(child, None, today)
            if item.stale and item.kind == "circumstance"]


def review_reasons(child: Child, user, today: date) -> list[str]:
    reasons = []
    for item in review_items(child, user, today):
        if not item.stale:
            continue
        if item.confirmed_on:
            reasons.append(f"{item.label}: xác nhận lần cuối {shown(item.confirmed_on)}.")
        else:
            reasons.append(f"{item.label}: từ {shown(item.since)}, chưa được xác nhận lại.")
    return reasons
