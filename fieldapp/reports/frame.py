"""The SQL a report is counted by (ARCHITECTURE decision 10): the register as known at the
end of the report's day, for one place, in two statements whatever the number of children.

- ``frame``: the children's periods valid at that moment, of the place, born by the day and
  not closed before the period began — each with its breakdown columns (sex, age group at the
  day, ethnicity, place below the report's: the village of a commune, the commune of a
  province) and whether it is active (under the age limit, not closed, at the day);
- ``marks``: per child, whether one of its membership periods valid at that moment meets each
  of ``indicators.MARKS`` (a group at the day, support in the period, …);
- ``verified``: the children whose identity number the police verified by then.

:func:`cube` counts every indicator per combination of the four breakdowns (so totals and
breakdowns add up without counting a child twice); :func:`own_breakdowns` counts each
indicator's own breakdown (a child in two groups counts in both).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, and_, case, distinct, func, literal_column, or_, select, union_all

from fieldapp.children.models import ChildPeriod, MembershipPeriod
from fieldapp.children.queries import known_at, years_ago
from fieldapp.reports.indicators import CHILD_DIMENSIONS, MARKS, REGISTRY
from fieldapp.verification.models import VerificationItem

VERIFIED = ("verified", "corrected")
AGE_CUTS = ((3, "0-2"), (6, "3-5"), (11, "6-10"))


@dataclass(frozen=True)
class Window:
    """What a report reads: the place (a commune's 5-digit or a province's 2-digit code), the
    day, the period's first day, the moment the register is read at, the age limit."""

    place: str
    day: date
    start: date
    moment: datetime
    age_limit: int

    @property
    def of_commune(self) -> bool:
        return len(self.place) == 5


def oldest_group(age_limit: int) -> str:
    return f"11-{age_limit - 1}"


class Frame:
    """The names an indicator's condition is written with (see ``indicators``)."""

    def __init__(self, w: Window):
        p, m, v = ChildPeriod, MembershipPeriod, VerificationItem
        place = p.commune_code if w.of_commune else p.province_code
        under = p.village_code if w.of_commune else p.commune_code
        age = case(*((p.date_of_birth > years_ago(w.day, years), name)
                     for years, name in AGE_CUTS), else_=oldest_group(w.age_limit))
        active = and_(p.date_of_birth > years_ago(w.day, w.age_limit),
                      or_(p.closed_on.is_(None), p.closed_on > w.day))
        self.rows = select(
            p.child_id, p.sex, age.label("age_group"), p.ethnicity_code.label("ethnicity"),
            under.label("place"), case((active, 1), else_=0).label("active"),
            case((p.has_personal_id, 1), else_=0).label("has_id"), p.schooling_status,
            p.school_left_level,
        ).where(known_at(w.moment, p), place == w.place, p.date_of_birth <= w.day,
                or_(p.closed_on.is_(None), p.closed_on >= w.start)).cte("frame")
        f = self.rows.c
        self.marks = select(m.child_id, *(
            func.max(case((condition(w), 1), else_=0)).label(name)
            for name, condition in MARKS.items()
        )).join(self.rows, f.child_id == m.child_id).where(
            known_at(w.moment, m), m.since <= w.day).group_by(m.child_id).cte("marks")
        self.checked = select(v.child_id).join(self.rows, f.child_id == v.child_id).where(
            v.outcome.in_(VERIFIED), v.decided_at <= w.moment,
        ).group_by(v.child_id).cte("verified")
        self.joined = self.rows.outerjoin(self.marks, self.marks.c.child_id == f.child_id) \
            .outerjoin(self.checked, self.checked.c.child_id == f.child_id)
        self.active = f.active == 1
        self.has_personal_id = f.has_id == 1
        self.schooling_status = f.schooling_status
        self.school_left_level = f.school_left_level
        self.verified = self.checked.c.child_id.is_not(None)

    def mark(self, name: str):
        return func.coalesce(self.marks.c[name], 0) == 1

    def column(self, dimension: str):
        return self.rows.c[dimension]


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def cube(f: Frame):
    """One row per combination of the four breakdowns: the count of each indicator (and of
    its verified part, ``<key>.verified``) among the frame's children in it."""
    dimensions = [f.column(name) for name in CHILD_DIMENSIONS]
    counts = [_count(i.counts(f)).label(i.key) for i in REGISTRY]
    counts += [_count(i.verified(f)).label(f"{i.key}.verified") for i in REGISTRY
               if i.verified]
    return select(*dimensions, *counts).select_from(f.joined).group_by(*dimensions)


def own_breakdowns(f: Frame, w: Window):
    """Rows ``(key, value, n)``: for each indicator with its own breakdown, the number of
    distinct children it counts per value (a group, a form, a cause …)."""
    m = MembershipPeriod
    parts = []
    for indicator in REGISTRY:
        by = indicator.by
        if by is None:
            continue
        key = literal_column(f"'{indicator.key}'").label("key")
        value = by.value(f).label("value")
        if by.rows is None:
            parts.append(select(key, value, func.count().cast(Integer).label("n"))
                         .select_from(f.joined).where(indicator.counts(f)).group_by(value))
            continue
        parts.append(
            select(key, value, func.count(distinct(m.child_id)).label("n"))
            .select_from(f.joined.join(m, m.child_id == f.rows.c.child_id))
            .where(known_at(w.moment, m), by.rows(w), indicator.counts(f)).group_by(value))
    return union_all(*parts)
