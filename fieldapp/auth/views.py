from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from fieldapp import htmx
from fieldapp.audit.services import record
from fieldapp.auth import sessions, tokens
from fieldapp.auth.devices import device_context
from fieldapp.auth.forms import ChangePasswordForm, LoginForm
from fieldapp.auth.services import LoginRefused, authenticate, change_password
from fieldapp.auth.throttle import count_failure, limited_message, password_attempts, retry_after
from fieldapp.client import client_address
from fieldapp.errors import ValidationFailed, problem, wants_json
from fieldapp.extensions import db
from fieldapp.forms import ConfirmForm
from fieldapp.htmx import render

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@password_attempts
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, client_address())
        except LoginRefused as refused:
            db.session.commit()  # the failure count and the audit entry must stay
            count_failure()
            error = refused.detail
        else:
            session.clear()  # a fresh session (and CSRF token) for the new login
            sessions.start_session(user, client_address())
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render("auth/login.html", form=form, error=error)


@bp.post("/logout")
@login_required
def logout():
    sessions.end_session(current_user.session_token)
    record(current_user, "logout", "user", current_user.id, address=client_address())
    db.session.commit()
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_attempts
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data, form.new_password.data,
                client_address(),
            )
        except ValidationFailed as failed:
            db.session.commit()  # a wrong current password counts towards the lockout
            if "current_password" in failed.errors:
                count_failure()
            for name, messages in failed.errors.items():
                form[name].errors = list(messages)
        else:
            db.session.commit()
            flash("Đã đổi mật khẩu.", "success")
            return htmx.redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render("auth/password.html", "auth/_password_form.html", status, form=form)


@bp.app_errorhandler(RateLimitExceeded)
def too_many_failures(_error):
    """429 with ``Retry-After``: a JSON problem, or the page with the message where it asks."""
    seconds = retry_after()
    message = limited_message(seconds)
    if wants_json():
        response = problem(429, message)
    elif request.endpoint == "auth.password":
        form = ChangePasswordForm()
        form.current_password.errors = [message]
        response = render("auth/password.html", "auth/_password_form.html", 429, form=form)
    else:
        response = render("auth/login.html", None, 429, form=LoginForm(), error=message)
    response.headers["Retry-After"] = str(seconds)
    return response


def _confirmed() -> bool:
    return ConfirmForm().validate_on_submit()


@bp.get("/account/devices")
@login_required
def devices():
    return render("auth/devices.html", **device_context(current_user))


@bp.post("/account/devices/<token_id>/revoke")
@login_required
def revoke_own(token_id: str):
    if _confirmed():
        tokens.revoke(current_user, tokens.revocable(current_user, token_id, current_user),
                      client_address())
        db.session.commit()
        flash("Đã thu hồi thiết bị.", "success")
    return redirect(url_for("auth.devices"))


@bp.post("/account/devices/lost")
@login_required
def lost_own():
    if _confirmed():
        count = tokens.lost_phone(current_user, current_user, client_address())
        db.session.commit()
        flash(f"Đã thu hồi {count} thiết bị và kết thúc các phiên đăng nhập khác.", "success")
    return redirect(url_for("auth.devices"))


@bp.before_app_request
def load_login():
    """Load the login session before the view, so expiry is noticed and saved at once."""
    g.session_expired = False
    if request.endpoint == "static" or request.path.startswith("/api/"):
        return None  # the API answers a needed password change itself (apiv1.caller)
    if current_user.is_authenticated and current_user.must_change_password and (
        request.endpoint not in ("auth.password", "auth.logout", "static")
    ):
        flash("Bạn cần đổi mật khẩu trước khi tiếp tục.", "warning")
        return redirect(url_for("auth.password"))
    return None
