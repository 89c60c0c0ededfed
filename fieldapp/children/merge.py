"""Two register records of one child, side by side: the fields an officer chooses between,
how each reads, and the kept record a merge writes.

The write itself is ``children.services.merge_children``; the merge page reads these through
``children.queries`` (other features import those two, never this module).
"""

from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children._changes import is_over_age
from fieldapp.children.models import Child
from fieldapp.children.validators import age_limit
from fieldapp.clock import shown
from fieldapp.errors import ValidationFailed

# The choices of the merge page: key → (label, the child's attribute; None for the block).
FIELDS = {
    "personal_id": (child_record.label("child.personal_id"), "personal_id"),
    "full_name": (child_record.label("child.full_name"), "full_name"),
    "sex": (child_record.label("child.sex"), "sex"),
    "date_of_birth": (child_record.label("child.date_of_birth"), "date_of_birth"),
    "ethnicity": (child_record.label("child.ethnicity_code"), "ethnicity_code"),
    "nationality": (child_record.label("child.nationality"), "nationality"),
    "village": (child_record.label("child.village"), "village_code"),
    "address": (child_record.label("child.address"), "address"),
    "residence": (child_record.label("child.current_residence"), "current_residence"),
    "schooling": (child_record.label("child.schooling_status"), "schooling_status"),
    "household": (child_record.label("household.id"), "household_id"),
    "caregivers": (child_record.ROWS["caregivers"], None),
}
LISTS = {"sex": "sex", "ethnicity": "ethnicity", "nationality": "nationality",
         "schooling": "schooling_status"}


def value(child: Child, key: str):
    """What is compared of a field (the caregivers: their rows, in order)."""
    if key == "caregivers":
        return [(c.relation, c.full_name, c.personal_id or None, c.phone or None)
                for c in child.caregivers]
    return getattr(child, FIELDS[key][1])


def display(child: Child, key: str) -> str:
    """A field as the officer reads it (Vietnamese labels, not codes)."""
    if key == "caregivers":
        return "; ".join(
            f"{catalogue.label('caregiver_relation', c.relation)}: {c.full_name}"
            + (f" ({c.personal_id})" if c.personal_id else "") for c in child.caregivers) or "—"
    if key == "household":
        home = child.household
        return ", ".join(part for part in (f"Chủ hộ {home.head_name}", home.address,
                                           home.village.name if home.village else "") if part)
    if key == "village":
        return child.village.name if child.village else child.village_code
    if key == "date_of_birth":
        return shown(child.date_of_birth)
    found = value(child, key)
    if key in LISTS:
        return catalogue.label(LISTS[key], found) if found else "—"
    return found or "—"


def differing(a: Child, b: Child) -> list[str]:
    """The fields whose values differ, in the order of :data:`FIELDS`."""
    return [key for key in FIELDS if value(a, key) != value(b, key)]


def check_mergeable(kept: Child, other: Child) -> None:
    """Refuse (in Vietnamese) a pair that cannot be merged: one record twice, a closed or
    over-age record, or records of two communes."""
    if kept.id == other.id:
        raise ValidationFailed("Không thể gộp một hồ sơ với chính nó.")
    for child in (kept, other):
        if child.closed_on is not None:
            raise ValidationFailed(f"Hồ sơ của {child.full_name} đã đóng, không gộp được.")
        if is_over_age(child):
            raise ValidationFailed(
                f"{child.full_name} đã đủ {age_limit()} tuổi, hồ sơ chỉ xem được, không gộp được.")
    if kept.commune_code != other.commune_code:
        raise ValidationFailed("Hai hồ sơ thuộc hai xã khác nhau, không gộp được.")


def merged_record(kept: Child, other: Child, take: set[str]) -> dict:
    """The kept record as ``revise_child`` takes it: chosen fields, the chosen caregivers,
    the kept rows as they are (by id) and the other's rows it lacks (new)."""
    def source(key: str) -> Child:
        return other if key in take else kept

    child = {attr: getattr(source(key), attr) for key, (_, attr) in FIELDS.items()
             if attr and key != "household"}
    for attr in ("school_left_level", "school_left_on"):  # a dropout's, with its status
        child[attr] = getattr(source("schooling"), attr)
    return {
        "child": child,
        "household_id": str(source("household").household_id),
        "caregivers": [{"relation": c.relation, "full_name": c.full_name,
                        "personal_id": c.personal_id, "phone": c.phone}
                       for c in source("caregivers").caregivers],
        "circumstances": [{"id": str(c.id), **_circumstance(c)} for c in kept.circumstances]
        + [_circumstance(c) for c in other.circumstances if not _has_circumstance(kept, c)],
        "support": [_support(s) for s in other.support if not _has_support(kept, s)],
    }


def _circumstance(c) -> dict:
    return {"code": c.code, "detail": dict(c.detail or {}), "since": c.since, "until": c.until,
            "note": c.note}


def _has_circumstance(child: Child, c) -> bool:
    """The same group from the same day, or the same group open in both."""
    return any(mine.code == c.code and (mine.since == c.since or (
        mine.until is None and c.until is None)) for mine in child.circumstances)


def _support(s) -> dict:
    return {"form": s.form, "date": s.given_on, "provider": s.provider,
            "amount_vnd": s.amount_vnd, "note": s.note}


def _has_support(child: Child, s) -> bool:
    return any((mine.form, mine.given_on, mine.amount_vnd) == (s.form, s.given_on, s.amount_vnd)
               for mine in child.support)
