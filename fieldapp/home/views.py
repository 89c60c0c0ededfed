from flask import Blueprint, request
from flask_login import current_user, login_required

from fieldapp import roles
from fieldapp.children.queries import transfers_waiting
from fieldapp.db import utcnow
from fieldapp.devices.queries import summary as device_summary
from fieldapp.htmx import render
from fieldapp.quality.queries import LISTS as QUALITY_LISTS
from fieldapp.quality.queries import totals as quality_totals
from fieldapp.quality.services import duplicate_count
from fieldapp.reports.queries import dashboard
from fieldapp.review.queries import counts as review_counts

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    waiting = quality = duplicates = devices = transfers = None
    if current_user.role == roles.COMMUNE_OFFICER:
        waiting = review_counts(current_user)
        quality = quality_totals(current_user)
        duplicates = duplicate_count(current_user.commune_code)
        devices = device_summary(current_user, utcnow())
        transfers = transfers_waiting(current_user)
    board = None
    if current_user.role == roles.PROVINCE_VIEWER:  # the province's dashboard (issue 15 §3)
        board = dashboard(current_user, None, request.args.get("date"))
    return render("home/index.html", user=current_user, waiting=waiting, quality=quality,
                  quality_lists=QUALITY_LISTS, duplicates=duplicates, devices=devices,
                  transfers=transfers, board=board)
