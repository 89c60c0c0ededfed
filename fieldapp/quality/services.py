"""What the officer does from the cleaning lists and the probable duplicates. Services flush;
the view commits. (Merging two records is the register's: ``children.services.merge_children``.)"""

from datetime import date

from sqlalchemy import select

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.children.services import Source
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.quality import matcher, reasons
from fieldapp.quality.models import NotDuplicate

REVIEWED = Source("officer_edit", note="Rà soát định kỳ: xác nhận hoàn cảnh")
REVIEWED_ITEMS = Source("officer_edit", note="Rà soát định kỳ: xác nhận hoặc kết thúc từng mục")


def mark_reviewed(actor, child: Child, on: date | None = None) -> list[dict]:
    """"Đánh dấu đã rà soát": the officer confirmed the child's open group memberships on
    ``on`` (today). One new version of the child, its history and the audit entry."""
    access.require(actor, "quality")
    changes = register.confirm_circumstances(actor, child, on or date.today(),
                                             source=REVIEWED)  # none if confirmed today
    if changes:
        audit(actor, "circumstances_reviewed", "child", child.id,
              commune_code=child.commune_code,
              detail={"version": child.version, "confirmed": len(changes)})
    return changes


def review_child(actor, child: Child, decisions: dict[str, date | None],
                 on: date | None = None) -> list[dict]:
    """The periodic review of one child, item by item (``decisions``: row id → ``None`` for
    "Còn", the end date for "Không còn"), through the register: one new version with its
    history, and one audit entry saying how many were confirmed and ended."""
    access.require(actor, "quality")
    on = on or date.today()
    offered = {item.key for item in reasons.review_items(child, actor, on)}
    unknown = sorted(set(decisions) - offered)
    if unknown:
        raise ValidationFailed("Chưa lưu được kết quả rà soát.",
                               {key: ["Mục này không thuộc danh sách rà soát của trẻ."]
                                for key in unknown})
    changes = register.review_memberships(actor, child, decisions, on, source=REVIEWED_ITEMS)
    ended = sum(until is not None for until in decisions.values())
    if changes:  # none: all confirmed today already
        audit(actor, "circumstances_reviewed", "child", child.id,
              commune_code=child.commune_code,
              detail={"version": child.version, "confirmed": len(decisions) - ended,
                      "ended": ended})
    return changes


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


# ---- read by other features ---------------------------------------------------------------


def duplicate_count(commune_code: str) -> int:
    """How many probable duplicate pairs the commune's register holds (the officer's home):
    a count of the pairs stored as the register changed, not a scan."""
    return matcher.count(commune_code)
