"""Vietnamese names for a snapshot path, and a value as a person reads it."""

from fieldapp import clock, text
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children.models import CLOSE_REASONS
from fieldapp.children.validators import parse_date

# Labels and code lists come from the record's one table of fields (``children.record``).
NAMES = {f.path: f.label for f in child_record.FIELDS if f.path.split(".")[0] not in
         child_record.ROWS}
ROW_NAMES = {
    section: (row, {f.path.split(".")[1]: f.label for f in child_record.FIELDS
                    if f.path.split(".")[0] == section})
    for section, row in child_record.ROWS.items()
}
LISTS = {f.path: f.codes for f in child_record.FIELDS if f.codes}
DATES = {"child.date_of_birth", "child.school_left_on", "closure.date", "circumstances.since",
         "circumstances.until", "supports.date"}


def _generic(path: str) -> str:
    """``caregivers.0.phone`` → ``caregivers.phone``."""
    parts = path.split(".")
    return f"{parts[0]}.{parts[2]}" if len(parts) == 3 and parts[1].isdigit() else path


def name(path: str) -> str:
    if path in NAMES:
        return NAMES[path]
    parts = path.split(".")
    if len(parts) == 3 and parts[0] in ROW_NAMES:
        row, fields = ROW_NAMES[parts[0]]
        return f"{row} {int(parts[1]) + 1}: {fields.get(parts[2], parts[2])}"
    return path


def shown(path: str, value, places: dict | None = None) -> str:
    """``value`` of ``path`` for a person: labels for codes, dd/mm/yyyy for dates, names of
    villages and households (``places``: their codes and ids → names)."""
    places = places or {}
    if path == "household.id":
        return places.get(value, "Hộ đã có trong sổ") if value else "Hộ mới"
    if path in ("child.village", "household.village") and value:
        return places.get(value, value)
    if value is None:
        return "—"
    generic = _generic(path)
    if generic in LISTS:
        return f"{catalogue.label(LISTS[generic], value)}"
    if generic in DATES:
        day = parse_date(value)
        return clock.shown(day) if day else str(value)
    if generic == "circumstances.detail":
        return ", ".join(catalogue.label(key, item) for key, item in sorted(value.items()) if item)
    if path == "closure.reason":
        return CLOSE_REASONS.get(value, value)
    if generic == "supports.amount":
        return text.number(int(value))
    return str(value)

