"""Two register records of one child: merged into one, or marked "không phải cùng một trẻ".

A merge keeps one record and closes the other as "merged" (``merged_into`` the kept one). The
officer chooses, field by field, whose value the kept record takes (the caregivers as one
block); the other's circumstances and support are copied where the kept one lacks them. The
kept record changes through the register's services (``revise_child``: one version, one
history entry with a note naming the merged record); its page shows the merged records'
history too (:func:`joined_history`). Services flush; the view commits.
"""

from datetime import date

from sqlalchemy import select

from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children import services as register
from fieldapp.children.models import Child, ChildChange
from fieldapp.children.services import Source, is_over_age
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.quality.models import NotDuplicate

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
        return f"{child.date_of_birth:%d/%m/%Y}"
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
                f"{child.full_name} đã đủ 16 tuổi, hồ sơ chỉ xem được, không gộp được.")
    if kept.commune_code != other.commune_code:
        raise ValidationFailed("Hai hồ sơ thuộc hai xã khác nhau, không gộp được.")


def merge_children(actor, kept: Child, other: Child, take: set[str],
                   *, today: date | None = None) -> list[dict]:
    """Merge ``other`` into ``kept``; returns the kept record's changes.

    :param take: the fields (keys of :data:`FIELDS`) whose value comes from ``other``.
    """
    check_mergeable(kept, other)
    unknown = set(take) - FIELDS.keys()
    if unknown:
        raise ValidationFailed("Có trường không gộp được.", {key: ["Không rõ trường này."]
                                                              for key in sorted(unknown)})
    today = today or date.today()
    note = f"Gộp hồ sơ {other.full_name} (sinh {other.date_of_birth:%d/%m/%Y}) vào hồ sơ này"
    source = Source("officer_edit", ref=str(other.id), note=note)
    changes = register.revise_child(actor, kept, _record(kept, other, set(take)), source=source,
                           capture_date=today)
    if not changes:  # nothing new, still one version: the history says the merge happened
        register.record_version(actor, kept, source)
    register.close_child(actor, other, "merged", today, "Trùng, đã gộp vào hồ sơ giữ lại.",
                         source=Source("officer_edit", ref=str(kept.id),
                                       note="Gộp vào hồ sơ khác"), merged_into=kept)
    audit(actor, "children_merged", "child", kept.id, commune_code=kept.commune_code,
          detail={"merged": str(other.id), "version": kept.version, "taken": sorted(take)})
    return changes


def _record(kept: Child, other: Child, take: set[str]) -> dict:
    """The kept record as ``revise_child`` takes it: chosen fields, the chosen caregivers,
    the kept rows as they are (by id) and the other's rows it lacks (new)."""
    def source(key: str) -> Child:
        return other if key in take else kept

    child = {attr: getattr(source(key), attr) for key, (_, attr) in FIELDS.items()
             if attr and key != "household"}
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


def dismiss_pair(actor, a: Child, b: Child) -> NotDuplicate:
    """"Không phải cùng một trẻ": the pair stops appearing among the probable duplicates."""
    if a.id == b.id:
        raise ValidationFailed("Hai hồ sơ là một, không cần đánh dấu.")
    first, second = sorted((a.id, b.id))
    found = db.session.scalars(select(NotDuplicate).where(
        NotDuplicate.child_a_id == first, NotDuplicate.child_b_id == second)).first()
    if found is None:
        found = NotDuplicate(child_a_id=first, child_b_id=second, commune_code=a.commune_code,
                             decided_by_id=actor.id)
        db.session.add(found)
        db.session.flush()
        audit(actor, "duplicate_dismissed", "child", first, commune_code=a.commune_code,
              detail={"other": str(second)})
    return found


def merged_records(child: Child) -> list[Child]:
    """The records merged into ``child``, and those merged into them, oldest merge first."""
    found, seen, frontier = [], {child.id}, [child.id]
    while frontier:
        rows = [row for row in db.session.scalars(
            select(Child).where(Child.merged_into_id.in_(frontier))
            .order_by(Child.closed_on, Child.id)) if row.id not in seen]
        seen.update(row.id for row in rows)
        found += rows
        frontier = [row.id for row in rows]
    return found


def joined_history(child: Child, merged: list[Child], limit: int = 50) -> list[ChildChange]:
    """The change history of ``child`` and of the records merged into it, newest first."""
    ids = [child.id, *(row.id for row in merged)]
    return list(db.session.scalars(select(ChildChange).where(ChildChange.child_id.in_(ids))
                                   .order_by(ChildChange.id.desc()).limit(limit)))
