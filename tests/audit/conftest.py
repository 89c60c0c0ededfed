"""Audit entries written straight through the service, at chosen times."""

from datetime import UTC, datetime

import pytest

from fieldapp.audit.services import record


@pytest.fixture()
def entry(db):
    """``entry(actor, object_id, commune=None, object_type="village", at=None)``: one flushed
    entry; its time is set before the insert, since the row can never be updated."""

    def write(actor, object_id, commune=None, object_type="village", at=None):
        written = record(actor, "village_renamed", object_type, object_id, commune_code=commune)
        written.at = at or datetime.now(UTC)
        db.session.flush()
        return written

    return write
