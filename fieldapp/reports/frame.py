"""The SQL a report is counted by (ARCHITECTURE decision 10): the register as known at the
end of the report's day, for one place, in two statements whatever the number of children.

The children counted are the periods valid at that moment, of the place, born by the day and
not closed before the period began; each has its breakdown columns (sex, age group at the
day, ethnicity, place below the report's — the village of a commune, the commune of a
province — and, for dropouts, the level left), whether it is active (under the age limit,
not closed, at the day), its marks — whether one of its membership periods valid at that
moment meets each of ``indicators.MARKS`` (a group at the day, support in the period …) —
and whether the police verified its number by then.

:func:`statements` answer the cube's rows — every indicator counted per combination of the
breakdowns, added up per value of each (part ``CUBE`` + the column), so totals and breakdowns
add up without counting a child twice — and each indicator's own breakdown over its
membership rows (a child in two groups counts in both): rows ``(key, …, value in place, …,
n)``, or, from the bulk plan, rows ``("masks", …)`` of value sets that :func:`value_sets.own_counts`
turns into the same counts.

The bulk plan (:func:`_by_membership`), the app's: every child is counted as if it had no
marks, and the far fewer children whose membership rows give a mark add the difference their
marks make, grouped from the membership rows alone (they repeat their child's columns of the
time, ``children.periods``), their own breakdowns' values carried as the bits of one number
each — so a province's million children are never joined or grouped one by one, and the
first statement, over the children alone, runs in parallel on PostgreSQL. The per-child plan
(``by_child``), the tests' reference: each child's membership rows looked up by index and
grouped per child, the straightforward way; both count the same.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    null,
    or_,
    outerjoin,
    select,
    true,
    union_all,
)

from fieldapp.cases.models import Case, CaseStep
from fieldapp.children.models import ChildPeriod, MembershipPeriod
from fieldapp.children.queries import end_of_day, known_at, years_ago
from fieldapp.reports.indicators import CASES_GIVE, CHILD_DIMENSIONS, MARKS, REGISTRY
from fieldapp.reports.value_sets import NONE, bit, bits_or, value_sets
from fieldapp.verification.models import VerificationItem

VERIFIED = ("verified", "corrected")
AGE_CUTS = ((3, "0-2"), (6, "3-5"), (11, "6-10"))
CUBE = "="  # the part name of the cube's rows, before the breakdown's column
MASKS = "masks"  # the part name of the rows of own breakdowns' value sets (bulk plan)
GROUPED = (*CHILD_DIMENSIONS, "level")  # the cube's columns: the level for dropouts' own


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


def count_name(key: str) -> str:
    return f"n_{key}"


class Child:
    """The names an indicator's condition is written with (see ``indicators``): ``columns``
    maps each to a column expression, marks by their names."""

    def __init__(self, columns):
        self._c = columns
        self.active = columns["active"] == 1
        self.has_personal_id = columns["has_id"] == 1
        self.schooling_status = columns["schooling_status"]
        self.school_left_level = columns["level"]
        self.verified = columns["verified"] == 1

    def mark(self, name: str):
        return self._c[name] == 1


def _columns(w: Window, p=ChildPeriod) -> dict:
    """A child period's columns as the report reads them, by name (of ``p``: ChildPeriod,
    or MembershipPeriod, which repeats them)."""
    age = case(*((p.date_of_birth > years_ago(w.day, years), name)
                 for years, name in AGE_CUTS), else_=oldest_group(w.age_limit))
    active = and_(p.date_of_birth > years_ago(w.day, w.age_limit),
                  or_(p.closed_on.is_(None), p.closed_on > w.day))
    return {"sex": p.sex, "age_group": age, "ethnicity": p.ethnicity_code,
            "place": p.village_code if w.of_commune else p.commune_code,
            "level": p.school_left_level, "active": case((active, 1), else_=0),
            "has_id": case((p.has_personal_id, 1), else_=0),
            "schooling_status": p.schooling_status}


def _counted(w: Window, p=ChildPeriod):
    place = p.commune_code if w.of_commune else p.province_code
    return and_(known_at(w.moment, p), place == w.place, p.date_of_birth <= w.day,
                or_(p.closed_on.is_(None), p.closed_on >= w.start))


def _held(w: Window):
    m = MembershipPeriod
    return and_(known_at(w.moment, m), m.since <= w.day)


def _max_marks(w: Window, child_id) -> list:
    """Each mark over a child's membership rows (grouped by ``child_id``); ``CASES_GIVE``
    also from a verified case about the child."""
    def mark(name, condition):
        held = func.max(case((condition(w), 1), else_=0))
        if name == CASES_GIVE:
            held = case((or_(held == 1, child_id.in_(_cased(w))), 1), else_=0)
        return held.label(name)
    return [mark(name, condition) for name, condition in MARKS.items()]


def _cased(w: Window):
    """The register children with a case (issue 16 §4) the commune had verified by the
    moment (a report found to have grounds), about them by then, and not closed before the
    period began: as known at the moment, from the case's appended steps."""
    c, s = Case, CaseStep
    verified = select(s.case_id).where(s.step == "verify", s.at <= w.moment,
                                       s.data["founded"].as_boolean() == true())
    linked_later = select(s.case_id).where(s.step == "link", s.at > w.moment)
    return select(c.child_id).where(
        c.child_id.is_not(None), c.created_at <= w.moment, c.id.in_(verified),
        c.id.not_in(linked_later),
        or_(c.closed_at.is_(None), c.closed_at > w.moment,
            c.closed_at > end_of_day(w.start - timedelta(days=1))))


