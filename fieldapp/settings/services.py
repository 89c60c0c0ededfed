"""The declared settings, their values in force and their change (issue 14 §1.5, issue 15 §2).

A setting is declared once in :data:`DECLARED` (``settings/declared.py``); adding one is one
entry there. The tables hold only values changed from the default: ``setting`` the national
ones, ``province_setting`` a province's own value of a setting declared per province.
:func:`value` answers the typed value: within a request from one read of the table kept on
``flask.g`` (SQL builders call it for every query), outside one (CLI, tests) from the
database each time. Services flush; the view commits.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import g, has_app_context, has_request_context
from sqlalchemy import select

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.db import utcnow
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Province
from fieldapp.settings.declared import (  # noqa: F401 (the feature's open names)
    BY_KEY,
    DECLARED,
    DUE_AFTER,
    NATIONAL_SETTINGS,
    PROVINCE,
    PROVINCE_SETTINGS,
    DayMonth,
    Declared,
    DeclaredDay,
)
from fieldapp.settings.models import CalendarDay, ProvinceSetting, Setting


@dataclass(frozen=True)
class InForce:
    """A setting as the page shows it: its value and who changed it, when (None: default)."""

    declared: Declared | DeclaredDay
    value: object
    updated_by_id: int | None
    updated_at: datetime | None


def _stored() -> dict[str, Setting]:
    return {row.key: row for row in db.session.scalars(select(Setting))}


def _province_stored(province_code: str) -> dict[str, ProvinceSetting]:
    return {row.key: row for row in db.session.scalars(
        select(ProvinceSetting).where(ProvinceSetting.province_code == province_code))}


def _typed(item, row):
    if row is None:
        return item.default
    try:
        return item.parse(row.value)
    except ValueError:  # a value the rules no longer allow (edited by hand): the default
        return item.default


def value(key: str, province: str | None = None):
    """The value in force of the setting ``key`` (KeyError for an undeclared one). A setting
    declared per province answers ``province``'s own value, else the default (also when no
    province is given); a national one ignores ``province``."""
    item = BY_KEY[key]
    if item.scope == PROVINCE:
        if province is None:
            return item.default
        return _province_values(province)[key]
    if has_request_context():
        cached = g.get("settings")
        if cached is None:
            stored = _stored()
            cached = g.settings = {i.key: _typed(i, stored.get(i.key)) for i in NATIONAL_SETTINGS}
        return cached[key]
    return _typed(item, db.session.get(Setting, key))


def _province_values(province: str) -> dict[str, object]:
    cache = g.setdefault("province_settings", {}) if has_request_context() else {}
    if province not in cache:
        stored = _province_stored(province)
        cache[province] = {i.key: _typed(i, stored.get(i.key)) for i in PROVINCE_SETTINGS}
    return cache[province]


def _rows(items, stored) -> list[InForce]:
    return [InForce(item, _typed(item, stored.get(item.key)),
                    getattr(stored.get(item.key), "updated_by_id", None),
                    getattr(stored.get(item.key), "updated_at", None)) for item in items]


def in_force() -> list[InForce]:
    """Every national setting with its value in force, in the declared order."""
    return _rows(NATIONAL_SETTINGS, _stored())


def province_in_force(province_code: str) -> list[InForce]:
    """Every setting declared per province with ``province_code``'s value in force."""
    return _rows(PROVINCE_SETTINGS, _province_stored(province_code))


def _parsed(items, raw: dict[str, object]) -> tuple[dict, dict]:
    by_key = {item.key: item for item in items}
    errors, wanted = {}, {}
    for key, text in raw.items():
        if key not in by_key:
            errors[key] = ["Không có cài đặt này."]
            continue
        try:
            wanted[key] = by_key[key].parse(text)
        except ValueError as problem:
            errors[key] = [str(problem)]
    return errors, wanted


def _forget_cache() -> None:
    if has_app_context():  # the rest of this request reads the new values
        g.pop("settings", None)
        g.pop("province_settings", None)


