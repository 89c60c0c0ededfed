"""Reading batches: the commune's lists, the children waiting in one, the names shown."""

from dataclasses import dataclass

from sqlalchemy import func, select

from fieldapp import access
from fieldapp.audit.models import AuditEntry
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.quality import queries as quality
from fieldapp.verification.models import VerificationBatch, VerificationItem

CHOICES = {"without-id": "Trẻ chưa có số định danh", "wrong-id": "Trẻ có số định danh sai",
           "both": "Cả hai danh sách"}


@dataclass
class Candidate:
    """A child the officer may send, with why it is on the list and where it already is."""

    child: object
    reasons: list[str]
    waiting_in: int | None  # the number of an unfinished batch that already holds it


def batches(user) -> list[tuple[VerificationBatch, dict[str, int]]]:
    """The commune's batches, newest first, each with its count per outcome."""
    query = access.verification_batches(user).order_by(VerificationBatch.number.desc())
    found = list(db.session.scalars(query))
    counts: dict = {}
    if found:
        rows = db.session.execute(
            select(VerificationItem.batch_id, VerificationItem.outcome, func.count())
            .where(VerificationItem.batch_id.in_([b.id for b in found]))
            .group_by(VerificationItem.batch_id, VerificationItem.outcome))
        for batch_id, outcome, n in rows:
            counts.setdefault(batch_id, {})[outcome] = n
    return [(batch, counts.get(batch.id, {})) for batch in found]


def waiting(commune_code: str) -> dict:
    """Children of the commune in a batch not yet finished: child id → batch number."""
    query = (select(VerificationItem.child_id, VerificationBatch.number)
             .join(VerificationBatch)
             .where(VerificationBatch.commune_code == commune_code,
                    VerificationBatch.state == "sent"))
    return dict(db.session.execute(query).all())


def candidates(user, village_code: str | None, which: str) -> list[Candidate]:
    """The children of the quality lists the officer chose (DOMAIN §5 step 3)."""
    found: dict = {}
    if which in ("without-id", "both"):
        for child in db.session.scalars(quality.without_id(user, village_code)):
            found[child.id] = (child, ["Chưa có số định danh."])
    if which in ("wrong-id", "both"):
        for child, reasons in quality.wrong_id(user, village_code):
            found[child.id] = (child, reasons)
    busy = waiting(user.commune_code)
    rows = sorted(found.values(), key=lambda row: (row[0].village_code, row[0].name_key))
    return [Candidate(child, reasons, busy.get(child.id)) for child, reasons in rows]


def village_names(commune_code: str) -> dict[str, str]:
    query = select(Village.code, Village.name).where(Village.commune_code == commune_code)
    return dict(db.session.execute(query).all())


def item_of(batch: VerificationBatch, item_id) -> VerificationItem | None:
    """An item of ``batch`` (already loaded through its scope) by its id, else ``None``."""
    for item in batch.items:
        if str(item.id) == str(item_id):
            return item
    return None


def left_at_finish(batch: VerificationBatch) -> dict[str, str]:
    """Item id → why its result was not (all) written, as the finishing's audit entry kept."""
    if batch.state != "finished":
        return {}
    detail = db.session.scalar(
        select(AuditEntry.detail).where(AuditEntry.action == "verification_batch_finished",
                                        AuditEntry.object_id == str(batch.id))
        .order_by(AuditEntry.id.desc()).limit(1)) or {}
    return {row["item"]: row["reason"] for row in detail.get("left") or []
            if isinstance(row, dict) and row.get("item")}
