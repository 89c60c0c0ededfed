"""Changing the register (commune officer): child and household forms, small actions."""

import uuid
from datetime import date

from flask import Blueprint, flash, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children import services
from fieldapp.children.formdata import circumstance_data, record_from_form, show_errors
from fieldapp.children.forms import (
    ChildForm,
    CircumstanceActionForm,
    CloseForm,
    ConsentForm,
    EndCircumstanceForm,
    SupportActionForm,
    WithdrawConsentForm,
    fill_choices,
)
from fieldapp.children.models import Child, Consent, Household
from fieldapp.children.page import page_context
from fieldapp.children.validators import Result, parse_date, validate_child
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("child_edit", __name__, url_prefix="/children")
EDIT = "children.edit"
SCHOOLING_PATHS = ("child.schooling_status", "child.school_left_level")
# A warning already confirmed stays confirmed while these keep the register's values.
SCHOOLING_WATCHED = ("schooling_status", "school_left_level", "date_of_birth")


def _schooling_warnings(form, record: dict, child: Child | None = None) -> dict:
    """The schooling warnings (a status or level that does not fit the age,
    ``children.schooling``) the officer has still to confirm: none once "Tôi đã kiểm tra,
    vẫn lưu" is ticked, none when status, level and birth date are the register's own."""
    if form.schooling_confirmed.data:
        return {}
    given = record["child"]
    if child is not None and all(
            (child_record.plain(getattr(child, name)) or "") == (given.get(name) or "")
            for name in SCHOOLING_WATCHED):
        return {}
    result = Result()
    validate_child(dict(given), date.today(), result, catalogue)
    return {path: messages for path, messages in result.warnings.items()
            if path in SCHOOLING_PATHS}


def _villages():
    query = access.villages(current_user).where(Village.active.is_(True)).order_by(Village.code)
    return list(db.session.scalars(query))


def _households():
    query = access.households(current_user).order_by(Household.village_code, Household.head_name)
    return list(db.session.scalars(query))


def _child_form(child: Child | None = None) -> ChildForm:
    form = ChildForm(obj=child) if child else ChildForm()
    if child is not None:
        del form.circumstances, form.support
        if not form.is_submitted():
            form.household_id.data = str(child.household_id)
            _prefill_caregivers(form, child)
    fill_choices(form, _villages(), _households())
    return form


def _prefill_caregivers(form, child: Child) -> None:
    while len(form.caregivers) < len(child.caregivers) + 1:
        form.caregivers.append_entry()
    for entry, caregiver in zip(form.caregivers, child.caregivers, strict=False):
        for name in ("relation", "full_name", "personal_id", "phone"):
            entry.form[name].data = getattr(caregiver, name)


@bp.route("/new", methods=["GET", "POST"])
@access.action_required(EDIT)
def create():
    form = _child_form()
    problems, warnings = [], {}
    if form.validate_on_submit():
        record, rows = record_from_form(form)
        warnings = _schooling_warnings(form, record)
        try:
            child = services.create_child(current_user, record)
        except ValidationFailed as failed:
            db.session.rollback()
            problems = show_errors(form, failed.errors, rows)
        else:
            if not warnings:
                db.session.commit()
                flash("Đã thêm trẻ em.", "success")  # no name: the cookie is signed
                return htmx.redirect(url_for("children.detail", child_id=child.id))
            db.session.rollback()  # valid, but the officer confirms the warning first
    status = 422 if form.is_submitted() else 200
    return render("children/form.html", "children/_form.html", status, form=form,
                  child=None, problems=problems, schooling_warnings=warnings)


