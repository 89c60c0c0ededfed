"""The province's dashboard (issue 15 §3): its indicators at a day with each commune side by
side, and the communes' data health. What the province sees is the whole, never a child: the
report as :func:`services.without_small_numbers` leaves it (a restricted group's 1–4 children
are ``None``, shown "<5"), communes as rows, never a village, a name or a number of a child.

Here, not in the views, because the home page (another feature) shows the same dashboard to
the province viewer and may import only a feature's open modules.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from fieldapp.clock import today as vietnam_today
from fieldapp.db import utcnow
from fieldapp.errors import BadRequest
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province
from fieldapp.reports import health as data_health
from fieldapp.reports import scope, services
from fieldapp.reports.indicators import REGISTRY

COLUMNS = tuple(indicator.key for indicator in REGISTRY)  # the main indicators, in order
AT_LEAST_5 = "≥5"  # a total whose communes include a hidden "<5" (see _total)


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    values: dict[str, int | str | None]  # children; None: 1–4 hidden ("<5"); "ẩn" alongside


@dataclass(frozen=True)
class Dashboard:
    place: scope.Place
    day: date
    start: date
    columns: list  # the indicators (registry entries) shown as columns
    communes: list[Row]
    total: Row
    health: list[data_health.CommuneHealth]
    date_error: str | None = None


def provinces() -> list[Province]:
    """The province picker of the admin."""
    return list(db.session.scalars(select(Province).order_by(Province.name)))


def dashboard(user, place_code: str | None, date_text: str | None) -> Dashboard:
    """The dashboard of the province ``place_code`` (default: the viewer's own) at the day
    ``date_text`` (ISO; default and on a wrong date: today, the message kept for the form).
    Raises NotFound for a place out of the user's scope or not a province."""
    place = scope.place_for(user, place_code)
    if place.is_commune:
        raise BadRequest("Chọn một tỉnh.", {"place": ["Chọn một tỉnh."]})
    error = None
    try:
        day = scope.report_day(date_text)
    except BadRequest as problem:
        day, error = vietnam_today(), (problem.errors.get("date") or [problem.detail])[0]
    report = services.without_small_numbers(services.report(place.code, day))
    results = {r.key: r for r in report.indicators}
    codes = sorted({code for r in report.indicators
                    for code in r.breakdowns.get("place", {})})
    names = dict(db.session.execute(
        select(Commune.code, Commune.name).where(Commune.code.in_(codes))).all())
    rows = [Row(code, names.get(code, code),
                {key: results[key].shown("place", code)
                 if code in results[key].breakdowns.get("place", {}) else 0 for key in COLUMNS})
            for code in codes]
    rows.sort(key=lambda row: (row.name, row.code))
    total = Row(place.code, place.name, {key: _total(results[key].value, rows, key)
                                         for key in COLUMNS})
    return Dashboard(place, day, report.start, [results[key].indicator for key in COLUMNS],
                     rows, total, data_health.health(place.code, vietnam_today(), utcnow()),
                     error)


def _total(value: int | None, rows: list[Row], key: str) -> int | str | None:
    """The province's total, unless a commune's count in the column is hidden: the total
    less the communes shown would give it back, so the total is only said to be at least 5."""
    if value is not None and any(row.values[key] is None or isinstance(row.values[key], str)
                                 for row in rows):
        return AT_LEAST_5
    return value
