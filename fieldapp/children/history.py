"""The change history as the officer reads it: each field by its name and each value in
words (labels for codes, dd/mm/yyyy for dates, villages by name), not the register's paths
and codes that ``ChildChange.changes`` keeps."""

import re
from datetime import date

from fieldapp import clock, text
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record
from fieldapp.children.models import CLOSE_REASONS

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


name = record.flat_label  # ``support.0.form`` → "Trợ giúp 1 · Hình thức"


def value(path: str, raw, places: dict | None = None) -> str:
    """A value of ``path`` in words ("—" for none); ``places``: village codes and household
    ids → their names."""
    if raw is None or raw == "":
        return "—"
    found = record.flat_field(path)
    field = found.path if found else path
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
        return text.number(raw)
    return str(raw)
