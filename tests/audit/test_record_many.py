"""A batch of entries in one INSERT, as the sync API writes them, reads like ``record``'s."""

from datetime import UTC, datetime

from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.audit.services import record_many
from tests.factories import COMMUNE_B


def test_a_batch_is_written_with_its_shared_values(db, make):
    actor = make.user(roles.COMMUNE_OFFICER)
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    record_many(actor, "submission", [("submission_received", "a1", {"update": False}),
                                      ("submission_conflict", "b2", None)],
                commune_code=COMMUNE_B, address="10.0.0.9", at=at)
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == actor.id)
                              .order_by(AuditEntry.id)).all()
    assert [(r.action, r.object_id, r.detail) for r in rows] == [
        ("submission_received", "a1", {"update": False}),
        ("submission_conflict", "b2", None),
    ]
    assert {(r.username, r.object_type, r.commune_code, r.address, r.at.replace(tzinfo=UTC))
            for r in rows} == {(actor.username, "submission", COMMUNE_B, "10.0.0.9", at)}


def test_an_empty_batch_writes_nothing(db, make):
    actor = make.user(roles.COMMUNE_OFFICER)
    record_many(actor, "submission", [], commune_code=None, address=None, at=datetime.now(UTC))
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == actor.id)).all() == []
