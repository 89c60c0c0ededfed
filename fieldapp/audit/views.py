from flask import Blueprint, request
from flask_login import current_user

from fieldapp import access, objects, people
from fieldapp.audit.forms import AuditFilterForm
from fieldapp.audit.services import ACTION_LABELS, search
from fieldapp.extensions import db
from fieldapp.htmx import render

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50


@bp.get("/")
@access.action_required("audit.read")
def index():
    form = AuditFilterForm(request.args)
    people_query = access.users(current_user)
    accounts = db.session.scalars(people_query.order_by(people_query.selected_columns.username))
    form.user.choices = [("", "Tất cả")] + [(str(u.id), u.shown_name) for u in accounts]
    entries = []
    if form.validate():
        data = form.data
        entries = search(
            access.audit_entries(current_user),
            user_id=int(data["user"]) if data["user"] else None,
            object_type=data["object_type"] or None,
            object_id=(data["object_id"] or "").strip() or None,
            day_from=data["day_from"],
            day_to=data["day_to"],
            before_id=data["before"],
            limit=PAGE_SIZE + 1,
        )
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    next_args = {k: v for k, v in request.args.items() if k != "before"}
    if more:
        next_args["before"] = entries[-1].id
    return render(
        "audit/index.html", "audit/_entries.html",
        form=form, entries=entries, more=more, next_args=next_args, labels=ACTION_LABELS,
        people=people.people(e.user_id for e in entries),
        objects=objects.named(current_user, entries),
    )
