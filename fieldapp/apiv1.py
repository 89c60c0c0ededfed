"""The JSON API under ``/api/v1``: who is calling, and reading a JSON body safely.

A caller is either a bearer token (``Authorization: Bearer …``, and only there) or the
browser's login session; a session-authenticated write must carry a fresh CSRF token in
``X-CSRFToken``. Every error is a JSON problem (errors.py), never an HTML page.
"""

import re

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import ValidationError as CsrfInvalid
from flask_wtf.csrf import validate_csrf

from fieldapp import text
from fieldapp.auth import tokens
from fieldapp.errors import (
    AccountLocked,
    BadRequest,
    DomainError,
    PasswordChangeRequired,
    RoleRefused,
    TooLarge,
    Unauthenticated,
    ValidationFailed,
)
from fieldapp.extensions import csrf, db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SECRET_PARAMS = ("access_token", "token", "api_key")
LOCKED = "Tài khoản của bạn đã bị khóa. Hãy liên hệ cán bộ xã."
MAX_LIMIT = 500  # items in one page of an API list
LIMIT = re.compile(r"[0-9]{1,6}")  # ASCII digits only; "²".isdigit() is true


class CsrfRefused(DomainError):
    status = 403
    code = "csrf"


def blueprint(*features: Blueprint) -> Blueprint:
    """The ``/api/v1`` blueprint, with each feature's API blueprint nested in it.

    A nested blueprint takes the prefix and runs :func:`identify` before its views; its
    endpoints are named ``api.<feature>.<view>``. Each one is exempt from the form CSRF check
    (flask-wtf looks at the innermost blueprint only): bearer requests need none, and session
    writes are checked in :func:`caller`.
    """
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(identify)
    for feature in features:
        csrf.exempt(feature)
        bp.register_blueprint(feature)
    return bp


def identify():
    """Resolve a bearer token before the view; refuse one that travels in the URL."""
    g.api_token = None
    if any(name in request.args for name in SECRET_PARAMS):
        raise BadRequest("Mã truy cập chỉ được gửi trong tiêu đề Authorization, "
                         "không bao giờ trong địa chỉ.")
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("Tiêu đề Authorization phải là: Bearer <mã truy cập>.")
    token = tokens.load(secret.strip())
    if token is None:
        if tokens.locked_owner(secret.strip()) is not None:
            raise AccountLocked(LOCKED)
        raise Unauthenticated("Mã truy cập không đúng hoặc đã bị thu hồi. Vui lòng đăng nhập lại.")
    if db.session.dirty:
        db.session.commit()  # last-used time; nothing else is pending yet
    g.api_token = token


def caller(roles: tuple[str, ...] | None = None):
    """The acting user (token first, then session), or a 401/403 problem.

    A 403 says why in its ``code``: ``inactive`` (the account was deactivated), ``password``
    (a one-time password must be changed on the web page first), ``role`` (this role may not
    use the endpoint), ``csrf`` (a session write without a fresh token).
    """
    token = g.get("api_token")
    if token is not None:
        user = token.user
    elif current_user.is_authenticated:
        user = current_user
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except CsrfInvalid:
                raise CsrfRefused("Mã chống giả mạo (CSRF) không hợp lệ: hãy lấy mã mới.") \
                    from None
    elif g.get("account_locked"):  # the session's account was deactivated (auth/login.py)
        raise AccountLocked(LOCKED)
    else:
        raise Unauthenticated("Cần đăng nhập.")
    if user.must_change_password:
        raise PasswordChangeRequired("Bạn cần đổi mật khẩu trên trang web trước khi tiếp tục.")
    if roles is not None and user.role not in roles:
        raise RoleRefused("Vai trò của bạn không dùng được chức năng này.")
    return user


def json_body(max_bytes: int, *, text_checked: bool = True) -> dict:
    """The request's JSON object; 413 above ``max_bytes``, 400 if it is not a JSON object
    (or is nested too deep), 422 with the paths of strings holding a character the database
    cannot keep (fieldapp/text.py), unless ``text_checked`` is false: a batch whose items are
    judged one by one checks each item itself, so that one bad item never refuses the rest."""
    size = f"{max_bytes // 1_000_000} MB" if max_bytes >= 1_000_000 else f"{max_bytes // 1000} kB"
    too_large = TooLarge(f"Dữ liệu gửi lên quá lớn (tối đa {size}).")
    if request.content_length is not None and request.content_length > max_bytes:
        raise too_large
    # A body sent without a length (chunked) is read one byte past the limit, no further:
    # werkzeug stops quietly at the limit, and a cut-off body must not pass for a bad one.
    request.max_content_length = max_bytes + 1
    if not request.is_json:
        raise BadRequest("Dữ liệu phải là JSON (Content-Type: application/json).")
    data = request.get_data()
    if len(data) > max_bytes:
        raise too_large
    try:
        body = text.parse_json(data)
    except text.TooDeep:
        raise BadRequest(f"Dữ liệu JSON lồng nhau quá sâu (tối đa {text.MAX_DEPTH} tầng).") \
            from None
    except text.Unreadable:
        body = None
    if body is None:
        raise BadRequest("Dữ liệu JSON không đọc được (sai cú pháp).")
    if not isinstance(body, dict):
        raise BadRequest("Dữ liệu JSON phải là một đối tượng.")
    errors = text.unstorable_paths(body) if text_checked else {}
    if errors:
        raise ValidationFailed("Dữ liệu có ký tự không hợp lệ.", errors)
    return body


def page_limit() -> int:
    """The ``limit`` of a list: 1 to :data:`MAX_LIMIT` items, ``API_PAGE_SIZE`` when left out;
    anything else is a 400 that says what is allowed."""
    text = request.args.get("limit", "")
    if text == "":
        return min(current_app.config["API_PAGE_SIZE"], MAX_LIMIT)
    if not LIMIT.fullmatch(text) or not 1 <= int(text) <= MAX_LIMIT:
        message = f"Phải là một số nguyên từ 1 đến {MAX_LIMIT}."
        raise BadRequest(f"Tham số limit không hợp lệ: hãy dùng một số nguyên từ 1 đến "
                         f"{MAX_LIMIT}.", {"limit": [message]})
    return int(text)


def no_store(body, status: int = 200):
    """An answer holding personal data: no cache of the browser or of a proxy keeps a copy."""
    return body, status, {"Cache-Control": "no-store"}


def token_id():
    token = g.get("api_token")
    return token.id if token is not None else None
