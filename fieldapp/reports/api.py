"""``GET /api/v1/reports/indicators?place=&date=`` (issue 15 §1): a place's indicators at a
day, in the scope of the caller (reports.scope); the province viewer's answer never holds a
restricted group's 1–4 children (``value: null, "suppressed": true``)."""

from flask import Blueprint, request

from fieldapp import access
from fieldapp.apiv1 import caller
from fieldapp.reports import scope, services
from fieldapp.reports.schemas import report_json

bp = Blueprint("reports", __name__)
READERS = tuple(access.ACTIONS["reports.read"])


@bp.get("/reports/indicators")
def indicators():
    user = caller(READERS)
    place = scope.place_for(user, request.args.get("place"))
    day = scope.report_day(request.args.get("date"))
    report = services.as_seen_by(user, services.report(place.code, day))
    response = report_json(place, report)
    return response, 200, {"Cache-Control": "no-store"}
