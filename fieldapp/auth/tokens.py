"""Per-device bearer tokens for phones and scripts: issued with a password, revocable.

Only a SHA-256 of the token is stored; the token itself is shown once, when it is made.
A token works while it is not revoked and its account is active. A password reset, a
deactivation and a password change revoke all of the account's tokens, so that none works
again once the account is back: each device signs in again with the new password.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import and_, or_, select

from fieldapp import access
from fieldapp.audit.services import record
from fieldapp.auth import sessions
from fieldapp.auth.models import ApiToken, User
from fieldapp.db import utcnow
from fieldapp.errors import Forbidden, NotFound, PasswordChangeRequired, ValidationFailed
from fieldapp.extensions import db

PREFIX = "fat_"  # fieldapp token: easy to spot in a leaked log or a secret scanner
TOUCH_EVERY = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user: User, device_name: str, address: str | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user``'s device; return it with the secret (shown only now)."""
    name = " ".join((device_name or "").split())
    if not 1 <= len(name) <= 100:
        raise ValidationFailed("Tên thiết bị chưa hợp lệ.", {
            "device_name": ["Tên thiết bị: vui lòng nhập, tối đa 100 ký tự."]})
    if user.must_change_password:
        raise PasswordChangeRequired(
            "Bạn cần đổi mật khẩu trên trang web trước khi dùng thiết bị.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, device_name=name, token_hash=_digest(secret))
    db.session.add(token)
    db.session.flush()
    record(user, "token_created", "user", user.id, address=address,
           detail={"token": str(token.id)})
    return token, secret


def load(secret: str) -> ApiToken | None:
    """The live token with this secret, or ``None`` (unknown, revoked, account locked)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret))
    ).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
    return token


def locked_owner(secret: str) -> User | None:
    """The deactivated account whose live token this is, else ``None``.

    Only for telling the phone why it is refused: a revoked token (a phone declared lost)
    says nothing about its account.
    """
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret))
    ).first()
    if token is None or token.user.active:
        return None
    if token.revoked_at is not None and token.revoked_reason != "deactivated":
        return None
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc())))


def page_of(user: User, after: tuple | None, limit: int) -> tuple[list[ApiToken], bool]:
    """Up to ``limit`` of the user's tokens, newest first, after the (created_at, id) of the
    previous page's last; and whether more follow."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    if after is not None:
        query = query.where(or_(ApiToken.created_at < after[0],
                                and_(ApiToken.created_at == after[0], ApiToken.id < after[1])))
    rows = list(db.session.scalars(query.order_by(ApiToken.created_at.desc(),
                                                  ApiToken.id.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def revocable(actor: User, token_id: str, owner: User | None = None) -> ApiToken:
    """The token ``actor`` may revoke (of ``owner``, when given); else :class:`NotFound`, the
    same for a token that does not exist and one out of scope, so that none is revealed."""
    try:
        token = db.session.get(ApiToken, uuid.UUID(token_id))
        if token is None or (owner is not None and token.user_id != owner.id):
            raise NotFound
        if not may_revoke(actor, access.get_or_404(User, token.user_id, actor)):
            raise NotFound
    except (ValueError, NotFound):
        raise NotFound("Không tìm thấy thiết bị.") from None
    return token


def may_revoke(actor: User, owner: User) -> bool:
    """The owner, or whoever manages the owner's account (their commune officer, admin)."""
    return actor.id == owner.id or access.can(actor, "users.manage", owner)


def revoke(actor: User, token: ApiToken, address: str | None = None) -> None:
    """End one token at once; its device must sign in again."""
    if not may_revoke(actor, token.user):
        raise Forbidden("Bạn không được thu hồi thiết bị của người khác.")
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by_id, token.revoked_reason = utcnow(), actor.id, "device"
        record(actor, "token_revoked", "user", token.user_id, address=address,
               commune_code=token.user.commune_code, detail={"token": str(token.id)})


def lost_phone(actor: User, owner: User, address: str | None = None) -> int:
    """"Mất máy": revoke every token and end every login session of ``owner``.

    :returns: how many tokens were revoked.
    """
    if not may_revoke(actor, owner):
        raise Forbidden("Bạn không được thu hồi thiết bị của người khác.")
    count = revoke_all(actor, owner, "lost")
    sessions.end_all_sessions(owner, keep=owner.session_token if actor.id == owner.id else None)
    record(actor, "devices_revoked", "user", owner.id, address=address,
           commune_code=owner.commune_code, detail={"tokens": count})
    return count


def revoke_all(actor: User | None, owner: User, reason: str) -> int:
    """Revoke every live token of ``owner`` for ``reason``; no audit entry (the caller's own
    entry says what happened). :returns: how many were revoked."""
    now, count = utcnow(), 0
    for token in tokens_of(owner):
        if token.revoked_at is None:
            token.revoked_at, token.revoked_reason = now, reason
            token.revoked_by_id = actor.id if actor is not None else None
            count += 1
    return count
