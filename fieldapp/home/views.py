from flask import Blueprint, request
from flask_login import current_user, login_required

from fieldapp import roles
from fieldapp.cases.queries import counts as case_counts
from fieldapp.children.queries import transfers_waiting
from fieldapp.clock import today
from fieldapp.db import utcnow
from fieldapp.devices.queries import summary as device_summary
from fieldapp.htmx import render
from fieldapp.quality.queries import LISTS as QUALITY_LISTS
from fieldapp.quality.queries import totals as quality_totals
from fieldapp.quality.services import duplicate_count
from fieldapp.reports import services as reports
from fieldapp.reports.queries import dashboard
from fieldapp.review.queries import counts as review_counts

bp = Blueprint("home", __name__)
KEY_FIGURES = ("child_population", "special_circumstances", "special_circumstances_unsupported",
               "at_risk", "abused", "dropouts", "with_personal_id")


@bp.get("/")
@login_required
def index():
    waiting = quality = duplicates = devices = transfers = due = figures = cases = None
    if current_user.role == roles.COMMUNE_OFFICER:
        waiting = review_counts(current_user)
        quality = quality_totals(current_user)
        duplicates = duplicate_count(current_user.commune_code)
        devices = device_summary(current_user, utcnow())
        transfers = transfers_waiting(current_user)
    if current_user.role in (roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER):
        due = _next_report()
        cases = case_counts(current_user, utcnow())
    if current_user.role == roles.COMMUNE_LEADER and current_user.commune_code:
        figures = key_figures(current_user.commune_code)
    board = None
    if current_user.role == roles.PROVINCE_VIEWER:  # the province's dashboard (issue 15 §3)
        board = dashboard(current_user, None, request.args.get("date"))
    return render("home/index.html", user=current_user, waiting=waiting, quality=quality,
                  quality_lists=QUALITY_LISTS, duplicates=duplicates, devices=devices,
                  transfers=transfers, due=due, figures=figures, board=board, cases=cases)


def _next_report() -> dict:
    """The commune's next due report (its province's calendar) and the days left."""
    commune = current_user.commune
    day = today()
    report = reports.next_due(commune.province_code if commune else None, day)
    return {"report": report, "days_left": report.days_left(day),
            "day": min(report.cutoff, day)}  # a cut-off still ahead: the report so far


def key_figures(commune_code: str) -> list:
    """The commune's key indicators today, for its leader (one report, two statements)."""
    report = reports.report(commune_code, today())
    return [report.get(key) for key in KEY_FIGURES]
