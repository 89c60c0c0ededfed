"""A child's record as flat field paths, and the difference between two such snapshots.

Paths are those the review and sync use: ``child.full_name``, ``caregivers.0.personal_id``,
``circumstances.1.until``, ``support.0.amount_vnd``.
"""

from datetime import date

CHILD_FIELDS = (
    "personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code", "nationality",
    "village_code", "current_residence", "address", "schooling_status", "household_id",
    "closed_on", "closed_reason", "closed_note",
)
CAREGIVER_FIELDS = ("relation", "full_name", "personal_id", "phone")
# Rows carry their id, so that an earlier version can be rebuilt row by row (review's
# base / current / proposed); the change log does not show ids (``ChildChange.shown``).
CIRCUMSTANCE_FIELDS = ("id", "code", "detail", "since", "until", "note", "confirmed_on")
SUPPORT_FIELDS = ("id", "form", "given_on", "provider", "amount_vnd", "note")


def plain(value):
    """A JSON-able form of a value (dates as ISO text, ids as text)."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in sorted(value.items())}
    return str(value)


def snapshot(child) -> dict:
    flat = {f"child.{name}": plain(getattr(child, name)) for name in CHILD_FIELDS}
    for prefix, rows, fields in (
        ("caregivers", child.caregivers, CAREGIVER_FIELDS),
        ("circumstances", child.circumstances, CIRCUMSTANCE_FIELDS),
        ("support", child.support, SUPPORT_FIELDS),
    ):
        for i, row in enumerate(rows):
            for name in fields:
                flat[f"{prefix}.{i}.{name}"] = plain(getattr(row, name))
    return flat


def diff(before: dict, after: dict) -> list[dict]:
    """``[{"field", "old", "new"}]`` for every path whose value differs, in path order."""
    paths = sorted(set(before) | set(after), key=_order)
    return [
        {"field": path, "old": before.get(path), "new": after.get(path)}
        for path in paths
        if before.get(path) != after.get(path)
    ]


def at_version(child, changes_since: list[list[dict]]) -> dict:
    """The child's snapshot as it was before ``changes_since`` (newest last) were made."""
    flat = snapshot(child)
    for changes in reversed(changes_since):
        for item in changes:
            if item["old"] is None:
                flat.pop(item["field"], None)
            else:
                flat[item["field"]] = item["old"]
    return flat


def _order(path: str):
    parts = path.split(".")
    return [int(part) if part.isdigit() else part for part in parts]
