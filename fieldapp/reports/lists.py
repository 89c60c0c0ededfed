"""The named lists a commune keeps by month or quarter (issue 15 §2, DOMAIN §8): children in
special circumstances and at risk, those in special circumstances who had no support in the
period, and school dropouts.

They read the register as it stands now (``children.models``), not its periods: a list names
children the officer acts on today, where a report counts them as known at a date. A child is
*active* for a period when the record is not closed by the period's end and the child is under
the age limit then. A membership overlaps the period when ``since <= end`` and
``until`` is open or ``>= start``; "support in the period" is the indicators' definition
(``indicators.support_in_period``), with the period's first and last day. Groups and supports
are shown through ``children.queries``, so a role that may not see a restricted group reads
"hạn chế", here as on the child page.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries
from fieldapp.children.models import Child, Circumstance, SupportRecord
from fieldapp.children.validators import age_limit
from fieldapp.clock import shown
from fieldapp.extensions import db
from fieldapp.reports.indicators import supported_between

DROPPED_OUT = "HT07"
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Kind:
    """One list: its title, its own columns (after STT, name, sex, birth date, village),
    their widths in a spreadsheet, and whether it is printed landscape."""

    title: str
    columns: tuple[str, ...]
    widths: tuple[int, ...]
    landscape: bool = False


LISTS = {
    "special": Kind("Danh sách trẻ em có hoàn cảnh đặc biệt và trẻ em có nguy cơ",
                    ("Nhóm", "Từ ngày", "Trợ giúp trong kỳ"), (40, 14, 36), landscape=True),
    "unsupported": Kind("Danh sách trẻ em có hoàn cảnh đặc biệt chưa được trợ giúp",
                        ("Nhóm", "Từ ngày"), (44, 14)),
    "dropouts": Kind("Danh sách trẻ em bỏ học", ("Cấp học đã bỏ", "Ngày bỏ học"), (22, 14)),
}
COMMON = ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Thôn/bản")
COMMON_WIDTHS = (6, 26, 10, 12, 18)


@dataclass(frozen=True)
class Period:
    """A month (``2026-11``) or a quarter (``2026-Q4``): its key, first and last day."""

    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """"Tháng 11/2026" or "Quý IV/2026"."""
        if "Q" in self.key:
            return f"Quý {ROMAN[(self.start.month - 1) // 3]}/{self.start.year}"
        return f"Tháng {self.start.month:02d}/{self.start.year}"


PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|[Qq]([1-4]))$")
BAD_PERIOD = "Kỳ không đúng: nhập tháng (ví dụ 2026-11) hoặc quý (ví dụ 2026-Q4)."


def month(day: date) -> Period:
    """The month ``day`` is in (the lists' default period)."""
    return Period(f"{day:%Y-%m}", day.replace(day=1),
                  day.replace(day=monthrange(day.year, day.month)[1]))


def parse_period(text: str) -> Period | None:
    """The period ``text`` names, or None when it names none (:data:`BAD_PERIOD`)."""
    found = PERIOD.match((text or "").strip())
    if not found or not 2000 <= int(found.group(1)) <= 2100:
        return None
    year = int(found.group(1))
    if found.group(2):
        return month(date(year, int(found.group(2)), 1))
    quarter = int(found.group(3))
    first = date(year, 3 * quarter - 2, 1)
    last = date(year, 3 * quarter, monthrange(year, 3 * quarter)[1])
    return Period(f"{year}-Q{quarter}", first, last)


def recent_periods(today: date, months: int = 12, quarters: int = 4) -> list[Period]:
    """The last months and quarters, newest first: what the period field suggests."""
    out, day = [], today.replace(day=1)
    for _ in range(months):
        out.append(month(day))
        day = date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(quarters):
        out.append(parse_period(f"{year}-Q{quarter}"))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


class Row(NamedTuple):
    """A child of a list and the list's own cells, as the reader may see them."""

    child: Child
    cells: tuple


def _active(query: Select, period: Period) -> Select:
    return query.where(or_(Child.closed_on.is_(None), Child.closed_on > period.end),
                       Child.date_of_birth > queries.years_ago(period.end, age_limit()),
                       Child.date_of_birth <= period.end)


def _overlaps(item, start: date, end: date):
    return and_(item.since <= end, or_(item.until.is_(None), item.until >= start))


def _in_group(prefixes: tuple[str, ...], period: Period):
    return exists().where(Circumstance.child_id == Child.id,
                          or_(*(Circumstance.code.startswith(p) for p in prefixes)),
                          _overlaps(Circumstance, period.start, period.end))


def supported_in(period: Period):
    """Support in the period (the indicators' rule)."""
    s = SupportRecord
    return supported_between(s.given_on, s.until, s.form, period.start, period.end)


def _supported(children: list[Child], period: Period) -> set:
    """The ids of the support rows of ``children`` given in the period (one query)."""
    if not children:
        return set()
    return set(db.session.scalars(select(SupportRecord.id).where(
        SupportRecord.child_id.in_([c.id for c in children]), supported_in(period))))


def children_of(user, name: str, period: Period, village: str = "",
                left_in_period: bool = False) -> list[Child]:
    """The children of list ``name`` that ``user`` may see, by village then name."""
    query = _active(access.children(user), period)
    if village:
        query = query.where(Child.village_code == village)
    if name == "special":
        query = query.where(_in_group(("DB", "NC"), period))
    elif name == "unsupported":
        query = query.where(_in_group(("DB",), period), ~exists().where(
            SupportRecord.child_id == Child.id, supported_in(period)))
    else:
        query = query.where(Child.schooling_status == DROPPED_OUT)
        if left_in_period:
            query = query.where(Child.school_left_on.between(period.start, period.end))
    query = query.options(selectinload(Child.circumstances), selectinload(Child.support),
                          joinedload(Child.village))
    return list(db.session.scalars(query.order_by(Child.village_code, Child.name_key,
                                                  Child.id)).unique())


def rows(user, name: str, period: Period, village: str = "",
         left_in_period: bool = False) -> list[Row]:
    """The list ``name`` for ``period`` (and ``village``) as ``user`` may read it."""
    found = children_of(user, name, period, village, left_in_period)
    if name == "dropouts":
        return [Row(c, (catalogue.label("school_level", c.school_left_level)
                        if c.school_left_level else "", c.school_left_on)) for c in found]
    prefixes = ("DB", "NC") if name == "special" else ("DB",)
    supported = _supported(found, period) if name == "special" else set()
    out = []
    for child in found:
        groups = [(queries.circumstance(c, user), c.since) for c in child.circumstances
                  if c.code.startswith(prefixes) and c.since <= period.end
                  and (c.until is None or c.until >= period.start)]
        cells = ("\n".join(queries.group_text(shown_as) for shown_as, _ in groups),
                 "\n".join(shown(since) for _, since in groups))
        if name == "special":
            given = [s for s in queries.supports(child, user) if s.id in supported]
            cells += ("\n".join(dict.fromkeys(_support(s) for s in given)),)
        out.append(Row(child, cells))
    return out


def _support(s) -> str:
    return f"{s.form} · {catalogue.label('support_form', s.form)}"


def table(found: list[Row]) -> list[tuple]:
    """The rows as a spreadsheet or a paper prints them: STT, name, sex, birth date, village,
    then the list's cells."""
    return [(number, row.child.full_name, catalogue.label("sex", row.child.sex),
             row.child.date_of_birth, row.child.village.name, *row.cells)
            for number, row in enumerate(found, start=1)]