def _is_verified(w: Window, child_id):
    v = VerificationItem
    checked = select(v.child_id).where(v.outcome.in_(VERIFIED), v.decided_at <= w.moment)
    return case((child_id.in_(checked), 1), else_=0)


def _count_names() -> list[str]:
    """The count columns, in the order of :func:`_counts`."""
    return [*(count_name(i.key) for i in REGISTRY),
            *(count_name(f"{i.key}.verified") for i in REGISTRY if i.verified)]


def _counts(child: Child) -> dict:
    """Each indicator's 0/1 for a child (and the verified part of those that have one)."""
    out = {count_name(i.key): case((i.counts(child), 1), else_=0) for i in REGISTRY}
    out.update({count_name(f"{i.key}.verified"): case((i.verified(child), 1), else_=0)
                for i in REGISTRY if i.verified})
    return out


def _flags(child: Child) -> list:
    return [value.label(name) for name, value in _counts(child).items()]


def statements(w: Window, by_child: bool = False) -> list:
    """The statements whose rows together make the report (see above)."""
    return (_by_child if by_child else _by_membership)(w)


def _by_child(w: Window):
    """The reference: per child, its membership rows looked up by index."""
    p, m = ChildPeriod, MembershipPeriod
    columns = {name: column.label(name) for name, column in _columns(w).items()}
    grouped = [p.child_id, *columns.values()]
    child = select(*grouped, *_max_marks(w, p.child_id),
                   _is_verified(w, p.child_id).label("verified")) \
        .select_from(outerjoin(p, m, and_(m.child_id == p.child_id, _held(w)))) \
        .where(_counted(w)).group_by(*grouped).cte("child")
    counted = select(child, *_flags(Child(child.c))).cte("counted")
    c = counted.c
    flags = {i.key: c[count_name(i.key)] for i in REGISTRY}
    return [union_all(*_cube(c, "cube"), *_own(w, counted, c.child_id, flags))]


def _by_membership(w: Window):
    """Every child counted as if it had no marks — the marks are the constant 0, so the
    database folds most indicators' conditions away before reading a row — plus, for the far
    fewer children with membership rows (grouped per child with their own columns, in
    ``marks``), the difference their marks make. No join of the children. The own breakdowns
    come from the same grouping: each child's values as the bits of a number (``value_sets``),
    counted per combination (part ``MASKS``, read by :func:`value_sets.own_counts`)."""
    p = ChildPeriod
    columns = _columns(w)
    zero = {name: literal_column("0") for name in MARKS}
    base = {**columns, **zero, "verified": _is_verified(w, p.child_id)}
    everyone = select(*(base[name].label(name) for name in GROUPED),
                      *_flags(Child(base))).where(_counted(w))
    marks = _marks(w)
    k = marks.c
    # (no count that reads a mark reads the verification: nought for them, not looked up)
    own = {**{name: k[name] for name in (*columns, *MARKS)}, "verified": literal_column("0")}
    with_marks, without = _counts(Child(own)), _counts(Child({**own, **zero}))
    marked = _reading_marks()
    difference = select(*(k[name] for name in GROUPED), *(
        (with_marks[name] - without[name]).label(name) for name in marked))
    # Two statements: the first, over the children alone, may run in parallel. The counts
    # that read no mark do not differ for a marked child; those that do are nought for all.
    return [union_all(*_cube(everyone.subquery("everyone").c, "everyone_cube", zero=marked)),
            union_all(*_cube(difference.subquery("difference").c, "difference_cube",
                             zero=set(_count_names()) - marked), _sets(k, own))]


