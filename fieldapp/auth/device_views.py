"""Devices: a user's bearer tokens and login sessions, and "mất máy" (lost phone).

The owner sees and revokes their own; the commune officer does it for the field staff of the
commune (admin for anyone) from the account's page."""

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from fieldapp import access
from fieldapp.auth import tokens
from fieldapp.auth.account_views import bp as accounts_bp
from fieldapp.auth.devices import device_context
from fieldapp.auth.forms import ConfirmForm
from fieldapp.auth.models import User
from fieldapp.auth.views import bp as auth_bp
from fieldapp.client import client_address
from fieldapp.extensions import db
from fieldapp.htmx import render


def _confirmed() -> bool:
    return ConfirmForm().validate_on_submit()


@auth_bp.get("/account/devices")
@login_required
def devices():
    return render("auth/devices.html", **device_context(current_user))


@auth_bp.post("/account/devices/<token_id>/revoke")
@login_required
def revoke_own(token_id: str):
    if _confirmed():
        tokens.revoke(current_user, tokens.revocable(current_user, token_id, current_user),
                      client_address())
        db.session.commit()
        flash("Đã thu hồi thiết bị.", "success")
    return redirect(url_for("auth.devices"))


@auth_bp.post("/account/devices/lost")
@login_required
def lost_own():
    if _confirmed():
        count = tokens.lost_phone(current_user, current_user, client_address())
        db.session.commit()
        flash(f"Đã thu hồi {count} thiết bị và kết thúc các phiên đăng nhập khác.", "success")
    return redirect(url_for("auth.devices"))


def _managed(user_id: int) -> User:
    owner = access.get_or_404(User, user_id, current_user)
    access.require(current_user, "users.manage", owner)
    return owner


@accounts_bp.post("/<int:user_id>/devices/<token_id>/revoke")
@access.action_required("users.manage")
def revoke_for(user_id: int, token_id: str):
    owner = _managed(user_id)
    if _confirmed():
        tokens.revoke(current_user, tokens.revocable(current_user, token_id, owner),
                      client_address())
        db.session.commit()
        flash("Đã thu hồi thiết bị.", "success")
    return redirect(url_for("accounts.detail", user_id=owner.id))


@accounts_bp.post("/<int:user_id>/lost-phone")
@access.action_required("users.manage")
def lost_for(user_id: int):
    owner = _managed(user_id)
    if _confirmed():
        count = tokens.lost_phone(current_user, owner, client_address())
        db.session.commit()
        flash(f"Mất máy: đã thu hồi {count} thiết bị và kết thúc mọi phiên đăng nhập của "
              f"{owner.username}.", "success")
    return redirect(url_for("accounts.detail", user_id=owner.id))
