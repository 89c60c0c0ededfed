"""The periodic review (rà soát định kỳ, issue 14 §1.4): every review period each open group
membership and ongoing support of a child is confirmed ("Còn") or ended ("Không còn").
Reached through ``children.services``; the writer is the register's (``_changes``)."""

from datetime import date

from fieldapp.children import _rules as rules
from fieldapp.children import record as child_record
from fieldapp.children._changes import Source, changed, writable
from fieldapp.children.models import ONGOING_SUPPORT, Child, Circumstance, SupportRecord
from fieldapp.errors import ValidationFailed


def _open_rows(child: Child, on: date) -> dict[str, Circumstance | SupportRecord]:
    """The child's open group memberships and open ongoing support on ``on``, by id."""
    rows = [c for c in child.circumstances
            if c.since <= on and (c.until is None or c.until >= on)]
    rows += [s for s in child.support if s.form in ONGOING_SUPPORT
             and s.given_on <= on and (s.until is None or s.until >= on)]
    return {str(row.id): row for row in rows}


def confirm_circumstances(actor, child: Child, on: date, *, source: Source) -> list[dict]:
    """The officer confirmed the child's open group memberships and ongoing support on ``on``:
    one new version (none if they were confirmed that day already). Returns the changes."""
    writable(actor, child, source)
    current = _open_rows(child, on)
    if not current:
        raise ValidationFailed("Trẻ không có hoàn cảnh nào đang mở để xác nhận.",
                               {"child": ["Không có hoàn cảnh cần rà soát."]})
    before = child_record.flat(child)
    for row in current.values():
        row.confirmed_on = on
    return changed(actor, child, before, source)


def review_memberships(actor, child: Child, decisions: dict[str, date | None], on: date,
                       *, source: Source) -> list[dict]:
    """The periodic review of one child, item by item: each open membership or ongoing
    support named in ``decisions`` (by row id) is confirmed on ``on`` (value ``None``: "Còn")
    or ended on the date given ("Không còn", also counted as reviewed on ``on``). Items not
    named are left as they are. All or nothing: a wrong item refuses the whole review, with a
    Vietnamese message keyed by the row id. One new version, one history entry."""
    writable(actor, child, source)
    current = _open_rows(child, on)
    errors: dict[str, list[str]] = {}
    if not decisions:
        errors["child"] = ["Chưa chọn Còn hoặc Không còn cho mục nào."]
    for key, until in decisions.items():
        row = current.get(str(key))
        start = getattr(row, "since", None) or getattr(row, "given_on", None)
        if row is None:
            errors[str(key)] = ["Mục này không còn mở hoặc không thuộc hồ sơ trẻ."]
        elif until is not None and getattr(row, "code", None) == rules.FOLLOWS_HOUSEHOLD:
            errors[str(key)] = [rules.NOT_BY_HAND]
        elif until is not None and not start <= until <= on:
            errors[str(key)] = [f"Ngày kết thúc phải từ {start:%d/%m/%Y} đến {on:%d/%m/%Y}."]
    if errors:
        raise ValidationFailed("Chưa lưu được kết quả rà soát.", errors)
    before = child_record.flat(child)
    for key, until in decisions.items():
        row = current[str(key)]
        row.confirmed_on = on
        if until is not None:
            row.until = until
    return changed(actor, child, before, source)
