"""What a user may see of a child: restricted groups become "hạn chế" for every role that may
not see them (DOMAIN §4), in pages, JSON and exports alike."""

from datetime import date

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


def status(child: Child) -> str:
    if child.closed_on is not None:
        return "closed"
    return "over_age" if is_over_age(child) else "active"


STATUS_LABELS = {"active": "Đang quản lý", "over_age": "Đã đủ 16 tuổi", "closed": "Đã đóng"}


def age(born: date, on: date | None = None) -> int:
    on = on or date.today()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
