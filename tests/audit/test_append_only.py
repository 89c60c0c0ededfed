"""The audit log is append-only at the database itself, on every engine."""

from datetime import UTC

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from fieldapp.audit.models import AuditEntry


@pytest.fixture()
def written(entry):
    return entry(None, "03808-001", commune="03808")


@pytest.mark.parametrize(
    "statement",
    [
        lambda i: update(AuditEntry).where(AuditEntry.id == i).values(action="tampered"),
        lambda i: delete(AuditEntry).where(AuditEntry.id == i),
        lambda i: text("UPDATE audit_entry SET commune_code = '21004'"),
        lambda i: text("DELETE FROM audit_entry"),
    ],
    ids=["orm-update", "orm-delete", "sql-update-all", "sql-delete-all"],
)
def test_update_and_delete_are_refused(db, written, statement):
    with pytest.raises(DBAPIError) as caught, db.session.begin_nested():
        db.session.execute(statement(written.id))
    assert "append-only" in str(caught.value)
    db.session.expire_all()  # the savepoint rolled back; the outer transaction still works
    row = db.session.scalars(select(AuditEntry).where(AuditEntry.id == written.id)).one()
    assert (row.action, row.commune_code) == ("village_renamed", "03808")


def test_time_stamps_read_back_as_aware_utc(db, written):
    db.session.expire_all()
    at = db.session.scalars(select(AuditEntry.at).where(AuditEntry.id == written.id)).one()
    assert at.tzinfo is not None and at.utcoffset().total_seconds() == 0
    assert at.tzinfo == UTC
