"""A place's indicators at a day (issue 15 §1): :func:`report` runs the statements of
``reports.frame`` and folds their rows (a few per combination of breakdowns, never one per
child) into one :class:`Result` per indicator of the registry. :func:`without_small_numbers`
is what the province sees: restricted groups' counts of 1–4 become ``None`` (shown "<5").
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import text

from fieldapp import roles
from fieldapp.catalogue import services as catalogue
from fieldapp.children.queries import end_of_day
from fieldapp.children.validators import age_limit
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.places.models import Commune
from fieldapp.reports import calendar
from fieldapp.reports.frame import (
    AGE_CUTS,
    CUBE,
    GROUPED,
    MASKS,
    Window,
    count_name,
    exact_own,
    oldest_group,
    statements,
)
from fieldapp.reports.indicators import CHILD_DIMENSIONS, REGISTRY, Indicator
from fieldapp.reports.labels import code_lists
from fieldapp.reports.value_sets import own_counts

next_due = calendar.next_due  # the home's due report (another feature reads services only)
SMALL = range(1, 5)  # 1–4 children of a restricted group: shown "<5" to the province
HIDDEN = "ẩn"  # a count hidden so that the total less the others does not give a "<5" back


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    value: int | None
    share: float | None
    breakdowns: dict[str, dict[str, int | None]]
    suppressed: bool = False
    # Counts hidden only so that a hidden one cannot be worked out ("ẩn"), by dimension.
    alongside: dict[str, frozenset] = field(default_factory=dict)

    def shown(self, dimension: str, key: str):
        """A breakdown's count as it may be shown: the number, None ("<5") or HIDDEN."""
        n = self.breakdowns[dimension][key]
        return HIDDEN if key in self.alongside.get(dimension, ()) else n

    @property
    def key(self) -> str:
        return self.indicator.key


@dataclass(frozen=True)
class Report:
    place: str
    day: date
    start: date
    moment: datetime
    indicators: list[Result]

    def get(self, key: str) -> Result:
        return next(r for r in self.indicators if r.key == key)


def report(place: str, day: date, *, start: date | None = None,
           by_child: bool = False) -> Report:
    """The indicators of ``place`` (a commune's or a province's code) at the end of ``day``
    (Vietnam time), as the register was known then, over the period from ``start`` (default:
    the province's reporting year, ``reports.calendar``). ``by_child``: the per-child plan
    of ``reports.frame`` (the tests' reference), not the bulk one."""
    start = start or calendar.period_start(place[:2] if len(place) == 2 else
                                           _province_of(place), day)
    limit = age_limit()
    moment = min(end_of_day(day), utcnow())
    w = Window(place, day, start, moment, limit)
    cells, own = [], defaultdict(dict)
    first = count_name(REGISTRY[0].key)
    dialect = db.session.get_bind().dialect.name
    rows = _rows(statements(w, by_child=by_child), dialect)
    sets = []
    for row in rows:
        if row.part.startswith(CUBE):
            cells.append(row)
        elif row.part == MASKS:
            sets.append(row._mapping)
        else:
            _own_row(own, row, first)
    # own breakdowns read from value sets; those with a value off the code lists counted again
    added, off_lists = own_counts(sets, [k for k in sets[0].keys() if k.startswith("n_")]) \
        if sets else ({}, set())
    own.update(added)
    if off_lists:  # rare: counted again from the membership rows themselves
        for key in off_lists:
            own.pop(key, None)
        for query in exact_own(w, off_lists):
            for row in db.session.execute(query):
                _own_row(own, row, first)
    totals, sums = _fold(cells)
    results = {}
    for indicator in REGISTRY:
        results[indicator.key] = _result(indicator, totals, sums, own.get(indicator.key, {}),
                                         limit)
    for indicator in REGISTRY:  # shares once every value is known
        base = results.get(indicator.base) if indicator.base else None
        if base is not None and base.value:
            results[indicator.key] = replace(
                results[indicator.key], share=results[indicator.key].value / base.value)
    return Report(place, day, start, moment, list(results.values()))


def _own_row(own: dict, row, first: str) -> None:
    """A row of an own breakdown: the value in ``place`` (none as ""), the count first."""
    own[row.part][row.place if row.place is not None else ""] = int(row._mapping[first])


def _rows(queries: list, dialect: str) -> list:
    """The rows of ``queries``; on PostgreSQL with JIT off (compiling the statements costs
    more than running them) and memory for their groupings, for this transaction only."""
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
    return [row for query in queries for row in db.session.execute(query)]