def exact_own(w: Window, keys) -> list:
    """The own breakdowns of the indicators ``keys`` from the membership rows themselves, as
    the per-child plan counts them: for a value set holding a value off its code lists."""
    marks = _marks(w)
    k = marks.c
    own = {**{name: k[name] for name in (*_columns(w), *MARKS)},
           "verified": _is_verified(w, k.child_id)}
    flags = {i.key: case((i.counts(Child(own)), 1), else_=0) for i in REGISTRY
             if i.key in keys}
    parts = _own(w, marks, k.child_id, flags, keys)
    return [union_all(*parts) if len(parts) > 1 else parts[0]]


def _marks(w: Window):
    """The children with membership rows held at the moment that give a mark, one row each:
    their columns (``_columns``), marks, and each own breakdown's set of values
    (``value_sets``). The membership rows alone: they repeat their child's columns of the
    time. A mark that an own breakdown's rows give is read from its set (not 0: a row met the
    mark's condition). A child none of whose rows gives a mark makes no difference: left out."""
    m = MembershipPeriod
    sets = {name: (indicator.by.rows, indicator.by.value, codes)
            for indicator, name, codes in value_sets().values()}
    from_sets = {mark: name for name, (mark, _, _) in sets.items()}
    grouped = select(
        m.child_id, *(c.label(name) for name, c in _columns(w, m).items()),
        *(bits_or(case((MARKS[mark](w), bit(value(m), codes)), else_=0)).label(name)
          for name, (mark, value, codes) in sets.items()),
        *(func.max(case((condition(w), 1), else_=0)).label(mark)
          for mark, condition in MARKS.items() if mark not in from_sets),
    ).where(_counted(w, m), m.since <= w.day,
            or_(*(condition(w) for condition in MARKS.values()))) \
        .group_by(m.child_id, *_read(w, m)).subquery()
    g = grouped.c
    cased = g.child_id.in_(_cased(w))
    given = from_sets.get(CASES_GIVE)
    values = [case((g[name] != 0, g[name]), (cased, NONE), else_=0).label(name)
              if name == given else g[name] for name in sets]
    marks = [case((g[from_sets[mark]] != 0, 1), else_=0).label(mark) if mark in from_sets
             else g[mark] for mark in MARKS]
    held = (g[given] != 0) if given else (g[CASES_GIVE] == 1)  # its rows give it
    marks = [case((or_(held, cased), 1), else_=0).label(mark) if mark == CASES_GIVE
             else column for mark, column in zip(MARKS, marks, strict=True)]
    return union_all(
        select(g.child_id, *(g[name] for name in _columns(w)), *values, *marks),
        _cased_alone(w, sets, given)).cte("marks")


def _cased_alone(w: Window, sets: dict, given: str | None):
    """The children a verified case gives the mark ``CASES_GIVE`` who have no membership row
    giving a mark, shaped as ``_marks``'s rows: their columns from their period, that mark
    alone, "no value" in its set."""
    p, m = ChildPeriod, MembershipPeriod
    rows = exists().where(m.child_id == p.child_id, known_at(w.moment, m), m.since <= w.day,
                          or_(*(condition(w) for condition in MARKS.values())))
    return select(p.child_id, *(c.label(name) for name, c in _columns(w).items()),
                  *(literal(NONE if name == given else 0, BigInteger).label(name)
                    for name in sets),
                  *(literal(1 if mark == CASES_GIVE else 0, Integer).label(mark)
                    for mark in MARKS)
                  ).where(_counted(w), p.child_id.in_(_cased(w)), ~rows)


def _read(w: Window, p) -> list:
    """The columns of ``p`` that ``_columns`` reads."""
    return [p.sex, p.date_of_birth, p.ethnicity_code,
            p.village_code if w.of_commune else p.commune_code, p.school_left_level,
            p.closed_on, p.has_personal_id, p.schooling_status]


