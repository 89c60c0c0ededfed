"""Households of the commune (commune officer): list by village, page, create and edit; and
**In sổ theo dõi**, the household's child book as a PDF (officer and leader)."""

from datetime import UTC, datetime

from flask import Blueprint, flash, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from fieldapp import access, htmx
from fieldapp.catalogue import services as catalogue
from fieldapp.children import household_book, queries, services
from fieldapp.children.formdata import show_errors
from fieldapp.children.forms import HouseholdForm, fill_choices
from fieldapp.children.models import Child, Household
from fieldapp.client import client_address
from fieldapp.downloads import PDF, attachment
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("households", __name__, url_prefix="/children/households")
EDIT = "children.edit"
PRINT = "households.print"
LIMIT = 200


@bp.app_context_processor
def book_link():
    """Whether the user may print a household's book: its link shows on the household page
    and the child page alike."""
    return {"may_print_book": lambda: current_user.is_authenticated
            and access.can(current_user, PRINT)}


def _villages():
    query = access.villages(current_user).where(Village.active.is_(True)).order_by(Village.code)
    return list(db.session.scalars(query))


@bp.get("")
@access.action_required(EDIT)
def index():
    villages = _villages()
    village = request.args.get("village") or ""
    query = access.households(current_user)
    if village:
        query = query.where(Household.village_code == village)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(db.session.scalars(
        query.order_by(Household.village_code, Household.head_name).limit(LIMIT)))
    counts = dict(db.session.execute(
        select(Child.household_id, func.count())
        .where(Child.household_id.in_([h.id for h in rows]), Child.closed_on.is_(None))
        .group_by(Child.household_id)).all())
    return render("children/households.html", households=rows, total=total,
                  villages=villages, village=village, counts=counts, limit=LIMIT,
                  catalogue=catalogue)


def _form(household=None) -> HouseholdForm:
    form = HouseholdForm(obj=household)
    fill_choices(form, _villages())
    return form


def _save(form, household=None):
    data = {name: form[name].data for name in
            ("head_name", "address", "village_code", "poverty_status")}
    if household is None:
        return services.create_household(current_user, data)
    services.update_household(current_user, household, data)
    return household


@bp.route("/new", methods=["GET", "POST"])
@access.action_required(EDIT)
def new():
    return _household_page(None)


@bp.route("/<household_id>", methods=["GET", "POST"])
@access.action_required(EDIT)
def detail(household_id: str):
    return _household_page(access.get_or_404(Household, household_id, current_user))


def _household_page(household):
    form = _form(household)
    if form.validate_on_submit():
        try:
            saved = _save(form, household)
        except ValidationFailed as failed:
            db.session.rollback()
            if household is not None:
                household = access.get_or_404(Household, household.id, current_user)
            for message in show_errors(form, failed.errors):
                flash(message, "warning")
        else:
            db.session.commit()
            flash("Đã lưu hộ gia đình.", "success")
            return htmx.redirect(url_for("households.detail", household_id=saved.id))
    status = 422 if form.is_submitted() else 200
    children = household and queries.in_household(current_user, household.id)
    return render("children/household.html", "children/_household_form.html", status,
                  form=form, household=household, children=children, catalogue=catalogue)


@bp.get("/<household_id>/so-theo-doi.pdf")
@access.action_required(PRINT)
def book(household_id: str):
    household = access.get_or_404(Household, household_id, current_user)
    now = datetime.now(UTC)
    children = household_book.children_of(household, current_user)
    body = household_book.render(household, children, current_user, now)
    household_book.note_printed(current_user, household, children, client_address())
    db.session.commit()
    return attachment(body, PDF, household_book.filename(household, now))