def _province_of(commune: str) -> str:
    return db.session.get(Commune, commune).province_code


def _fold(cells) -> tuple[dict, dict]:
    """Each count column's total, and its sums per value of each of the cube's columns
    (``sums[name, column][value]``), from the cube's rows (each of one column's value)."""
    totals, sums = defaultdict(int), defaultdict(lambda: defaultdict(int))
    if not cells:
        return totals, sums
    at = {name: n for n, name in enumerate(cells[0]._fields)}
    names = [(name, n) for name, n in at.items() if name.startswith("n_")]
    for row in cells:
        column = row.part[len(CUBE):]
        value = row[at[column]]
        for name, n in names:
            if count := row[n]:
                count = int(count)
                sums[name, column][value] += count
                if column == GROUPED[0]:  # every child has one value in each column
                    totals[name] += count
    return totals, sums


def _result(indicator: Indicator, totals: dict, sums: dict, own: dict, limit: int) -> Result:
    name = count_name(indicator.key)
    value = totals[name]
    breakdowns = {dimension: _ordered(dimension, sums[name, dimension], limit)
                  for dimension in CHILD_DIMENSIONS}
    if indicator.by:
        if indicator.by.rows is None:  # a column of the child, grouped in the cube
            own = defaultdict(int)
            for code, n in sums[name, indicator.by.dimension].items():
                own[code or ""] += n
        breakdowns[indicator.by.dimension] = _ordered(indicator.by.dimension, own, limit,
                                                      indicator.by.codes)
    if indicator.verified:
        verified = totals[count_name(f"{indicator.key}.verified")]
        breakdowns["verification"] = {"verified": verified, "unverified": value - verified}
    return Result(indicator, value, None, breakdowns)


def _ordered(dimension: str, counts: dict, limit: int, lists=()) -> dict[str, int]:
    """Counts in reading order: code lists in their order, age groups youngest first, places
    by code, anything else (an unknown code) after."""
    if dimension == "age_group":
        order = [name for _, name in AGE_CUTS] + [oldest_group(limit)]
    else:
        order = [item.code for name in code_lists(dimension, lists)
                 for item in catalogue.items(name)]
    rank = {code: i for i, code in enumerate(order)}
    keys = sorted((k for k, n in counts.items() if n),
                  key=lambda k: (rank.get(k, len(rank)), k or ""))
    return {key: counts[key] for key in keys}


def as_seen_by(user, report: Report) -> Report:
    """The report as ``user`` may read it: the province viewer's without small numbers."""
    return without_small_numbers(report) if user.role == roles.PROVINCE_VIEWER else report


def without_small_numbers(report: Report) -> Report:
    """The report as the province sees it: in a restricted indicator every count of 1–4, and
    in any breakdown the count of a restricted group of 1–4, becomes ``None`` — and where a
    restricted indicator's breakdown by sex, age group, ethnicity or commune would then hide
    one count only, its smallest other count too; a commune's report loses its villages
    (nothing below the commune)."""
    shown = []
    for result in report.indicators:
        hide = result.indicator.sensitive
        breakdowns = {
            dimension: {key: None if n in SMALL and (hide or _restricted(key)) else n
                        for key, n in counts.items()}
            for dimension, counts in result.breakdowns.items()
            if not (dimension == "place" and len(report.place) == 5)}
        alongside = {}
        if hide:
            for dimension in CHILD_DIMENSIONS:
                if dimension in breakdowns:
                    second = _second_hidden(breakdowns[dimension])
                    if second is not None:
                        breakdowns[dimension][second] = None
                        alongside[dimension] = frozenset({second})
        if hide and result.value in SMALL:
            result = replace(result, value=None, share=None, suppressed=True)
        shown.append(replace(result, breakdowns=breakdowns, alongside=alongside))
    return replace(report, indicators=shown)


def _second_hidden(counts: dict) -> str | None:
    """A child-level breakdown adds up to the total: with one count hidden, the total less
    the others would give it back, so the smallest other is hidden too (its key)."""
    if sum(n is None for n in counts.values()) != 1:
        return None
    shown = [key for key, n in counts.items() if n is not None]
    return min(shown, key=lambda key: counts[key]) if shown else None


def _restricted(code: str) -> bool:
    return bool(code) and catalogue.is_restricted(code)