def _sets(k, own: dict):
    """Part ``MASKS``: per combination of the children's value sets (each 0 unless the child
    counts in the indicator), how many children; in the cube's shape: the count in the first
    count column, the sets in the next ones, in ``value_sets`` order."""
    sets = [case((i.counts(Child(own)), k[name]), else_=0)
            for i, name, _ in value_sets().values()]
    values = [func.count(), *sets]
    return select(literal(MASKS, String), *([cast(null(), String)] * len(GROUPED)),
                  *(cast(values[n] if n < len(values) else null(), BigInteger)
                    for n in range(len(_count_names())))).group_by(*sets)


@cache
def _reading_marks() -> frozenset[str]:
    """The counts whose condition reads a mark: only those differ for a marked child. The
    registry does not change while the app runs: found once."""
    class Reader(Child):
        read = False

        def mark(self, name):
            Reader.read = True
            return super().mark(name)

    names = set()
    columns = {name: literal_column(name) for name in (*GROUPED, "active", "has_id",
                                                        "schooling_status", "verified")}
    for indicator in REGISTRY:
        for key, condition in ((indicator.key, indicator.counts),
                               (f"{indicator.key}.verified", indicator.verified)):
            Reader.read = False
            if condition is not None:
                condition(Reader({**columns, **{m: literal_column(m) for m in MARKS}}))
                if Reader.read:
                    names.add(count_name(key))
    return frozenset(names)


def _cube(c, name: str, zero=frozenset()) -> list:
    """Every indicator summed over the counted children's columns ``c`` per combination of
    the breakdowns (the CTE ``name``), then per value of each breakdown: a row of part
    ``CUBE`` + the column's name with the value in that column, so that the counts of one
    column add up to the totals. Those in ``zero`` are 0 (not summed: the plan knows them
    nought)."""
    def sums(table):
        return [(literal_column("0") if count in zero else func.sum(table[count])).label(count)
                for count in _count_names()]

    combinations = select(*(c[column] for column in GROUPED), *sums(c)) \
        .group_by(*(c[column] for column in GROUPED)).cte(name)
    k = combinations.c
    return [select(literal(CUBE + column, String).label("part"),
                   *((k[other] if other == column else cast(null(), String)).label(other)
                     for other in GROUPED), *sums(k)).group_by(k[column])
            for column in GROUPED]


def _own(w: Window, owners, owner_id, flags: dict, keys=None):
    """Each indicator's own breakdown over the membership rows of ``owners`` (a table of
    children: ``owner_id``, and each indicator's 0/1 in ``flags``), shaped as the cube's
    rows: the value in ``place``, the count in the first count column."""
    m = MembershipPeriod
    by_rows = [i for i in REGISTRY if i.by and i.by.rows and (keys is None or i.key in keys)]
    rows = select(m.child_id, m.code, m.detail, *(
        case((MARKS[i.by.rows](w), 1), else_=0).label(f"row_{i.key}") for i in by_rows),
        *(flags[i.key].label(count_name(i.key)) for i in by_rows),
    ).join(owners, owner_id == m.child_id).where(
        _held(w), or_(*(flags[i.key] == 1 for i in by_rows))).cte("rows")
    r = rows.c
    parts = []
    for indicator in by_rows:
        found = select(r.child_id).where(r[f"row_{indicator.key}"] == 1)
        pairs = union_all(  # a child counts once per value (hashed, not sorted)
            select(r.child_id, indicator.by.value(r).label("value")).where(
                r[f"row_{indicator.key}"] == 1, r[count_name(indicator.key)] == 1),
            # counted without such a row (a verified case's child): no value, "Chưa rõ"
            select(owner_id.label("child_id"), cast(null(), String).label("value")).where(
                flags[indicator.key] == 1, owner_id.not_in(found)),
        ).subquery()
        pairs = select(pairs.c.child_id, pairs.c.value).distinct().subquery()
        value = pairs.c.value
        shape = [(value if name == "place" else cast(null(), String)).label(name)
                 for name in GROUPED]
        counts = [cast(func.count() if n == 0 else null(), Integer).label(name)
                  for n, name in enumerate(_count_names())]
        parts.append(select(literal(indicator.key, String).label("part"), *shape, *counts)
                     .group_by(value))
    return parts
