"""Sending a batch to the police, recording results, finishing it. Services flush; the view
commits once and writes nothing else."""

import secrets
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children.models import Child
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import age_limit
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, ValidationFailed
from fieldapp.extensions import db
from fieldapp.verification import apply, identity, imports
from fieldapp.verification.models import VerificationBatch, VerificationItem
from fieldapp.verification.queries import waiting
from fieldapp.verification.validators import check_result

MAX_ITEMS = 500  # one list the police can work through and sign; more go in another batch
OBJECT = "verification_batch"


def create_batch(actor, child_ids, *, village=None) -> tuple[VerificationBatch, int]:
    """Send the chosen children of the actor's commune to the police as a new batch.

    Children closed, over 16 or already waiting in an unfinished batch are left out.

    :returns: the batch and how many of the chosen were left out.
    """
    access.require(actor, "verification.send")
    ids = _uuids(child_ids)
    if not ids:
        raise ValidationFailed("Chưa chọn trẻ nào.", {"child_ids": ["Chọn ít nhất một trẻ."]})
    if len(ids) > MAX_ITEMS:
        raise ValidationFailed(errors={"child_ids": [
            f"Một danh sách có tối đa {MAX_ITEMS} trẻ: hãy chia thành nhiều danh sách."]})
    query = (access.children(actor).where(Child.id.in_(ids), Child.closed_on.is_(None),
                                          Child.date_of_birth > years_ago(date.today(),
                                                                          age_limit()))
             .options(selectinload(Child.caregivers))
             .order_by(Child.village_code, Child.name_key, Child.id)
             .with_for_update(of=Child))  # two officers sending one child: one batch has it
    found = list(db.session.scalars(query))
    busy = waiting(actor.commune_code)  # read once the children are locked
    chosen = [child for child in found if child.id not in busy]
    if not chosen:
        raise ValidationFailed(errors={"child_ids": [
            "Các trẻ đã chọn đều đang chờ công an xác thực hoặc không còn trong sổ."]})
    batch = _numbered(actor, village, chosen)
    audit(actor, "verification_batch_created", OBJECT, batch.id,
          commune_code=batch.commune_code,
          detail={"number": batch.number, "items": len(chosen)})
    return batch, len(ids) - len(chosen)


def _uuids(values) -> list[uuid.UUID]:
    out = []
    for value in values or []:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(dict.fromkeys(out))


def _numbered(actor, village, children: list[Child]) -> VerificationBatch:
    """The batch with the commune's next number; two officers sending at once both get one."""
    for _ in range(5):
        number = 1 + (db.session.scalar(
            select(func.max(VerificationBatch.number))
            .where(VerificationBatch.commune_code == actor.commune_code)) or 0)
        title = f"Danh sách cần xác thực số {number}"
        if village is not None:
            title += f" · {village.name}"
        batch = VerificationBatch(commune_code=actor.commune_code, number=number, title=title,
                                  created_by_id=actor.id, state="sent")
        batch.items = [
            VerificationItem(position=i, child_id=child.id, row_key=secrets.token_urlsafe(16),
                             sent=identity.sent_fields(child))
            for i, child in enumerate(children, start=1)]
        try:
            with db.session.begin_nested():
                db.session.add(batch)
        except IntegrityError:
            continue
        return batch
    raise Conflict("Nhiều danh sách được tạo cùng lúc: vui lòng thử lại.")


def _open(batch: VerificationBatch) -> None:
    """Lock the batch (PostgreSQL; SQLite writes one at a time) and insist it is unfinished,
    so that no result is recorded while, or after, another request finishes it."""
    db.session.execute(select(VerificationBatch.id).where(VerificationBatch.id == batch.id)
                       .with_for_update())
    db.session.refresh(batch, ["state"])
    if batch.state != "sent":
        raise Conflict("Danh sách đã hoàn tất, không sửa kết quả được nữa.")


def taken_numbers(batch: VerificationBatch) -> dict[str, int]:
    """The verified numbers already given in the batch, with the STT of their row."""
    return {item.verified_id: item.position for item in batch.items if item.verified_id}


def record_result(actor, batch: VerificationBatch, item: VerificationItem, data: dict):
    """Record the police's result for one child of the batch (it may be changed until the
    batch is finished). Returns the check, whose ``warnings`` the page shows."""
    access.require(actor, "verification.record")
    _open(batch)
    result = check_result(item, data, taken=taken_numbers(batch))
    if result.errors:
        raise ValidationFailed("Kết quả chưa hợp lệ.", result.errors)
    _store(actor, item, result.clean)
    audit(actor, "verification_result_recorded", OBJECT, batch.id,
          commune_code=batch.commune_code,
          detail={"item": str(item.id), "outcome": item.outcome})
    return result


def _store(actor, item: VerificationItem, clean: dict) -> None:
    item.outcome, item.verified_id = clean["outcome"], clean["verified_id"]
    item.corrections, item.note = clean["corrections"], clean["note"]
    item.decided_by_id, item.decided_at = actor.id, utcnow()


def record_imported(actor, batch: VerificationBatch, rows: list[tuple[int, str, dict]]):
    """Record the valid rows of the police's spreadsheet, imported by the officer.

    The results are the police's, entered by the officer (``decided_by``); they reach the
    register only when the police finish the batch. Each row is checked again here.

    :param rows: ``(row number, row key, data)`` as the preview showed them.
    :returns: how many rows were recorded, and ``{row number: [messages]}`` of those refused
        now (the batch changed since the preview).
    """
    access.require(actor, "verification.send")
    _open(batch)
    checked = imports.check_rows(batch, rows)
    refused = {c.number: [m for found in c.result.errors.values() for m in found]
               for c in checked if c.result.errors}
    for row in checked:
        if not row.result.errors:
            _store(actor, row.item, row.result.clean)
    db.session.flush()
    recorded = len(checked) - len(refused)
    audit(actor, "verification_imported", OBJECT, batch.id, commune_code=batch.commune_code,
          detail={"recorded": recorded, "refused": len(refused)})
    return recorded, refused


def finish_batch(actor, batch: VerificationBatch) -> list[apply.Applied]:
    """"Hoàn tất": every child decided, the found ones' results enter the register as the
    police user's changes, and the batch is closed (its minutes can then be printed)."""
    access.require(actor, "verification.record")
    _open(batch)
    pending = [item.position for item in batch.items if item.outcome == "pending"]
    if pending:
        shown = ", ".join(str(p) for p in pending[:20]) + ("…" if len(pending) > 20 else "")
        raise ValidationFailed(f"Còn {len(pending)} trẻ chưa có kết quả (STT {shown}).")
    report = apply.apply_batch(actor, batch)
    batch.state, batch.finished_by_id, batch.finished_at = "finished", actor.id, utcnow()
    db.session.flush()
    audit(actor, "verification_batch_finished", OBJECT, batch.id,
          commune_code=batch.commune_code,
          detail={"applied": sum(a.state in ("applied", "partly") for a in report),
                  "left": [{"item": str(a.item.id), "reason": a.reason}
                           for a in report if a.reason]})
    return report


def note_download(actor, batch: VerificationBatch, what: str, address=None) -> None:
    """Audit an export of the batch: ``verification_exported`` or the minutes."""
    audit(actor, what, OBJECT, batch.id, commune_code=batch.commune_code, address=address,
          detail={"number": batch.number})


def note_viewed(actor, batch: VerificationBatch, address=None) -> None:
    audit(actor, "verification_batch_viewed", OBJECT, batch.id,
          commune_code=batch.commune_code, address=address)
