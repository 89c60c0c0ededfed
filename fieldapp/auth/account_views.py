"""Account pages: the commune officer for field staff, admin for everyone."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from fieldapp import access, htmx, roles
from fieldapp.auth import accounts, tokens
from fieldapp.auth.devices import device_context
from fieldapp.auth.forms import AccountEditForm, AccountForm
from fieldapp.auth.models import User
from fieldapp.client import client_address
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import ConfirmForm
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _village_choices() -> list[tuple[str, str]]:
    query = access.villages(current_user).where(Village.active.is_(True)).order_by(Village.code)
    return [(v.code, f"{v.name} ({v.code})") for v in db.session.scalars(query)]


def _places(form) -> list[str]:
    if current_user.role == roles.COMMUNE_OFFICER:
        return list(form.village_codes.data or [])
    return [c.strip() for c in (form.place_codes.data or "").split(",") if c.strip()]


def _show_errors(form, failed: ValidationFailed) -> None:
    places_field = "village_codes" if current_user.role == roles.COMMUNE_OFFICER else "place_codes"
    for name, messages in failed.errors.items():
        field = places_field if name == "places" else name
        if field in form:
            form[field].errors = list(messages)


def _secret_page(user: User, secret: str, created: bool):
    response = render("auth/account_secret.html", user=user, secret=secret, created=created)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@access.action_required("users.manage")
def index():
    people = db.session.scalars(access.users(current_user).order_by(User.role, User.username))
    return render("auth/accounts.html", people=list(people), roles=roles)


@bp.route("/new", methods=["GET", "POST"])
@access.action_required("users.manage")
def create():
    form = AccountForm()
    form.role.choices = [(r, roles.LABELS[r]) for r in accounts.roles_for(current_user)]
    form.village_codes.choices = _village_choices()
    if form.validate_on_submit():
        try:
            user, secret = accounts.create_user(
                current_user, username=form.username.data, role=form.role.data,
                places=_places(form), full_name=form.full_name.data, address=client_address(),
            )
        except ValidationFailed as failed:
            _show_errors(form, failed)
        else:
            db.session.commit()
            return _secret_page(user, secret, created=True)
    status = 422 if form.errors else 200
    return render("auth/account_new.html", "auth/_account_form.html", status, form=form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@access.action_required("users.manage")
def detail(user_id: int):
    user = access.get_or_404(User, user_id, current_user)
    manageable = access.can(current_user, "users.manage", user)
    form = AccountEditForm(obj=user, place_codes=", ".join(_codes_of(user)))
    form.village_codes.choices = _village_choices()
    if form.validate_on_submit():
        access.require(current_user, "users.manage", user)
        try:
            accounts.update_user(current_user, user, full_name=form.full_name.data,
                                 places=_places(form), address=client_address())
        except ValidationFailed as failed:
            db.session.rollback()  # _assign_places cleared the places before refusing
            user = access.get_or_404(User, user_id, current_user)
            _show_errors(form, failed)
        else:
            db.session.commit()
            flash("Đã lưu tài khoản.", "success")
            return htmx.redirect(url_for("accounts.detail", user_id=user.id))
    status = 422 if form.errors else 200
    devices = device_context(user) if manageable and user.id != current_user.id else None
    return render("auth/account_detail.html", "auth/_account_edit.html", status, user=user,
                  form=form, confirm=ConfirmForm(), manageable=manageable, roles=roles,
                  devices=devices)


def _codes_of(user: User) -> list[str]:
    if user.villages:
        return sorted(user.village_codes)
    return [code for code in (user.commune_code or user.province_code,) if code]


@bp.post("/<int:user_id>/reset")
@access.action_required("users.manage")
def reset(user_id: int):
    user = access.get_or_404(User, user_id, current_user)
    access.require(current_user, "users.manage", user)
    secret = accounts.reset_password(current_user, user, client_address())
    db.session.commit()
    return _secret_page(user, secret, created=False)


@bp.post("/<int:user_id>/active")
@access.action_required("users.manage")
def toggle(user_id: int):
    user = access.get_or_404(User, user_id, current_user)
    access.require(current_user, "users.manage", user)
    accounts.set_active(current_user, user, not user.active, client_address())
    db.session.commit()
    flash("Đã mở lại tài khoản." if user.active else "Đã khóa tài khoản.", "success")
    return redirect(url_for("accounts.detail", user_id=user.id))


def _managed(user_id: int) -> User:
    owner = access.get_or_404(User, user_id, current_user)
    access.require(current_user, "users.manage", owner)
    return owner


@bp.post("/<int:user_id>/devices/<token_id>/revoke")
@access.action_required("users.manage")
def revoke_for(user_id: int, token_id: str):
    owner = _managed(user_id)
    if ConfirmForm().validate_on_submit():
        tokens.revoke(current_user, tokens.revocable(current_user, token_id, owner),
                      client_address())
        db.session.commit()
        flash("Đã thu hồi thiết bị.", "success")
    return redirect(url_for("accounts.detail", user_id=owner.id))


@bp.post("/<int:user_id>/lost-phone")
@access.action_required("users.manage")
def lost_for(user_id: int):
    owner = _managed(user_id)
    if ConfirmForm().validate_on_submit():
        count = tokens.lost_phone(current_user, owner, client_address())
        db.session.commit()
        flash(f"Mất máy: đã thu hồi {count} thiết bị và kết thúc mọi phiên đăng nhập của "
              f"{owner.username}.", "success")
    return redirect(url_for("accounts.detail", user_id=owner.id))
