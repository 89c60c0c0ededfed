"""Báo cáo (``/reports``, issue 15 §2): a place's indicators at a day, with their breakdowns
as tables and SVG bars, the quick days of the report calendar, and the same report as an A4
PDF (``/reports/bao-cao.pdf``) and an Excel file (``/reports/bao-cao.xlsx``)."""

from dataclasses import dataclass

from flask import Blueprint, request
from flask_login import current_user

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.client import client_address
from fieldapp.clock import today as vietnam_today
from fieldapp.downloads import PDF, XLSX, attachment
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.htmx import render
from fieldapp.reports import calendar, charts, labels, paper, scope, services
from fieldapp.reports import excel as excel_file
from fieldapp.reports.indicators import DIMENSIONS

bp = Blueprint("reports", __name__, url_prefix="/reports")


@dataclass(frozen=True)
class Table:
    dimension: str
    title: str
    rows: list[tuple[str, int | None, float | None]]  # label, count, share of the value

    @property
    def chart(self):
        return charts.bars([(label, n) for label, n, _ in self.rows], self.title)


def tables(result, names: dict) -> list[Table]:
    """A result's breakdowns as labelled rows, its own breakdown first."""
    order = sorted(result.breakdowns, key=lambda d: d in ("sex", "age_group", "ethnicity",
                                                          "place"))
    out = []
    for dimension in order:
        counts = result.breakdowns[dimension]
        if not counts:
            continue
        by = result.indicator.by
        own = by if by and by.dimension == dimension else None
        rows = []
        for code in counts:
            n = result.shown(dimension, code)
            rows.append((labels.value(dimension, code, names, own.codes if own else None), n,
                         n / result.value if isinstance(n, int) and result.value else None))
        title = own.label if own and own.label else DIMENSIONS.get(dimension, dimension)
        out.append(Table(dimension, title, rows))
    return out


def _read():
    """The place and day asked for, and the report as this user may see it."""
    access.require(current_user, "reports.read")
    place = scope.place_for(current_user, request.args.get("place"))
    day = scope.report_day(request.args.get("date"))
    report = services.as_seen_by(current_user, services.report(place.code, day))
    names = labels.places(code for r in report.indicators
                          for code in r.breakdowns.get("place", {}))
    return place, day, report, names


@bp.get("")
def index():
    try:
        place, day, report, names = _read()
    except DomainError as problem:
        if problem.status != 400:
            raise
        place, day, report, names = None, vietnam_today(), None, {}
        error = problem.detail
    else:
        error = None
    province = place.province_code if place else (current_user.province_code or "")
    quick = calendar.quick_dates(province, vietnam_today()) if province else []
    return render("reports/index.html", place=place, day=day, report=report, error=error,
                  tables={r.key: tables(r, names) for r in report.indicators} if report
                  else {}, quick=quick, today=vietnam_today())


@bp.get("/bao-cao.pdf")
def pdf():
    return _download(paper.report_pdf, "report_printed", PDF, "pdf")


@bp.get("/bao-cao.xlsx")
def excel():
    return _download(excel_file.report_xlsx, "report_exported", XLSX, "xlsx")


def _download(build, action: str, mimetype: str, suffix: str):
    """The report as a file (``build(place, report, tables)``), audited as ``action``."""
    place, day, report, names = _read()
    body = build(place, report, {r.key: tables(r, names) for r in report.indicators})
    _audit(action, place, day)
    return attachment(body, mimetype, f"bao-cao-{place.code}-{day.isoformat()}.{suffix}")


def _audit(action: str, place, day) -> None:
    audit(current_user, action, "report", place.code,
          commune_code=place.code if place.is_commune else None,
          detail={"date": day.isoformat()}, address=client_address())
    db.session.commit()