def change_settings(actor, raw: dict[str, object]) -> list[str]:
    """Set the national settings given in ``raw`` (key → form text), all or none: every value
    is checked first (ValidationFailed with a Vietnamese message per key). Each value that
    changes is stored with who and when and audited (``setting_changed``, old and new).
    Returns the keys that changed."""
    from fieldapp import access  # here: access loads the register's models, which use value()

    access.require(actor, "settings.manage")
    errors, wanted = _parsed(NATIONAL_SETTINGS, raw)
    if errors:
        raise ValidationFailed("Cài đặt chưa hợp lệ.", errors)
    return _store(actor, wanted, _stored(), lambda key: Setting(key=key))


def change_province_settings(actor, province_code: str, raw: dict[str, object]) -> list[str]:
    """Set ``province_code``'s own values of the settings declared per province, all or none,
    like :func:`change_settings`; a due date must fall after its cut-off in the same year
    (the message is the due date's). Only a value that changes is stored, audited
    ``setting_changed`` with the province in the detail."""
    from fieldapp import access

    access.require(actor, "settings.manage")
    if db.session.get(Province, province_code or "") is None:
        raise ValidationFailed("Cài đặt chưa hợp lệ.", {"province": ["Không có tỉnh này."]})
    errors, wanted = _parsed(PROVINCE_SETTINGS, raw)
    stored = _province_stored(province_code)
    after = {i.key: wanted.get(i.key, _typed(i, stored.get(i.key))) for i in PROVINCE_SETTINGS}
    for due, cutoff in DUE_AFTER.items():
        if due not in errors and cutoff not in errors and not _follows(after[due], after[cutoff]):
            errors[due] = [f"{BY_KEY[due].label}: phải sau ngày tính số liệu "
                           f"({after[cutoff]}) trong cùng năm."]
    if errors:
        raise ValidationFailed("Cài đặt chưa hợp lệ.", errors)
    return _store(actor, wanted, stored,
                  lambda key: ProvinceSetting(key=key, province_code=province_code),
                  {"province": province_code})


def _store(actor, wanted: dict, stored: dict, new_row, where: dict | None = None) -> list[str]:
    """Store each wanted value that differs from the one in force (a whole number as it is,
    a day as its text), with who and when, audited ``setting_changed``; the keys changed."""
    changed = []
    for key, new in wanted.items():
        old = _typed(BY_KEY[key], stored.get(key))
        if new == old:
            continue
        row = stored.get(key) or new_row(key)
        row.value, row.updated_by_id, row.updated_at = _plain(new), actor.id, utcnow()
        db.session.add(row)
        changed.append(key)
        audit(actor, "setting_changed", "setting", key,
              detail={**(where or {}), "old": _plain(old), "new": _plain(new)})
    db.session.flush()
    _forget_cache()
    return changed


def _plain(value):
    return value if isinstance(value, int) else str(value)


def _follows(due: DayMonth, cutoff: DayMonth) -> bool:
    """Later in a leap year and in a year without 29/02 (28/02 then 29/02 is not)."""
    return all(due.in_year(year) > cutoff.in_year(year) for year in (2027, 2028))


def calendar_days(start: date | None = None) -> list[CalendarDay]:
    """The days the admin declared (from ``start``), in order."""
    query = select(CalendarDay).order_by(CalendarDay.day)
    if start is not None:
        query = query.where(CalendarDay.day >= start)
    return list(db.session.scalars(query))


def declare_day(actor, day: date, working: bool, note: str = "") -> CalendarDay:
    """The government's word on ``day`` (a day off, or a Saturday worked in exchange), before
    the ``holidays`` library's (``fieldapp.workdays``); audited ``calendar_day_changed``."""
    access.require(actor, "settings.manage")
    note = " ".join(str(note or "").split())
    if len(note) > 200:
        raise ValidationFailed("Ghi chú dài quá 200 ký tự.", {"note": ["Tối đa 200 ký tự."]})
    row = db.session.get(CalendarDay, day)
    before = None if row is None else row.working
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.working, row.note, row.updated_by_id, row.updated_at = working, note, actor.id, utcnow()
    db.session.flush()
    audit(actor, "calendar_day_changed", "calendar_day", day.isoformat(),
          detail={"old": before, "new": working})
    return row


def forget_day(actor, day: date) -> None:
    """Back to the library's word on ``day``."""
    access.require(actor, "settings.manage")
    row = db.session.get(CalendarDay, day)
    if row is not None:
        audit(actor, "calendar_day_changed", "calendar_day", day.isoformat(),
              detail={"old": row.working, "new": None})
        db.session.delete(row)
        db.session.flush()
