"""Migration 0017: each membership period is cut where its child's period changed and carries
that period's columns; one with no child period beside it stays as it was; the way down
drops the columns and keeps the rows."""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from fieldapp.extensions import db
from tests.test_migration_periods import _register
from tests.test_migrations import fresh_app, fresh_url, tables

__all__ = ["fresh_app", "fresh_url"]  # the fixtures, shared by name

REVISION = "0017"
MADE = datetime(2025, 5, 1, 3, 0, tzinfo=UTC)  # the child's first period
MOVED = datetime(2025, 7, 1, 3, 0, tzinfo=UTC)  # its second: another village, an ID number
ENDED = datetime(2025, 6, 10, 3, 0, tzinfo=UTC)


def _history(connection, child, circumstance, support) -> None:
    """Two periods of the child; DB07 known from before the move on, TG05 known until before
    it, and a K03 row known before the child's first period (no period beside it)."""
    t = db.metadata.tables
    connection.execute(sa.delete(t["child_period"]))
    connection.execute(sa.delete(t["membership_period"]))
    common = {"child_id": child, "commune_code": "03808", "province_code": "14", "sex": "1",
              "date_of_birth": date(2020, 1, 1), "ethnicity_code": "03"}
    connection.execute(sa.insert(t["child_period"]), [
        {**common, "village_code": "03808-001", "has_personal_id": False,
         "recorded_from": MADE, "recorded_until": MOVED},
        {**common, "village_code": "03808-002", "has_personal_id": True,
         "recorded_from": MOVED, "recorded_until": None}])
    connection.execute(sa.insert(t["membership_period"]), [
        {"child_id": child, "kind": "circumstance", "row_id": circumstance, "code": "DB07",
         "since": date(2025, 6, 1), "recorded_from": datetime(2025, 6, 1, tzinfo=UTC),
         "recorded_until": None},
        {"child_id": child, "kind": "support", "row_id": support, "code": "TG05",
         "since": date(2025, 6, 2), "recorded_from": datetime(2025, 6, 2, tzinfo=UTC),
         "recorded_until": ENDED},
        {"child_id": child, "kind": "circumstance", "row_id": uuid.uuid4(), "code": "K03",
         "since": date(2025, 1, 1), "recorded_from": datetime(2025, 1, 1, tzinfo=UTC),
         "recorded_until": datetime(2025, 2, 1, tzinfo=UTC)}])


def _rows() -> list[tuple]:
    m = db.metadata.tables["membership_period"].c
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(
            m.code, m.recorded_from, m.recorded_until, m.village_code, m.has_personal_id,
            m.province_code).order_by(m.code, m.recorded_from)).all()
    return [(code, start.replace(tzinfo=UTC), end and end.replace(tzinfo=UTC), village, has_id,
             province) for code, start, end, village, has_id, province in rows]


def test_0017_cuts_each_membership_period_at_its_childs_changes_and_goes_down(fresh_app):
    upgrade(revision=f"{REVISION}-1")
    child, household, circumstance, support = (uuid.uuid4() for _ in range(4))
    with db.engine.begin() as connection:
        _register(connection, child, household, circumstance, support)
        _history(connection, child, circumstance, support)
    upgrade(revision=REVISION)
    assert _rows() == [
        ("DB07", datetime(2025, 6, 1, tzinfo=UTC), MOVED, "03808-001", False, "14"),
        ("DB07", MOVED, None, "03808-002", True, "14"),
        ("K03", datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC), None,
         None, None),
        ("TG05", datetime(2025, 6, 2, tzinfo=UTC), ENDED, "03808-001", False, "14")]
    downgrade(revision=f"{REVISION}-1")
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("membership_period")}
    assert "village_code" not in columns and "membership_period" in tables()
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM membership_period")
                                  ).scalar_one() == 4
