"""What the officer does from the cleaning lists. Services flush; the view commits."""

from datetime import date

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.children.services import Source, _changed, _writable
from fieldapp.errors import ValidationFailed

REVIEWED = Source("officer_edit", note="Rà soát định kỳ: xác nhận hoàn cảnh")


def mark_reviewed(actor, child: Child, on: date | None = None) -> list[dict]:
    """"Đánh dấu đã rà soát": the officer confirmed the child's open group memberships on
    ``on`` (today). One new version of the child, its history and the audit entry."""
    access.require(actor, "quality")
    _writable(actor, child, REVIEWED)
    on = on or date.today()
    current = [c for c in child.circumstances
               if c.since <= on and (c.until is None or c.until >= on)]
    if not current:
        raise ValidationFailed("Trẻ không có hoàn cảnh nào đang mở để xác nhận.",
                               {"child": ["Không có hoàn cảnh cần rà soát."]})
    before = child_record.flat(child)
    for c in current:
        c.confirmed_on = on
    changes = _changed(actor, child, before, REVIEWED)  # none if confirmed today already
    if changes:
        audit(actor, "circumstances_reviewed", "child", child.id,
              commune_code=child.commune_code,
              detail={"version": child.version, "confirmed": len(changes)})
    return changes
