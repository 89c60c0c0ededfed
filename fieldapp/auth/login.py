"""Flask-Login wiring: the cookie holds a login-session token (see sessions.py)."""

from flask import flash, g, redirect, request, url_for
from flask_login import LoginManager

from fieldapp.audit.services import record
from fieldapp.auth import sessions
from fieldapp.errors import problem, wants_json
from fieldapp.extensions import db

EXPIRED = "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."


def init_login(login_manager: LoginManager) -> None:
    login_manager.session_protection = None  # the server-side session decides, not the IP

    @login_manager.user_loader
    def load_user(token: str):
        user, row = sessions.load_session(token)
        if user is None and row is not None:
            g.session_expired = True
            record(row.user, "session_expired", "user", row.user_id)
        # The API tells a deactivated account so (apiv1.caller); pages just ask for a login.
        g.account_locked = user is None and sessions.locked_owner(token) is not None
        if db.session.dirty or db.session.new:
            db.session.commit()  # expiry, last-seen time: nothing else is pending yet
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return problem(401, "Cần đăng nhập.")
        if g.get("session_expired"):
            flash(EXPIRED, "warning")
        else:
            flash("Vui lòng đăng nhập để tiếp tục.", "info")
        return redirect(url_for("auth.login", next=request.path))