@bp.route("/<child_id>/edit", methods=["GET", "POST"])
@access.action_required(EDIT)
def edit(child_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    form = _child_form(child)
    problems, warnings = [], {}
    if form.validate_on_submit():
        record, rows = record_from_form(form)
        warnings = _schooling_warnings(form, record, child)
        try:
            changes = services.update_child(current_user, child, record)
        except ValidationFailed as failed:
            db.session.rollback()
            child = access.get_or_404(Child, child_id, current_user)
            problems = show_errors(form, failed.errors, rows)
        else:
            if not warnings:
                db.session.commit()
                flash("Đã lưu thay đổi." if changes else "Không có gì thay đổi.", "success")
                return htmx.redirect(url_for("children.detail", child_id=child.id))
            db.session.rollback()  # valid, but the officer confirms the warning first
            child = access.get_or_404(Child, child_id, current_user)
    status = 422 if form.is_submitted() else 200
    return render("children/form.html", "children/_form.html", status, form=form,
                  child=child, problems=problems, schooling_warnings=warnings)


def _action(child_id: str, form_name: str, form, apply):
    """Run one small action; on refusal show the child page again with the errors (422)."""
    child = access.get_or_404(Child, child_id, current_user)
    fill_choices(form, [])
    if form.validate_on_submit():
        try:
            apply(child, form)
        except ValidationFailed as failed:
            db.session.rollback()
            child = access.get_or_404(Child, child_id, current_user)
            problems = show_errors(form, failed.errors, prefix_map={
                "circumstance": "item", "support": "item"})
            for message in problems:
                flash(message, "warning")
        else:
            db.session.commit()
            flash("Đã lưu.", "success")
            return htmx.redirect(url_for("children.detail", child_id=child.id))
    context = page_context(child, True, **{form_name: form})
    return render("children/detail.html", status=422, **context)


@bp.post("/<child_id>/circumstances")
@access.action_required(EDIT)
def add_circumstance(child_id: str):
    def apply(child, form):
        services.add_circumstance(current_user, child, circumstance_data(form.item.form))

    return _action(child_id, "add_form", CircumstanceActionForm(prefix="add"), apply)


@bp.post("/<child_id>/support")
@access.action_required(EDIT)
def record_support(child_id: str):
    def apply(child, form):
        services.record_support(current_user, child, dict(form.item.form.data))

    return _action(child_id, "support_form", SupportActionForm(prefix="support"), apply)


@bp.post("/<child_id>/close")
@access.action_required(EDIT)
def close(child_id: str):
    def apply(child, form):
        died = form.reason.data == "died"
        services.close_child(current_user, child, form.reason.data,
                             _date(form.closed_on.data), form.note.data or "",
                             injury=(form.injury.data or "") if died else None,
                             injury_cause=(form.injury_cause.data or None) if died else None)

    return _action(child_id, "close_form", CloseForm(prefix="close"), apply)


@bp.post("/<child_id>/circumstances/<circumstance_id>/end")
@access.action_required(EDIT)
def end_circumstance(child_id: str, circumstance_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    circumstance = next((c for c in child.circumstances if str(c.id) == circumstance_id), None)
    form = EndCircumstanceForm()
    if circumstance is None or not form.validate_on_submit():
        return htmx.redirect(url_for("children.detail", child_id=child.id))
    try:
        services.end_circumstance(current_user, circumstance, _date(form.until.data))
    except ValidationFailed as failed:
        db.session.rollback()
        for messages in failed.errors.values():
            for message in messages:
                flash(message, "warning")
    else:
        db.session.commit()
        flash("Đã kết thúc hoàn cảnh.", "success")
    return htmx.redirect(url_for("children.detail", child_id=child.id))


CONSENT_FIELDS = ("person", "person_name", "purpose", "purpose_other", "given", "given_on",
                  "note")


@bp.post("/<child_id>/consents")
@access.action_required(EDIT)
def add_consent(child_id: str):
    def apply(child, form):
        services.record_consent(current_user, child,
                                {name: form[name].data for name in CONSENT_FIELDS})

    return _action(child_id, "consent_form", ConsentForm(prefix="consent"), apply)


@bp.post("/<child_id>/consents/<consent_id>/withdraw")
@access.action_required(EDIT)
def withdraw_consent(child_id: str, consent_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    try:
        key = uuid.UUID(consent_id)
    except ValueError:
        key = None
    consent = key and db.session.get(Consent, key)
    form = WithdrawConsentForm(prefix="withdraw")
    if not consent or consent.child_id != child.id or not form.validate_on_submit():
        return htmx.redirect(url_for("children.detail", child_id=child.id))
    try:
        services.withdraw_consent(current_user, consent, _date(form.withdrawn_on.data))
    except ValidationFailed as failed:
        db.session.rollback()
        flash(failed.detail or "Chưa rút lại được.", "warning")
    else:
        db.session.commit()
        flash("Đã ghi việc rút lại sự đồng ý.", "success")
    return htmx.redirect(url_for("children.detail", child_id=child.id) + "#consents")


def _date(value) -> date | None:
    return parse_date(value)

