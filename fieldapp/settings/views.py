"""The "Cài đặt" page: the administrator changes the settings; commune officers and leaders
read the values in force (they apply the rules, they do not set them)."""

from flask import Blueprint, flash, request, url_for
from flask_login import current_user

from fieldapp import access, htmx, people
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import ConfirmForm
from fieldapp.settings import services

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.app_context_processor
def values_in_force():
    """``setting('age_limit')`` in every template: pages word the rules with the values."""
    return {"setting": services.value}


def _page(form, status=200, values=None, errors=None):
    rows = services.in_force()
    return htmx.render("settings/index.html", "settings/_form.html", status, rows=rows,
                       form=form, values=values or {}, errors=errors or {},
                       editable=access.can(current_user, "settings.manage"),
                       people=people.people(row.updated_by_id for row in rows))


@bp.get("")
@access.action_required("settings.read")
def index():
    return _page(ConfirmForm(formdata=None))


@bp.post("")
@access.action_required("settings.manage")
def change():
    form = ConfirmForm()
    raw = {item.key: request.form.get(item.key, "") for item in services.DECLARED}
    if not form.validate_on_submit():
        return _page(form, 422, raw, {"form": ["Biểu mẫu đã hết hạn. Vui lòng gửi lại."]})
    try:
        changed = services.change_settings(current_user, raw)
    except ValidationFailed as failed:
        db.session.rollback()
        return _page(form, 422, raw, failed.errors)
    db.session.commit()
    flash(f"Đã lưu {len(changed)} cài đặt." if changed else "Không có cài đặt nào thay đổi.",
          "success")
    return htmx.redirect(url_for("settings.index"))
