"""Logging in, lockout and passwords. Services flush; the view commits (STYLE 4)."""

from flask import current_app
from sqlalchemy import func, select

from fieldapp.audit.services import record
from fieldapp.auth import sessions, tokens
from fieldapp.auth.models import LoginThrottle, User
from fieldapp.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from fieldapp.db import read_only, utcnow
from fieldapp.errors import DomainError, ValidationFailed
from fieldapp.extensions import db

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
    "Vui lòng thử lại sau {minutes} phút."
)
WRONG_CURRENT = "Mật khẩu hiện tại không đúng."


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
    # argon2 spends tens of milliseconds of CPU: the password is checked before the transaction
    # that records the outcome, so that on SQLite no other request waits for the write lock
    # meanwhile (200 phones logging in at once held up every sync, then failed as "locked").
    with read_only(db.session):
        checked = find_user(name)
        checked_hash = checked.password_hash if checked else None
        right = verify_password(checked_hash, password)
    throttle = _unlocked_throttle(name, address)
    user = find_user(name)
    if right and user is not None and user.password_hash == checked_hash and user.active:
        throttle.failures, throttle.locked_until = 0, None
        _after_login(user, password, address)
        return user
    return _refuse(throttle, user, name, address)


def _unlocked_throttle(name: str, address: str | None) -> LoginThrottle:
    """The failure count of ``name``; :class:`LoginRefused` while it is locked."""
    throttle = db.session.get(LoginThrottle, name) or LoginThrottle(username=name, failures=0)
    db.session.add(throttle)
    now = utcnow()
    if throttle.locked_until and throttle.locked_until > now:
        record(None, "login_locked", "user", address=address, username=name)
        raise LoginRefused(_locked_message(throttle.locked_until - now))
    return throttle


def _after_login(user: User, password: str, address: str | None) -> None:
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record(user, "login", "user", user.id, address=address)


def _refuse(throttle: LoginThrottle, user: User | None, name: str, address: str | None,
            action: str = "login_failed", message: str = BAD_CREDENTIALS):
    throttle.failures += 1
    detail = {"failures": throttle.failures}
    if user is not None:
        record(user, action, "user", user.id, address=address, detail=detail)
    else:
        record(None, action, "user", address=address, detail=detail, username=name)
    if throttle.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        duration = current_app.config["LOGIN_LOCK_DURATION"]
        throttle.failures, throttle.locked_until = 0, utcnow() + duration
        raise LoginRefused(_locked_message(duration))
    raise LoginRefused(message)


def _locked_message(remaining) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return LOCKED.format(minutes=minutes)


def change_password(user: User, current: str, new: str, address: str | None) -> None:
    """The user changes their own password; their other sessions end, their tokens are revoked.

    A wrong current password counts as a failed login of the username (the same lockout), so
    a session left open does not let anyone guess the password. The caller commits also when
    this raises :class:`ValidationFailed`, so that the count stays.
    """
    try:
        throttle = _unlocked_throttle(user.username, address)
        if not verify_password(user.password_hash, current):
            _refuse(throttle, user, user.username, address, "password_change_failed",
                    WRONG_CURRENT)
    except LoginRefused as refused:
        raise ValidationFailed(errors={"current_password": [refused.detail]}) from None
    throttle.failures, throttle.locked_until = 0, None
    problem = password_problem(new, user)
    if problem:
        raise ValidationFailed(errors={"new_password": [problem]})
    if verify_password(user.password_hash, new):
        raise ValidationFailed(errors={"new_password": ["Mật khẩu mới phải khác mật khẩu cũ."]})
    user.password_hash = hash_password(new)
    user.must_change_password = False
    sessions.end_all_sessions(user, keep=user.session_token)
    count = tokens.revoke_all(user, user, "password_changed")
    record(user, "password_changed", "user", user.id, address=address, detail={"tokens": count})
