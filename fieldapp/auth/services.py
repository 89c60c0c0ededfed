"""Logging in, lockout and passwords. Services flush; the view commits (STYLE 4)."""

from flask import current_app
from sqlalchemy import func, select

from fieldapp.audit.services import record
from fieldapp.auth import sessions
from fieldapp.auth.models import LoginThrottle, User
from fieldapp.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from fieldapp.db import utcnow
from fieldapp.errors import DomainError, ValidationFailed
from fieldapp.extensions import db

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
    "Vui lòng thử lại sau {minutes} phút."
)


class LoginRefused(DomainError):
    status = 200  # the login page is shown again with the message


def normalise_username(username: str) -> str:
    """Lower case, trimmed, without control characters (PostgreSQL refuses a NUL in text, and
    no username holds one: such a name simply matches no account)."""
    return "".join(ch for ch in (username or "") if ch.isprintable()).strip().lower()


def find_user(username: str) -> User | None:
    name = normalise_username(username)
    return db.session.scalars(select(User).where(func.lower(User.username) == name)).first()


def authenticate(username: str, password: str, address: str | None) -> User:
    """Return the user whose credentials these are, or raise :class:`LoginRefused`.

    Failures are counted per username whether or not an account has it, so the answer
    never tells which usernames exist. The caller commits in both cases.
    """
    name = normalise_username(username)[:50]
    throttle = db.session.get(LoginThrottle, name) or LoginThrottle(username=name, failures=0)
    db.session.add(throttle)
    now = utcnow()
    if throttle.locked_until and throttle.locked_until > now:
        record(None, "login_locked", "user", address=address, username=name)
        raise LoginRefused(_locked_message(throttle.locked_until - now))
    user = find_user(name)
    if verify_password(user.password_hash if user else None, password) and user.active:
        throttle.failures, throttle.locked_until = 0, None
        _after_login(user, password, address)
        return user
    return _refuse(throttle, user, name, address)


def _after_login(user: User, password: str, address: str | None) -> None:
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record(user, "login", "user", user.id, address=address)


def _refuse(throttle: LoginThrottle, user: User | None, name: str, address: str | None):
    throttle.failures += 1
    detail = {"failures": throttle.failures}
    if user is not None:
        record(user, "login_failed", "user", user.id, address=address, detail=detail)
    else:
        record(None, "login_failed", "user", address=address, detail=detail, username=name)
    if throttle.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        duration = current_app.config["LOGIN_LOCK_DURATION"]
        throttle.failures, throttle.locked_until = 0, utcnow() + duration
        raise LoginRefused(_locked_message(duration))
    raise LoginRefused(BAD_CREDENTIALS)


def _locked_message(remaining) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return LOCKED.format(minutes=minutes)


def change_password(user: User, current: str, new: str, address: str | None) -> None:
    """The user changes their own password; other sessions of theirs end."""
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(errors={"current_password": ["Mật khẩu hiện tại không đúng."]})
    problem = password_problem(new, user.username)
    if problem:
        raise ValidationFailed(errors={"new_password": [problem]})
    if verify_password(user.password_hash, new):
        raise ValidationFailed(errors={"new_password": ["Mật khẩu mới phải khác mật khẩu cũ."]})
    user.password_hash = hash_password(new)
    user.must_change_password = False
    sessions.end_all_sessions(user, keep=user.session_token)
    record(user, "password_changed", "user", user.id, address=address)
