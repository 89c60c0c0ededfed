"""Domain errors and how they are answered: an HTML page, an htmx fragment or a JSON problem."""

import secrets
import traceback
from pathlib import Path

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from fieldapp.db import DatabaseUnavailable, read_only
from fieldapp.extensions import db

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được phép",
    409: "Xung đột",
    413: "Dữ liệu quá lớn",
    422: "Dữ liệu chưa hợp lệ",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
    503: "Máy chủ tạm thời chưa phục vụ được",
}


DETAILS = {
    413: "Dữ liệu gửi lên quá lớn.",
    405: "Địa chỉ này không nhận phương thức đó.",
    404: "Không tìm thấy địa chỉ này.",
}

FALLBACK = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>{title}</title>'
    "<h1>{title}</h1><p>{detail}</p></html>"
)


class DomainError(Exception):
    """Raised by services; carries an HTTP status and a Vietnamese message."""

    status = 400
    code: str | None = None  # a stable machine-readable reason, for the API's clients

    def __init__(self, detail: str = "", errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class BadRequest(DomainError):
    status = 400


class Unauthenticated(DomainError):
    """No valid login session or bearer token (the API answers 401, never a redirect)."""

    status = 401


class TooLarge(DomainError):
    status = 413


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class RoleRefused(Forbidden):
    """The caller's role may not do this."""

    code = "role"


class PasswordChangeRequired(Forbidden):
    """The account must change its one-time password (on the web page) first."""

    code = "password"


class AccountLocked(Forbidden):
    """A deactivated account: told so (403), not asked to log in again (401), so that a phone
    can say why the server refuses its outbox."""

    code = "inactive"


class ValidationFailed(DomainError):
    """Field errors: ``{"field": ["message", ...]}`` in Vietnamese."""

    status = 422


class Conflict(DomainError):
    status = 409


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str = "", errors: dict | None = None, code: str | None = None,
            error_id: str | None = None):
    """A JSON problem (RFC 9457): ``title``, ``detail``, ``errors`` and, when set, ``code``
    and ``error_id``."""
    body = {"title": TITLES.get(status, "Lỗi"), "detail": detail, "errors": errors or {}}
    if code:
        body["code"] = code
    if error_id:
        body["error_id"] = error_id
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="fieldapp"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer(status: int, detail: str = "", errors: dict | None = None, code: str | None = None,
            error_id: str | None = None):
    if wants_json():
        return problem(status, detail, errors, code, error_id)
    title = TITLES.get(status, "Lỗi")
    try:
        html = render_template("errors/error.html", status=status, title=title, detail=detail,
                               error_id=error_id)
        return html, status
    except Exception as error:  # noqa: BLE001 - e.g. the database is down: still answer
        current_app.logger.error("error page could not be rendered: %s", _kind(error))
        shown = detail or "Vui lòng thử lại sau ít phút."
        return FALLBACK.format(title=title, detail=escape(shown)), status


def _kind(error: BaseException) -> str:
    """The exception's type and where it was raised in the app: never its message, which may
    hold personal data (a value of a statement, of a form, of a record)."""
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    app_root = Path(__file__).resolve().parent
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if Path(f.filename).resolve().is_relative_to(app_root)]
    if frames:
        where = Path(frames[-1].filename).resolve().relative_to(app_root.parent)
        kind += f" at {where}:{frames[-1].lineno} in {frames[-1].name}"
    return kind


def _unexpected(error: Exception):
    """One log line (an id, the route, the exception's type; no message, no traceback, no
    URL: a query string or a statement may hold a name), and the same id on the answer."""
    error_id = secrets.token_hex(4)
    rule = request.url_rule.rule if request.url_rule is not None else "?"
    current_app.logger.error("error %s on %s %s: %s", error_id, request.method, rule,
                             _kind(error))
    try:
        db.session.rollback()  # the page below may read (the user): not in a failed transaction
    except Exception:  # noqa: BLE001 - the answer matters more than the rollback
        pass
    detail = f"Đã có lỗi xảy ra (mã lỗi {error_id}). Dữ liệu của bạn không bị mất; vui lòng " \
             "thử lại sau ít phút; nếu lỗi lặp lại, hãy báo mã lỗi này cho người quản trị."
    return _answer(500, detail, error_id=error_id)


# Why the database could not take the request, and when to ask again (seconds): a lock passes
# in seconds; a full disk waits for someone to free space.
UNAVAILABLE = {
    "busy": ("Cơ sở dữ liệu đang bận nên chưa lưu được. Dữ liệu của bạn chưa bị mất; "
             "hãy thử lại sau ít phút.", 10),
    "full": ("Máy chủ đã hết chỗ lưu trữ nên chưa lưu được. Dữ liệu của bạn chưa bị mất; "
             "hãy báo cán bộ kỹ thuật và thử lại sau.", 300),
}


def register_unavailable(app: Flask) -> None:
    """The database locked too long or its disk full: 503 with ``Retry-After``, never a 500.
    Nothing was stored (the transaction is rolled back), so the client may simply retry."""

    @app.errorhandler(DatabaseUnavailable)
    def on_unavailable(error: DatabaseUnavailable):
        detail, retry = UNAVAILABLE[error.reason]
        app.logger.warning("database unavailable (%s) on %s %s", error.reason, request.method,
                           request.endpoint)
        db.session.rollback()
        try:
            with read_only(db.session):  # the page's own reads must not wait for the lock
                response = make_response(_answer(503, detail))
        except Exception:  # noqa: BLE001 - the database refuses even that: answer all the same
            response = make_response(_answer(503, detail) if wants_json()
                                     else (FALLBACK.format(title=TITLES[503],
                                                           detail=escape(detail)), 503))
        response.headers["Retry-After"] = str(retry)
        response.headers["Cache-Control"] = "no-store"
        return response


def register_errorhandlers(app: Flask) -> None:
    register_unavailable(app)

    @app.errorhandler(DomainError)
    def on_domain_error(error: DomainError):
        return _answer(error.status, error.detail, error.errors, error.code)

    @app.errorhandler(CSRFError)
    def on_csrf_error(error: CSRFError):
        if wants_json():
            return problem(403, "Mã chống giả mạo (CSRF) không hợp lệ: hãy lấy mã mới.",
                           code="csrf")
        return _answer(400, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # werkzeug's English descriptions are not shown: the page speaks Vietnamese only.
        response = make_response(
            _answer(error.code, DETAILS.get(error.code, "") if wants_json() else ""))
        if getattr(error, "valid_methods", None):  # a 405 says what the address takes
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):
        return _unexpected(error)
