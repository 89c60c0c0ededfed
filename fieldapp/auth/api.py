"""Tokens and the session, for phones and scripts (``/api/v1``)."""

import uuid
from datetime import datetime

from flask import Blueprint, g, request
from flask_wtf.csrf import generate_csrf

from fieldapp.apiv1 import caller, json_body, page_limit
from fieldapp.auth import tokens
from fieldapp.auth.models import ApiToken
from fieldapp.auth.services import LoginRefused, authenticate
from fieldapp.auth.throttle import count_failure, password_attempts
from fieldapp.client import client_address
from fieldapp.cursors import encode_cursor, read_cursor
from fieldapp.db import utcnow
from fieldapp.errors import BadRequest, Unauthenticated, ValidationFailed
from fieldapp.extensions import db

bp = Blueprint("auth", __name__)


def token_json(token: ApiToken) -> dict:
    return {"id": str(token.id), "device_name": token.device_name,
            "created_at": _iso(token.created_at), "last_used_at": _iso(token.last_used_at),
            "revoked_at": _iso(token.revoked_at)}


def _iso(value):
    return value.isoformat() if value is not None else None


LIMITS = {"username": 50, "password": 200}


@bp.post("/tokens")
@password_attempts
def create_token():
    body = json_body(10_000)
    missing = {name: ["Thiếu trường bắt buộc."] for name in ("username", "password", "device_name")
               if not isinstance(body.get(name), str) or not body[name]}
    if missing:
        raise ValidationFailed("Thiếu thông tin đăng nhập.", missing)
    too_long = {name: [f"Tối đa {limit} ký tự."] for name, limit in LIMITS.items()
                if len(body[name]) > limit}  # as the login form's (device_name: tokens.issue)
    if too_long:
        raise ValidationFailed("Thông tin đăng nhập quá dài.", too_long)
    try:
        user = authenticate(body["username"], body["password"], client_address())
    except LoginRefused as refused:
        db.session.commit()  # the failure count and the audit entry must stay
        count_failure()
        raise Unauthenticated(refused.detail) from None
    db.session.commit()  # the login is recorded even if the device name is refused
    token, secret = tokens.issue(user, body["device_name"], client_address())
    db.session.commit()
    return {**token_json(token), "token": secret}, 201


@bp.get("/tokens")
def list_tokens():
    user = caller()
    rows, more = tokens.page_of(user, _after(request.args.get("cursor", "")), page_limit())
    last = rows[-1] if more else None
    following = encode_cursor([last.created_at.isoformat(), str(last.id)]) if last else None
    return {"tokens": [token_json(t) for t in rows], "next": following}


def _after(text: str) -> tuple[datetime, uuid.UUID] | None:
    """The (created_at, id) a page of tokens starts after; None for the first page."""
    if not text:
        return None
    try:
        when, key = read_cursor(text)
        when = datetime.fromisoformat(when)
        if when.tzinfo is None:
            raise ValueError(when)
        return when, uuid.UUID(key)
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise BadRequest("Tham số cursor không hợp lệ: hãy tải lại từ trang đầu.",
                         {"cursor": ["Con trỏ không hợp lệ."]}) from None


@bp.delete("/tokens/<token_id>")
def revoke_token(token_id: str):
    user = caller()
    tokens.revoke(user, tokens.revocable(user, token_id), client_address())
    db.session.commit()
    return "", 204


@bp.get("/session")
def session_info():
    """Who is logged in, and a fresh CSRF token for the writes that follow."""
    user = caller()
    csrf_token = None if g.get("api_token") else generate_csrf()
    return {"user": {"id": user.id, "username": user.username, "full_name": user.full_name,
                     "role": user.role}, "csrf_token": csrf_token, "at": utcnow().isoformat()}
