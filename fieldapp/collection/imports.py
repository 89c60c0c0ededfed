"""The officer's import of a file of unsent items, saved from a phone that cannot sync.

The items keep their phone-made UUIDs, so importing a file twice, or the phone sending the
same items later, stores each item once (``duplicate`` the second time). Each item is judged
as if its author had sent it — their villages, the same rules — and the officer is recorded
as the one who imported it.
"""

from collections import Counter

from sqlalchemy import select

from fieldapp import roles, text
from fieldapp.auth.models import User
from fieldapp.collection.services import receive
from fieldapp.errors import DomainError
from fieldapp.extensions import db

MAX_BYTES = 5_000_000
MAX_ITEMS = 2000
FORMAT = "fieldapp-outbox"


class ImportRefused(DomainError):
    status = 422


def read_file(raw: bytes) -> dict:
    """The file's content, or :class:`ImportRefused` with a message for the officer."""
    if not raw:
        raise ImportRefused("Vui lòng chọn tệp phiếu (.json) được lưu từ điện thoại.")
    if len(raw) > MAX_BYTES:
        raise ImportRefused("Tệp quá lớn (tối đa 5 MB).")
    try:
        body = text.parse_json(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, text.Unreadable):
        raise ImportRefused("Tệp không đọc được: không phải tệp phiếu JSON.") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ImportRefused("Đây không phải tệp phiếu chưa gửi của ứng dụng thu thập.")
    items = body.get("submissions")
    if not isinstance(items, list):
        raise ImportRefused("Tệp không có danh sách phiếu.")
    if len(items) > MAX_ITEMS:
        raise ImportRefused(f"Tệp có quá nhiều phiếu (tối đa {MAX_ITEMS}).")
    return body


def author_of(officer: User, body: dict) -> User:
    """The field account the file belongs to, if it is one of this officer's commune."""
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    name = str(user.get("username") or "")
    if not text.storable(name):
        name = ""  # no account has such a name, and the database could not be asked for it
    author = db.session.scalars(select(User).where(User.username == name)).first()
    if (author is None or author.role not in roles.FIELD or str(author.id) != str(user.get("id"))
            or author.commune_code != officer.commune_code):
        raise ImportRefused("Tệp không thuộc tài khoản cộng tác viên hoặc trưởng thôn nào của xã.")
    return author


def import_outbox(officer: User, raw: bytes, address: str | None = None) -> dict:
    """Judge and store every item of the file; return the author and the per-item results."""
    body = read_file(raw)
    author = author_of(officer, body)
    items = body["submissions"]
    results = receive(author, items, imported_by=officer, address=address)
    labels = [_label(item) for item in items]
    statuses = [_status(result) for result in results]
    return {"author": author, "rows": list(zip(labels, results, statuses, strict=True)),
            "counts": Counter(statuses)}


def _status(result: dict) -> str:
    """What the officer is told of an item: its answer's status, except that a report of a
    child at risk just received is ``reported`` (its case is open, no review waits)."""
    receipt = result["receipt"] or {}
    if result["status"] == "accepted" and receipt.get("state") == "acknowledged":
        return "reported"
    return result["status"]


def _label(item) -> str:
    try:
        return text.shown(str(item["data"]["child"]["full_name"] or ""))
    except (KeyError, TypeError):
        return ""
