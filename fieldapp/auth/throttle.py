"""The per-address limit on password attempts (Flask-Limiter), beside the per-username lockout.

The lockout (services.py) stops guessing one account's password, but lets one password be
tried across many usernames, and lets anyone lock anyone. So every client address may fail at
most ``LOGIN_ADDRESS_LIMIT`` times (default 20 per 15 minutes, a moving window) across the
login page, token creation and password change together; only failures count, so a commune
office behind one address is not slowed by its own logins. The counts live where every worker
sees them: ``RATELIMIT_STORAGE_URI``, the app's database by default (limit_storage.py).
"""

import math
import time

from flask import Flask, current_app, g

from fieldapp.auth import limit_storage  # noqa: F401 - registers the fieldapp-db:// storage
from fieldapp.client import client_address
from fieldapp.extensions import limiter

SCOPE = "password-attempts"
LIMITED = ("Có quá nhiều lần nhập sai mật khẩu từ địa chỉ mạng này. "
           "Vui lòng thử lại sau {minutes} phút.")


def init_app(app: Flask) -> None:
    """The limiter on ``app``, once its default storage, ``fieldapp-db://``, is known: the
    ``limits`` library knows a scheme when its class is defined (limit_storage.py, imported
    above), and the limiter opens ``RATELIMIT_STORAGE_URI`` here."""
    limiter.init_app(app)


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


def count_failure() -> None:
    """Count this request against its address (after the view, when the answer is made)."""
    g.password_failed = True


def _failed(_response) -> bool:
    return bool(g.get("password_failed"))


# Only POST is limited: a blocked address still sees the login page, with the message.
password_attempts = limiter.shared_limit(
    _address_limit, scope=SCOPE, key_func=client_address, methods=["POST"], deduct_when=_failed)


def retry_after() -> int:
    """Seconds until the address may try again (for ``Retry-After``)."""
    limit = limiter.current_limit
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()))


def limited_message(seconds: int) -> str:
    return LIMITED.format(minutes=math.ceil(seconds / 60))
