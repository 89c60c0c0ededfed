"""Server-side login sessions: the cookie carries a random token, the database its hash.

A new token at every login is what regenerates the session id; ending the row (logout,
deactivation, password reset, idle timeout) ends the session on its next request.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from fieldapp.auth.models import LoginSession, User
from fieldapp.db import utcnow
from fieldapp.extensions import db

TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, address: str | None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=_digest(token), user_id=user.id, address=address))
    user.session_token = token
    return token


def load_session(token: str) -> tuple[User | None, LoginSession | None]:
    """The user of a live session, or ``(None, row)`` when the row exists but has expired."""
    row = db.session.get(LoginSession, _digest(token))
    if row is None or row.ended_at is not None or not row.user.active:
        return None, None
    now = utcnow()
    if _expired(row, now):
        row.ended_at = now
        return None, row
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    row.user.session_token = token
    return row.user, row


def _expired(row: LoginSession, now) -> bool:
    config = current_app.config
    if row.user.is_office:
        return now - row.last_seen_at > config["OFFICE_IDLE_TIMEOUT"]
    return now - row.created_at > config["FIELD_SESSION_LIFETIME"]


def locked_owner(token: str) -> User | None:
    """The deactivated account a login session belonged to, ended or not (deactivation ends
    them all), else ``None``."""
    row = db.session.get(LoginSession, _digest(token))
    return row.user if row is not None and not row.user.active else None


def end_session(token: str) -> None:
    row = db.session.get(LoginSession, _digest(token))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()


def end_all_sessions(user: User, keep: str | None = None) -> None:
    """End every live session of ``user``, except the one whose token is ``keep``."""
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(LoginSession.token_hash != _digest(keep))
    db.session.execute(
        query.values(ended_at=utcnow()), execution_options={"synchronize_session": False}
    )


def live_sessions(user: User) -> list[LoginSession]:
    query = select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    return list(db.session.scalars(query))
