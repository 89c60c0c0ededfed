from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.client import client_address
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import ConfirmForm
from fieldapp.htmx import render
from fieldapp.places import services
from fieldapp.places.forms import VillageForm
from fieldapp.places.models import Village

bp = Blueprint("places", __name__, url_prefix="/villages")


def _villages():
    query = access.villages(current_user).order_by(Village.code)
    return list(db.session.scalars(query))


def _page(form, status=200, fragment=None):
    return render(
        "places/villages.html", fragment, status,
        form=form, villages=_villages(), confirm=ConfirmForm(),
    )


@bp.get("/")
@access.action_required("villages.manage")
def index():
    return _page(VillageForm(formdata=None))


@bp.post("/")
@access.action_required("villages.manage")
def create():
    form = VillageForm()
    if form.validate_on_submit():
        try:
            village = services.create_village(
                current_user, current_user.commune_code, form.name.data, client_address()
            )
        except ValidationFailed as failed:
            form.name.errors = failed.errors["name"]
        else:
            db.session.commit()
            flash(f"Đã thêm {village.name} (mã {village.code}).", "success")
            return htmx.redirect(url_for("places.index"))
    return _page(form, 422, "places/_village_form.html")


@bp.route("/<code>/rename", methods=["GET", "POST"])
@access.action_required("villages.manage")
def rename(code: str):
    village = access.get_or_404(Village, code, current_user)
    form = VillageForm(obj=village)
    if form.validate_on_submit():
        try:
            services.rename_village(current_user, village, form.name.data, client_address())
        except ValidationFailed as failed:
            form.name.errors = failed.errors["name"]
        else:
            db.session.commit()
            flash(f"Đã đổi tên thôn/bản {village.code}.", "success")
            return htmx.redirect(url_for("places.index"))
    status = 422 if form.errors else 200
    return render("places/rename.html", "places/_rename_form.html", status,
                  form=form, village=village)


@bp.post("/<code>/active")
@access.action_required("villages.manage")
def toggle(code: str):
    village = access.get_or_404(Village, code, current_user)
    if ConfirmForm().validate_on_submit():
        services.set_village_active(current_user, village, not village.active, client_address())
        db.session.commit()
        state = "dùng lại" if village.active else "ngừng sử dụng"
        flash(f"Đã {state} {village.name}.", "success")
    return redirect(url_for("places.index"))
