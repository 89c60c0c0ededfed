"""A finished batch's results entering the register, through the register's services.

Each found child gets one version (``children.services.update_child``) with history source
``police`` and the batch as its reference, attributed to the police user who finished. The
register may have moved on since the list was sent: a field the officer changed meanwhile is
kept as the register has it (the police saw the old value), a closed or over-age record is
left alone, and each such case is reported — never an error page.
"""

from dataclasses import dataclass, field

from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.children.record import CHILD_FIELDS
from fieldapp.children.validators import age_limit
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.verification import identity
from fieldapp.verification.models import VerificationBatch, VerificationItem

FOUND = ("verified", "corrected")
REASONS = {
    "elsewhere": "trẻ không còn thuộc xã",
    "closed": "hồ sơ đã đóng",
    "over_age": "trẻ đã hết tuổi trẻ em",
    "changed": "trường đã được sửa trong sổ sau khi gửi thì giữ giá trị trong sổ",
    "invalid": "kết quả không còn khớp hồ sơ trong sổ",
}


@dataclass
class Applied:
    """What became of one item: ``state`` is ``applied``, ``unchanged`` (the register already
    says so), ``partly`` (some fields kept), ``skipped`` or ``not_found``."""

    item: VerificationItem
    state: str
    messages: list[str] = field(default_factory=list)
    reason: str | None = None  # a code of REASONS, kept in the audit log and shown


def apply_batch(actor, batch: VerificationBatch) -> list[Applied]:
    note = batch.title or f"Danh sách cần xác thực số {batch.number}"
    return [apply_item(actor, batch, item, note) for item in batch.items]


def apply_item(actor, batch: VerificationBatch, item: VerificationItem, note: str) -> Applied:
    if item.outcome not in FOUND:
        return Applied(item, "not_found")
    child = db.session.get(Child, item.child_id)
    if child is None or child.commune_code != batch.commune_code:
        return Applied(item, "skipped", ["Trẻ không còn thuộc xã, không ghi vào sổ."],
                       "elsewhere")
    if child.closed_on is not None:
        return Applied(item, "skipped", ["Hồ sơ đã đóng, không ghi vào sổ."], "closed")
    if register.is_over_age(child):
        return Applied(item, "skipped", [f"Trẻ đã đủ {age_limit()} tuổi, không ghi vào sổ."],
                       "over_age")
    wanted = {"personal_id": item.verified_id, **(item.corrections or {})}
    changes, kept = _still_applicable(item, child, wanted)
    if not changes:
        return Applied(item, "partly" if kept else "unchanged", kept,
                       "changed" if kept else None)
    source = register.Source("police", str(batch.id), _note(note, item, actor))
    try:
        register.update_child(actor, child, _record(child, changes), source=source)
    except ValidationFailed as refused:
        messages = [m for found in refused.errors.values() for m in found] or [refused.detail]
        return Applied(item, "skipped", ["Sổ không nhận kết quả:", *messages], "invalid")
    item.applied_version = child.version
    return Applied(item, "partly" if kept else "applied", kept, "changed" if kept else None)


def _note(note: str, item: VerificationItem, actor) -> str:
    decider = db.session.get(User, item.decided_by_id) if item.decided_by_id else None
    if decider is not None and decider.role == roles.COMMUNE_OFFICER:
        return f"{note}; kết quả nhập từ tệp của công an ({decider.username} nhập)"
    return note


def _current(child: Child) -> dict:
    return identity.flat(identity.sent_fields(child))


def _still_applicable(item: VerificationItem, child: Child, wanted: dict):
    """The values to write, and a message for each one the register changed meanwhile."""
    now, sent = _current(child), identity.flat(item.sent)
    changes, kept = {}, []
    for key, value in wanted.items():
        if key not in now:
            kept.append(f"{identity.label(key, item.sent)}: người nuôi dưỡng đã thay đổi "
                        "trong sổ, không ghi.")
        elif now[key] == value:
            continue
        elif now[key] != sent.get(key):
            kept.append(f"{identity.label(key, item.sent)}: đã được sửa trong sổ sau khi gửi, "
                        "giữ giá trị trong sổ.")
        else:
            changes[key] = value
    return changes, kept


def _record(child: Child, changes: dict) -> dict:
    """The child's whole record (its own fields and caregivers) with ``changes`` made."""
    fields = {name: getattr(child, name) for name in CHILD_FIELDS}
    caregivers = [{"relation": c.relation, "full_name": c.full_name,
                   "personal_id": c.personal_id, "phone": c.phone} for c in child.caregivers]
    for key, value in changes.items():
        if key.startswith("caregivers."):
            _, index, name = key.split(".")
            caregivers[int(index)][name] = value
        else:
            fields[key] = value
    return {"child": fields, "caregivers": caregivers}
