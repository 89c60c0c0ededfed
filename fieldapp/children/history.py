"""The change history as the officer reads it: each field by its name and each value in
words (labels for codes, dd/mm/yyyy for dates, villages by name), not the register's paths
and codes that ``ChildChange.changes`` keeps."""

import re
from datetime import date

from fieldapp import clock
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record
from fieldapp.children.models import CLOSE_REASONS

# The history keeps the register's names (``record.flat``); the record's fields, theirs.
FIELD_OF = {
    "child.village_code": "child.village", "child.household_id": "household.id",
    "child.closed_on": "closure.date", "child.closed_reason": "closure.reason",
    "child.closed_note": "closure.note", "support.form": "supports.code",
    "support.given_on": "supports.date", "support.provider": "supports.provider",
    "support.amount_vnd": "supports.amount", "support.note": "supports.note",
}
MORE_NAMES = {"circumstances.confirmed_on": "Ngày xác nhận lại"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _field(path: str) -> tuple[str, int | None]:
    """``support.0.form`` → (``supports.code``, 1): the record's field and the row's number."""
    parts = path.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        generic = f"{parts[0]}.{parts[2]}"
        return FIELD_OF.get(generic, generic), int(parts[1]) + 1
    return FIELD_OF.get(path, path), None


def name(path: str) -> str:
    """``support.0.form`` → "Trợ giúp 1: Hình thức"."""
    field, row = _field(path)
    found = record.BY_PATH.get(field)
    text = found.label if found else MORE_NAMES.get(field, path)
    if row is None:
        return text
    section = field.split(".")[0]
    return f"{record.ROWS.get(section, section)} {row}: {text}"


def value(path: str, raw, places: dict | None = None) -> str:
    """A value of ``path`` in words ("—" for none); ``places``: village codes and household
    ids → their names."""
    if raw is None or raw == "":
        return "—"
    field, _ = _field(path)
    found = record.BY_PATH.get(field)
    if field == "circumstances.code":
        return f"{raw} · {catalogue.label('circumstance', raw)}"
    if found and found.codes:
        return catalogue.label(found.codes, raw)
    if field == "closure.reason":
        return CLOSE_REASONS.get(raw, raw)
    if field in ("child.village", "household.id"):
        return (places or {}).get(raw, raw)
    if isinstance(raw, dict):
        return ", ".join(catalogue.label(key, item) for key, item in sorted(raw.items())
                         if item) or "—"
    if isinstance(raw, str) and ISO_DATE.fullmatch(raw):
        return clock.shown(date.fromisoformat(raw))
    if field == "supports.amount" and isinstance(raw, int):
        return f"{raw:,}".replace(",", ".")
    return str(raw)
