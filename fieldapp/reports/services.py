"""A place's indicators at a day (issue 15 §1): :func:`report` runs the two statements of
``reports.frame`` and folds their rows (a few per combination of breakdowns, never one per
child) into one :class:`Result` per indicator of the registry. :func:`without_small_numbers`
is what the province sees: restricted groups' counts of 1–4 become ``None`` (shown "<5").
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from fieldapp.catalogue import services as catalogue
from fieldapp.children.queries import end_of_day
from fieldapp.children.validators import age_limit
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.reports import calendar
from fieldapp.reports.frame import AGE_CUTS, Frame, Window, cube, oldest_group, own_breakdowns
from fieldapp.reports.indicators import CHILD_DIMENSIONS, REGISTRY, Indicator

SMALL = range(1, 5)  # 1–4 children of a restricted group: shown "<5" to the province


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    value: int | None
    share: float | None
    breakdowns: dict[str, dict[str, int | None]]
    suppressed: bool = False

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
    age_groups: tuple[str, ...] = field(default=())

    def get(self, key: str) -> Result:
        return next(r for r in self.indicators if r.key == key)


def report(place: str, day: date, *, start: date | None = None) -> Report:
    """The indicators of ``place`` (a commune's or a province's code) at the end of ``day``
    (Vietnam time), as the register was known then, over the period from ``start`` (default:
    the province's reporting year, ``reports.calendar``)."""
    start = start or calendar.period_start(place[:2] if len(place) == 2 else
                                           _province_of(place), day)
    limit = age_limit()
    moment = min(end_of_day(day), utcnow())
    w = Window(place, day, start, moment, limit)
    f = Frame(w)
    cells = db.session.execute(cube(f)).mappings().all()
    own = defaultdict(dict)
    for key, value, n in db.session.execute(own_breakdowns(f, w)):
        own[key][value if value is not None else ""] = int(n)
    results = {}
    for indicator in REGISTRY:
        results[indicator.key] = _result(indicator, cells, own.get(indicator.key, {}), limit)
    for indicator in REGISTRY:  # shares once every value is known
        base = results.get(indicator.base) if indicator.base else None
        if base is not None and base.value:
            results[indicator.key] = replace(
                results[indicator.key], share=results[indicator.key].value / base.value)
    groups = (*(name for _, name in AGE_CUTS), oldest_group(limit))
    return Report(place, day, start, moment, list(results.values()), groups)


def _province_of(commune: str) -> str:
    from fieldapp.places.models import Commune

    return db.session.get(Commune, commune).province_code


def _result(indicator: Indicator, cells, own: dict, limit: int) -> Result:
    value = sum(int(row[indicator.key] or 0) for row in cells)
    breakdowns = {}
    for dimension in CHILD_DIMENSIONS:
        counts = defaultdict(int)
        for row in cells:
            if row[indicator.key]:
                counts[row[dimension]] += int(row[indicator.key])
        breakdowns[dimension] = _ordered(dimension, counts, limit)
    if indicator.by:
        breakdowns[indicator.by.dimension] = _ordered(indicator.by.dimension, own, limit,
                                                      indicator.by.codes)
    if indicator.verified:
        verified = sum(int(row[f"{indicator.key}.verified"] or 0) for row in cells)
        breakdowns["verification"] = {"verified": verified, "unverified": value - verified}
    return Result(indicator, value, None, breakdowns)


def _ordered(dimension: str, counts: dict, limit: int, lists=()) -> dict[str, int]:
    """Counts in reading order: code lists in their order, age groups youngest first, places
    by code, anything else (an unknown code) after."""
    if dimension == "age_group":
        order = [name for _, name in AGE_CUTS] + [oldest_group(limit)]
    else:
        names = {"sex": ("sex",), "ethnicity": ("ethnicity",)}.get(dimension, ())
        names = names or ((lists,) if isinstance(lists, str) else tuple(lists))
        order = [item.code for name in names for item in catalogue.items(name)]
    rank = {code: i for i, code in enumerate(order)}
    keys = sorted((k for k, n in counts.items() if n),
                  key=lambda k: (rank.get(k, len(rank)), k or ""))
    return {key: counts[key] for key in keys}


def without_small_numbers(report: Report) -> Report:
    """The report as the province sees it: in a restricted indicator every count of 1–4, and
    in any breakdown the count of a restricted group of 1–4, becomes ``None``; a commune's
    report loses its villages (nothing below the commune)."""
    shown = []
    for result in report.indicators:
        hide = result.indicator.sensitive
        breakdowns = {
            dimension: {key: None if n in SMALL and (hide or _restricted(key)) else n
                        for key, n in counts.items()}
            for dimension, counts in result.breakdowns.items()
            if not (dimension == "place" and len(report.place) == 5)}
        if hide and result.value in SMALL:
            result = replace(result, value=None, share=None, suppressed=True)
        shown.append(replace(result, breakdowns=breakdowns))
    return replace(report, indicators=shown)


def _restricted(code: str) -> bool:
    return bool(code) and catalogue.is_restricted(code)
