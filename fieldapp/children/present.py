"""What a user may see of a child: restricted groups become "hạn chế" for every role that may
not see them (DOMAIN §4), in pages, JSON and exports alike, and support records stay clear of
what that masking hides."""

from datetime import date
from typing import NamedTuple

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import Child, Circumstance
from fieldapp.children.services import is_over_age

MASKED = {"code": None, "label": catalogue.RESTRICTED_LABEL, "block": None, "details": [],
          "note": "", "masked": True}


def circumstance(c: Circumstance, user) -> dict:
    """One membership as the user may see it (dates always; code, label, detail if allowed)."""
    base = {"id": str(c.id), "since": c.since, "until": c.until,
            "open": c.until is None or c.until >= date.today()}
    if catalogue.is_restricted(c.code) and not access.sees_restricted(user):
        return {**base, **MASKED}
    item = catalogue.get("circumstance", c.code)
    detail = c.detail or {}
    details = [catalogue.label(name, detail[name])
               for name in catalogue.DETAIL_LISTS.get(c.code, ()) if detail.get(name)]
    return {**base, "code": c.code, "label": item.label if item else c.code,
            "block": catalogue.BLOCK_LABELS.get(item.block) if item else None,
            "details": details, "note": c.note, "masked": False}


def circumstances(child: Child, user, *, open_only: bool = False) -> list[dict]:
    rows = [circumstance(c, user) for c in child.circumstances]
    return [row for row in rows if row["open"]] if open_only else rows


class Support(NamedTuple):
    """A support record as a user may see it (the note empty when it may not be shown)."""

    id: object
    form: str
    given_on: date
    provider: str
    amount_vnd: int | None
    note: str


def supports(child: Child, user) -> list[Support]:
    """The child's support records as ``user`` may see them (``None``: as printed for anyone).

    A role that may not see the restricted groups sees no note (free text can say what the
    masking hides: "hỗ trợ vụ xâm hại tình dục" beside a masked DB12) and, for a child who is
    or was in a restricted group, no support at all: no record says which group a support
    answered, so any of them may be that group's.
    """
    rows = [Support(s.id, s.form, s.given_on, s.provider or "", s.amount_vnd, s.note or "")
            for s in child.support]
    if user is not None and access.sees_restricted(user):
        return rows
    if any(catalogue.is_restricted(c.code) for c in child.circumstances):
        return []
    return [row._replace(note="") for row in rows]


def status(child: Child) -> str:
    if child.closed_on is not None:
        return "closed"
    return "over_age" if is_over_age(child) else "active"


STATUS_LABELS = {"active": "Đang quản lý", "over_age": "Đã đủ 16 tuổi", "closed": "Đã đóng"}


def age(born: date, on: date | None = None) -> int:
    on = on or date.today()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
