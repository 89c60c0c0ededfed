"""The "Cài đặt" page: the administrator changes the settings; commune officers and leaders
read the values in force (they apply the rules, they do not set them). Below the national
numbers, "Lịch báo cáo theo tỉnh": the administrator picks a province and changes its report
dates; an officer or leader sees their own province's dates."""

from datetime import timedelta

from flask import Blueprint, flash, request, url_for
from flask_login import current_user
from sqlalchemy import exists, select

from fieldapp import access, htmx, people
from fieldapp.clock import parse_date, today
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import ConfirmForm
from fieldapp.places.models import Commune, Province
from fieldapp.settings import services
from fieldapp.workdays import upcoming_holidays

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.app_context_processor
def values_in_force():
    """``setting('age_limit')`` in every template: pages word the rules with the values."""
    return {"setting": services.value}


def _provinces() -> list[Province]:
    """The provinces that have communes in the system (the ones a report can be for)."""
    return list(db.session.scalars(
        select(Province).where(exists().where(Commune.province_code == Province.code))
        .order_by(Province.name)))


def _province_of_page(editable: bool) -> Province | None:
    """The administrator's pick (``?province=``, or the form's); anyone else's own."""
    if not editable:
        commune = current_user.commune
        return commune.province if commune else current_user.province
    code = request.values.get("province", "")
    return db.session.get(Province, code) if code else None


def _page(form, status=200, values=None, errors=None, fragment="settings/_form.html",
          province_values=None, province_errors=None, calendar_errors=None):
    editable = access.can(current_user, "settings.manage")
    province = _province_of_page(editable)
    rows = services.in_force()
    dates = services.province_in_force(province.code) if province else []
    return htmx.render("settings/index.html", fragment, status, rows=rows,
                       calendar=services.calendar_days(today() - timedelta(days=366)),
                       holidays=upcoming_holidays(today(), 12),
                       calendar_errors=calendar_errors or {},
                       form=form, values=values or {}, errors=errors or {}, editable=editable,
                       province=province, dates=dates,
                       provinces=_provinces() if editable else [],
                       province_values=province_values or {},
                       province_errors=province_errors or {},
                       people=people.people(row.updated_by_id for row in rows + dates))


@bp.get("")
@access.action_required("settings.read")
def index():
    return _page(ConfirmForm(formdata=None))


@bp.post("")
@access.action_required("settings.manage")
def change():
    form = ConfirmForm()
    raw = {item.key: request.form.get(item.key, "") for item in services.NATIONAL_SETTINGS}
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


@bp.post("/province")
@access.action_required("settings.manage")
def change_province():
    form = ConfirmForm()
    code = request.form.get("province", "")
    raw = {item.key: request.form.get(item.key, "") for item in services.PROVINCE_SETTINGS}

    def again(errors):
        return _page(form, 422, fragment="settings/_province.html", province_values=raw,
                     province_errors=errors)

    if not form.validate_on_submit():
        return again({"form": ["Biểu mẫu đã hết hạn. Vui lòng gửi lại."]})
    try:
        changed = services.change_province_settings(current_user, code, raw)
    except ValidationFailed as failed:
        db.session.rollback()
        return again(failed.errors)
    db.session.commit()
    flash(f"Đã lưu {len(changed)} ngày của lịch báo cáo." if changed
          else "Lịch báo cáo không thay đổi.", "success")
    return htmx.redirect(url_for("settings.index", province=code, _anchor="province-calendar"))


@bp.post("/calendar")
@access.action_required("settings.manage")
def declare_day():
    """The government's announcement of a day off or a working day (before the library's)."""
    form = ConfirmForm()
    day = parse_date(request.form.get("day"))
    working = request.form.get("working")
    errors = {}
    if not form.validate_on_submit():
        errors["form"] = ["Biểu mẫu đã hết hạn. Vui lòng gửi lại."]
    if day is None:
        errors["day"] = ["Chọn ngày."]
    if working not in ("true", "false"):
        errors["working"] = ["Chọn ngày nghỉ hay ngày làm việc."]
    if not errors:
        try:
            services.declare_day(current_user, day, working == "true", request.form.get("note"))
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.errors
    if errors:
        return _page(ConfirmForm(formdata=None), 422, calendar_errors=errors)
    db.session.commit()
    flash(f"Đã ghi ngày {day:%d/%m/%Y}.", "success")
    return htmx.redirect(url_for("settings.index") + "#calendar")


@bp.post("/calendar/<day>/delete")
@access.action_required("settings.manage")
def forget_day(day: str):
    form = ConfirmForm()
    when = parse_date(day)
    if form.validate_on_submit() and when is not None:
        services.forget_day(current_user, when)
        db.session.commit()
        flash(f"Ngày {when:%d/%m/%Y} theo lịch chung.", "success")
    return htmx.redirect(url_for("settings.index") + "#calendar")
