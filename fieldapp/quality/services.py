"""What the officer does from the cleaning lists. Services flush; the view commits."""

from datetime import date

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children.history import plain
from fieldapp.children.models import Child
from fieldapp.children.services import Source, _writable, _write_history
from fieldapp.db import utcnow
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db

REVIEWED = Source("officer_edit", note="Rà soát định kỳ: xác nhận hoàn cảnh")


def mark_reviewed(actor, child: Child, on: date | None = None) -> list[dict]:
    """"Đánh dấu đã rà soát": the officer confirmed the child's open group memberships on
    ``on`` (today). One new version of the child, its history and the audit entry.

    ``confirmed_on`` is not part of the history snapshot (it says when, not what), so the
    change is written out here, path by path, in the snapshot's paths.
    """
    access.require(actor, "quality")
    _writable(actor, child, REVIEWED)
    on = on or date.today()
    current = [(i, c) for i, c in enumerate(child.circumstances)
               if c.since <= on and (c.until is None or c.until >= on)]
    if not current:
        raise ValidationFailed("Trẻ không có hoàn cảnh nào đang mở để xác nhận.",
                               {"child": ["Không có hoàn cảnh cần rà soát."]})
    changes = [{"field": f"circumstances.{i}.confirmed_on", "old": plain(c.confirmed_on),
                "new": plain(on)} for i, c in current if c.confirmed_on != on]
    if not changes:
        return []  # confirmed today already (a second click)
    for _, c in current:
        c.confirmed_on = on
    child.version += 1
    child.updated_at = utcnow()
    db.session.flush()
    _write_history(actor, child, {}, REVIEWED, changes)
    audit(actor, "circumstances_reviewed", "child", child.id, commune_code=child.commune_code,
          detail={"version": child.version, "confirmed": len(changes)})
    return changes
