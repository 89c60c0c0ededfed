"""What the officer does from the cleaning lists. Services flush; the view commits."""

from datetime import date

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.children.services import Source
from fieldapp.quality import matcher

REVIEWED = Source("officer_edit", note="Rà soát định kỳ: xác nhận hoàn cảnh")


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


# ---- read by other features ---------------------------------------------------------------


def duplicate_count(commune_code: str) -> int:
    """How many probable duplicate pairs the commune's register holds (the officer's home):
    a count of the pairs stored as the register changed, not a scan."""
    return matcher.count(commune_code)
