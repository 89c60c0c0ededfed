"""A whole record applied to a register child at once: an approved field update.

Part of the register's services (``children.services``): the same rules, history and audit,
but everything a submission says (the child's fields, household, caregivers, circumstances,
support and a closure) becomes **one** version with one history entry.
"""

import uuid
from datetime import date

from fieldapp import access
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, Circumstance, Household
from fieldapp.children.services import (
    Source,
    _apply_child,
    _changed,
    _refuse,
    _replace_caregivers,
    _support,
    _village,
    _writable,
    create_household,
    update_household,
)
from fieldapp.children.validators import Result, clean_text, parse_date, validate_record
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.extensions import db

FIELD_CLOSE_REASONS = ("moved_away", "died")  # merged is the officer's, never the field's


def revise_child(actor, child: Child, record: dict, *, source: Source,
                 closure: dict | None = None, household_key: uuid.UUID | None = None,
                 capture_date: date | None = None,
                 validated: Result | None = None) -> list[dict]:
    """Apply ``record`` to ``child``; rows with an ``id`` change that row, rows without are
    added; rows the record does not name are left as they are. Returns the changes.

    :param record: ``child``, ``household`` (its fields) and ``household_id`` (existing) or
        none (a new household, made with ``household_key``), ``caregivers``,
        ``circumstances`` and ``support`` (each row may carry its ``id``).
    :param closure: ``{"reason": "moved_away" | "died", "date", "note"}`` to close the record.
    :param validated: ``validate_record(record)`` on ``capture_date``, when the caller has
        already judged the record (a review approval); judged here otherwise.
    """
    _writable(actor, child, source)
    day = capture_date or date.today()
    result = validated if validated is not None else validate_record(record, capture_date=day)
    _check_rows(child, record, result)
    closing = _closure(closure, child, day, result)
    _refuse(result)
    clean = result.clean
    before = child_record.flat(child)
    village = _village(actor, clean["child"]["village_code"], "child.village_code")
    child.household = _household(actor, record, clean, village, household_key)
    _apply_child(child, clean["child"], village)
    _replace_caregivers(child, clean["caregivers"])
    rows = {str(c.id): c for c in child.circumstances}
    for raw, data in zip(record.get("circumstances") or [], clean["circumstances"], strict=True):
        if raw.get("id"):
            for name, value in data.items():
                setattr(rows[str(raw["id"])], name, value)
        else:
            child.circumstances.append(Circumstance(**data))
    given = {str(s.id): s for s in child.support}
    for raw, data in zip(record.get("support") or [], clean["support"], strict=True):
        if raw.get("id"):
            row, new = given[str(raw["id"])], _support(data)
            for name in child_record.SUPPORT_FIELDS[1:]:
                setattr(row, name, getattr(new, name))
        else:
            child.support.append(_support(data))
    if closing:
        child.closed_on, child.closed_reason, child.closed_note = closing
    db.session.flush()
    return _changed(actor, child, before, source)


def _check_rows(child: Child, record: dict, result: Result) -> None:
    """Rows named by id must be this child's own."""
    for section, rows in (("circumstances", child.circumstances), ("support", child.support)):
        ids = {str(row.id) for row in rows}
        for i, raw in enumerate(record.get(section) or []):
            if raw.get("id") and str(raw["id"]) not in ids:
                result.error(f"{section}.{i}", "Dòng này không thuộc hồ sơ của trẻ.")


def _closure(closure: dict | None, child: Child, day: date, result: Result):
    if not closure or not closure.get("reason"):
        return None
    if closure["reason"] not in FIELD_CLOSE_REASONS:
        result.error("closure.reason", "Lý do đóng hồ sơ: chuyển đi hoặc đã mất.")
        return None
    on = parse_date(closure.get("date")) if closure.get("date") else day
    if on is None or on > date.today() or on < child.date_of_birth:
        result.error("closure.date", "Ngày chuyển đi/mất phải từ ngày sinh đến hôm nay.")
        return None
    return on, closure["reason"], clean_text(closure.get("note"))[:500] or None


def _household(actor, record: dict, clean: dict, village, key) -> Household:
    """The household named (its fields brought up to date), else a new one."""
    fields = dict(record.get("household") or {})
    if record.get("household_id"):
        try:
            household = access.get_or_404(Household, record["household_id"], actor)
        except NotFound:
            raise ValidationFailed(errors={"household_id": [
                "Hộ gia đình không thuộc địa bàn của bạn."]}) from None
        wanted = clean.get("household") or {}
        if any(wanted.get(name) not in (None, getattr(household, name))
               for name in ("head_name", "address", "poverty_status")):
            update_household(actor, household, fields)
        return household
    fields.setdefault("village_code", village.code)
    return create_household(actor, fields, key=key)

