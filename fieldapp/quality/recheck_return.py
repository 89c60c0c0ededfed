"""A wrong re-checked record back on the village's phones: a returned submission ("Cần sửa")
for each collector who fixes it, holding the record as that collector may see it."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fieldapp import access, roles
from fieldapp.audit.services import record as audit
from fieldapp.auth.models import User, user_village
from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.collection import services as collection
from fieldapp.collection.models import Submission
from fieldapp.extensions import db
from fieldapp.quality.models import RecheckItem


def recipients(item: RecheckItem, child: Child) -> list[User]:
    """Who fixes it: the record's collector while they still work in its village, else every
    active village head and collaborator of the village."""
    collector = db.session.get(User, item.collector_id) if item.collector_id else None
    if (collector is not None and collector.active and collector.role in roles.FIELD
            and child.village_code in collector.village_codes):
        return [collector]
    query = (select(User).join(user_village, user_village.c.user_id == User.id)
             .where(user_village.c.village_code == child.village_code,
                    User.active.is_(True), User.role.in_(roles.FIELD)).order_by(User.id))
    return list(db.session.scalars(query))


def send_back(actor, item: RecheckItem, note: str, now: datetime) -> list[Submission]:
    """One returned submission per recipient, holding the record as that collector may see
    it, at the register's current version: "Sửa và gửi lại" on the phone corrects it (a
    correction with ``corrects``), and the officer reviews that as any update. A closed
    record is not sent (it can no longer be updated)."""
    child = db.session.scalars(access.children(actor).where(Child.id == item.child_id).options(
        selectinload(Child.caregivers), selectinload(Child.circumstances),
        selectinload(Child.support))).first()
    if child is None or child.closed_on is not None:
        return []
    sent = [_returned(actor, child, user, note, now) for user in recipients(item, child)]
    db.session.add_all(sent)
    db.session.flush()
    for s in sent:
        audit(actor, "submission_returned", "submission", s.id, commune_code=s.commune_code,
              detail={"recheck": str(item.sample_id), "child": str(child.id)})
    return sent


def _returned(actor, child: Child, collector: User, note: str, now: datetime) -> Submission:
    seen = child_record.of_child(child, register.circumstances(child, collector),
                             register.supports(child, collector))
    data = {"household": child_record.of_household(child.household),
            **{k: seen[k] for k in ("child", "caregivers", "circumstances", "supports")}}
    content = {"kind": "child", "captured_at": now.isoformat(), "child_id": str(child.id),
               "base_version": child.version, "corrects": None, "data": data}
    return Submission(
        id=uuid.uuid4(), kind="child", user_id=collector.id, commune_code=child.commune_code,
        village_code=child.village_code, child_id=child.id, base_version=child.version,
        register_version=child.version, stale=False, captured_at=now, received_at=now,
        updated_at=now, state="returned", content_hash=collection.content_hash(content),
        data=data, note=note, decided_at=now, decided_by_id=actor.id)
