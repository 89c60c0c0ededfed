"""``/reports/province``: the province's dashboard (issue 15 §3) — the same page the province
viewer finds at home — for the viewer (its own province) and the administrator (any, picked
with ``?place=``). Commune roles have their own report page; everyone else is refused (403)."""

from flask import Blueprint, request
from flask_login import current_user

from fieldapp import access, roles
from fieldapp.errors import RoleRefused
from fieldapp.htmx import render
from fieldapp.reports import queries

bp = Blueprint("report_dashboard", __name__)
VIEWERS = (roles.PROVINCE_VIEWER, roles.ADMIN)


@bp.get("/reports/province")
@access.action_required("reports.read")
def province():
    if current_user.role not in VIEWERS:
        raise RoleRefused("Trang này dành cho Sở Y tế và quản trị hệ thống.")
    place = request.args.get("place", "").strip()
    pickable = queries.provinces() if current_user.role == roles.ADMIN else None
    board = None
    if place or current_user.role == roles.PROVINCE_VIEWER:
        board = queries.dashboard(current_user, place, request.args.get("date"))
    return render("reports/dashboard.html", board=board, provinces=pickable, picked=place)
