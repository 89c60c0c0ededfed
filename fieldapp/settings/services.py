"""The declared settings, their values in force and their change (issue 14 §1.5).

A setting is declared once in :data:`DECLARED` (key, Vietnamese label and help, type, default,
allowed range); adding one is one entry there. The table holds only values changed from the
default. :func:`value` answers the typed value: within a request from one read of the table
kept on ``flask.g`` (SQL builders call it for every query), outside one (CLI, tests) from the
database each time. Services flush; the view commits.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import g, has_app_context, has_request_context
from sqlalchemy import select

from fieldapp.audit.services import record as audit
from fieldapp.db import utcnow
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.settings.models import Setting


@dataclass(frozen=True)
class Declared:
    """One setting: a whole number between ``low`` and ``high`` (the only kind needed yet)."""

    key: str
    label: str
    help: str
    default: int
    low: int
    high: int
    unit: str = ""

    def parse(self, raw) -> int:
        """The typed value of ``raw`` (form text or stored JSON); ValueError in Vietnamese."""
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise ValueError(f"{self.label}: vui lòng nhập.")
        if isinstance(raw, bool) or not (text.isascii() and text.isdigit()):
            raise ValueError(f"{self.label}: nhập một số nguyên.")
        number = int(text)
        if not self.low <= number <= self.high:
            raise ValueError(f"{self.label}: từ {self.low} đến {self.high}"
                             f"{' ' + self.unit if self.unit else ''}.")
        return number


DECLARED = (
    Declared("age_limit", "Độ tuổi của trẻ em",
             "Luật Trẻ em 2016: trẻ em là người dưới 16 tuổi (hoặc theo quy định đang có hiệu "
             "lực). Đủ số tuổi này, hồ sơ rời các danh sách đang quản lý và gói dữ liệu trên "
             "điện thoại; phiếu thu thập của trẻ đã đủ tuổi bị từ chối.", 16, 16, 18, "tuổi"),
    Declared("review_months", "Chu kỳ rà soát định kỳ",
             "Quyết định 3978/QĐ-BYT: rà soát định kỳ 6 tháng một lần. Nhóm hoàn cảnh hoặc trợ "
             "giúp thường xuyên không được xác nhận lại trong số tháng này vào danh sách "
             "“cần rà soát”.", 6, 1, 24, "tháng"),
    Declared("recheck_percent", "Tỷ lệ phúc tra mặc định",
             "Tỷ lệ hồ sơ chọn ngẫu nhiên để phúc tra, điền sẵn ở trang phúc tra (cán bộ vẫn "
             "sửa được mỗi lần chọn mẫu).", 10, 1, 100, "%"),
)
BY_KEY = {item.key: item for item in DECLARED}


@dataclass(frozen=True)
class InForce:
    """A setting as the page shows it: its value and who changed it, when (None: default)."""

    declared: Declared
    value: int
    updated_by_id: int | None
    updated_at: datetime | None


def _stored() -> dict[str, Setting]:
    return {row.key: row for row in db.session.scalars(select(Setting))}


def _typed(item: Declared, row: Setting | None) -> int:
    if row is None:
        return item.default
    try:
        return item.parse(row.value)
    except ValueError:  # a value the rules no longer allow (edited by hand): the default
        return item.default


def value(key: str) -> int:
    """The value in force of the setting ``key`` (KeyError for an undeclared one)."""
    item = BY_KEY[key]
    if has_request_context():
        cached = g.get("settings")
        if cached is None:
            stored = _stored()
            cached = g.settings = {i.key: _typed(i, stored.get(i.key)) for i in DECLARED}
        return cached[key]
    return _typed(item, db.session.get(Setting, key))


def in_force() -> list[InForce]:
    """Every declared setting with its value in force, in the declared order."""
    stored = _stored()
    return [InForce(item, _typed(item, stored.get(item.key)),
                    getattr(stored.get(item.key), "updated_by_id", None),
                    getattr(stored.get(item.key), "updated_at", None)) for item in DECLARED]


def change_settings(actor, raw: dict[str, object]) -> list[str]:
    """Set the settings given in ``raw`` (key → form text), all or none: every value is checked
    first (ValidationFailed with a Vietnamese message per key). Each value that changes is
    stored with who and when and audited (``setting_changed``, old and new). Returns the keys
    that changed."""
    from fieldapp import access  # here: access loads the register's models, which use value()

    access.require(actor, "settings.manage")
    errors, wanted = {}, {}
    for key, text in raw.items():
        if key not in BY_KEY:
            errors[key] = ["Không có cài đặt này."]
            continue
        try:
            wanted[key] = BY_KEY[key].parse(text)
        except ValueError as problem:
            errors[key] = [str(problem)]
    if errors:
        raise ValidationFailed("Cài đặt chưa hợp lệ.", errors)
    stored = _stored()
    changed = []
    for key, new in wanted.items():
        old = _typed(BY_KEY[key], stored.get(key))
        if new == old:
            continue
        row = stored.get(key) or Setting(key=key)
        row.value, row.updated_by_id, row.updated_at = new, actor.id, utcnow()
        db.session.add(row)
        changed.append(key)
        audit(actor, "setting_changed", "setting", key, detail={"old": old, "new": new})
    db.session.flush()
    if has_app_context():
        g.pop("settings", None)  # the rest of this request reads the new values
    return changed
