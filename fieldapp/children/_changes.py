"""How a change to a register child is written: who may write, the record's fields set on
the model, and then one new version with its history entry and audit entry.

Private to ``children``: the register's services (``children.services``) are the only
callers; other features write through those services, never through this module.
"""

from datetime import date

from fieldapp import access, roles
from fieldapp.audit.services import record as audit
from fieldapp.children import record as child_record
from fieldapp.children.models import Caregiver, Child, ChildChange, SupportRecord
from fieldapp.children.search import fold
from fieldapp.children.validators import Result, age_limit, sixteenth_birthday
from fieldapp.db import utcnow
from fieldapp.errors import Forbidden, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village


class Source:
    """Through what a change came, and its reference (a submission id, a batch id)."""

    def __init__(self, kind: str = "officer_edit", ref: str | None = None, note=None):
        self.kind, self.ref, self.note = kind, ref, note


OFFICER_EDIT = Source()


def refuse(result: Result) -> None:
    if result.errors:
        raise ValidationFailed("Hồ sơ trẻ em chưa hợp lệ.", result.errors)


def village_of(actor, code: str | None, path: str) -> Village:
    try:
        village = access.get_or_404(Village, code, actor)
    except NotFound:
        village = None
    if village is None or not village.active:
        raise ValidationFailed(errors={path: ["Thôn/bản không thuộc địa bàn của bạn."]})
    return village


def allowed(actor, source: Source) -> None:
    """Officer edits and approvals need the commune officer; police verification the police."""
    if actor is None and source.kind == "system":
        return
    if source.kind == "police":
        if getattr(actor, "role", None) != roles.POLICE:
            raise Forbidden("Chỉ công an xã ghi kết quả xác thực.")
        return
    access.require(actor, "children.edit")


def writable(actor, child: Child, source: Source) -> None:
    allowed(actor, source)
    if child.closed_on is not None:
        raise ValidationFailed("Hồ sơ đã đóng, chỉ xem được.", {"child": ["Hồ sơ đã đóng."]})
    if is_over_age(child):
        limit = age_limit()
        raise ValidationFailed(f"Trẻ đã đủ {limit} tuổi, hồ sơ chỉ xem được.",
                               {"child": [f"Đã đủ {limit} tuổi."]})


def is_over_age(child: Child, on: date | None = None) -> bool:
    return sixteenth_birthday(child.date_of_birth) <= (on or date.today())


def apply_child(child: Child, clean: dict, village: Village) -> None:
    for name in ("personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code",
                 "nationality", "current_residence", "address", "schooling_status",
                 "school_left_level", "school_left_on"):
        setattr(child, name, clean[name])
    child.name_key = fold(clean["full_name"])
    child.village_code = village.code
    child.commune_code = village.commune_code
    child.province_code = village.commune.province_code


def replace_caregivers(child: Child, rows: list[dict]) -> None:
    """Update caregivers in place by position, so unchanged ones make no history."""
    for i, data in enumerate(rows):
        if i < len(child.caregivers):
            for name, value in data.items():
                setattr(child.caregivers[i], name, value)
        else:
            child.caregivers.append(Caregiver(position=i, **data))
    del child.caregivers[len(rows):]


def support_row(clean: dict) -> SupportRecord:
    data = dict(clean)
    data["given_on"] = data.pop("date")
    return SupportRecord(**data)


def changed(actor, child: Child, before: dict, source: Source) -> list[dict]:
    after = child_record.flat(child)
    changes = child_record.diff(before, after)
    if changes:
        child.version += 1  # one version per change, however many fields it touched
        child.updated_at = utcnow()
        db.session.flush()
        write_history(actor, child, before, source, changes)
        audit(actor, "child_updated", "child", child.id, commune_code=child.commune_code,
              detail={"source": source.kind, "version": child.version})
    return changes


def write_history(actor, child: Child, before: dict, source: Source,
                   changes: list[dict] | None = None) -> None:
    if changes is None:
        changes = child_record.diff(before, child_record.flat(child))
    db.session.add(ChildChange(
        child_id=child.id, version=child.version, user_id=getattr(actor, "id", None),
        username=getattr(actor, "username", "hệ thống"), source=source.kind,
        source_ref=source.ref, note=source.note, changes=changes,
    ))
