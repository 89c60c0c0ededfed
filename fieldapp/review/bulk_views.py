"""Bulk approval: many clean new-child submissions at once; the others say why they cannot."""

import uuid

from flask import Blueprint, flash, request, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.collection.models import Submission
from fieldapp.extensions import db
from fieldapp.review import bulk, compare, duplicates, labels, queries, services
from fieldapp.review.forms import BulkForm
from fieldapp.review.panel import filter_form, village_names
from fieldapp.review.views import REVIEW

bp = Blueprint("bulk_review", __name__, url_prefix="/review")
LIMIT = 500


def _candidates(f: queries.Filters) -> list[dict]:
    """The waiting new-child submissions of the filters, oldest first, each with the reasons
    it cannot be approved in bulk (none: it can)."""
    f = queries.Filters(f.village, f.collector, "new", "", "")
    query = (queries.filtered(current_user, f, queries.utcnow())
             .order_by(Submission.received_at, Submission.id).limit(LIMIT))
    submissions = list(db.session.scalars(query))
    matches = duplicates.stored([s.id for s in submissions])
    out = []
    for s in submissions:
        comparison = compare.compare(s, None, services.capture_day(s))
        out.append({"submission": s, "reasons": bulk.clean_reasons(
            s, comparison, matches.get(s.id, []), current_user)})
    return out


@bp.route("/bulk", methods=["GET", "POST"])
@access.action_required(REVIEW)
def index():
    f = queries.Filters.read(request.args)
    form = BulkForm()
    if form.validate_on_submit():
        keys = [_uuid(value) for value in request.form.getlist("ids")]
        chosen = list(db.session.scalars(
            access.submissions(current_user).where(Submission.id.in_([k for k in keys if k]))
            .order_by(Submission.received_at)))
        made, skipped = bulk.bulk_approve(current_user, chosen)
        db.session.commit()
        flash(f"Đã duyệt {len(made)} phiếu.", "success")
        if skipped:
            flash(f"{len(skipped)} phiếu chưa duyệt được (xem lý do bên dưới).", "warning")
        if not chosen:
            flash("Chưa chọn phiếu nào.", "warning")
        return htmx.redirect(url_for("bulk_review.index", **f.args()))
    rows = _candidates(f)
    return htmx.render("review/bulk.html", form=form, rows=rows, filters=f, names=labels,
                       filter_form=filter_form(f), limit=LIMIT, places=village_names(),
                       clean=sum(1 for r in rows if not r["reasons"]))


def _uuid(text: str):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None



