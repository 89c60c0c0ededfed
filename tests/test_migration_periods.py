"""Migration 0015: ``child_period`` and ``membership_period``, backfilled from the register
as it stands (one open period per child from its ``created_at``, one open membership per
circumstance and support row from the row's); the way down takes them away."""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from fieldapp.extensions import db
from tests.test_migrations import fresh_app, fresh_url, tables

__all__ = ["fresh_app", "fresh_url"]  # the fixtures, shared by name

REVISION = "0015"
MADE = datetime(2025, 5, 1, 3, 0, tzinfo=UTC)
ROW_MADE = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)


def _register(connection, child, household, circumstance, support) -> None:
    """A register of one child at 0014 (these tables are the same at head)."""
    t = db.metadata.tables
    connection.execute(sa.insert(t["province"]).values(
        code="14", name="Sơn La", division_type="tỉnh"))
    connection.execute(sa.insert(t["commune"]).values(
        code="03808", name="Xã Mường La", division_type="xã", province_code="14"))
    connection.execute(sa.insert(t["village"]).values(
        code="03808-001", commune_code="03808", name="Bản Một"))
    connection.execute(sa.insert(t["household"]).values(
        id=household, village_code="03808-001", commune_code="03808", head_name="Chủ hộ"))
    connection.execute(sa.insert(t["child"]).values(
        id=child, household_id=household, village_code="03808-001", commune_code="03808",
        province_code="14", full_name="Lò Văn A", name_key="lo van a", sex="1",
        date_of_birth=date(2020, 1, 1), ethnicity_code="03", personal_id="014220001234",
        created_at=MADE))
    connection.execute(sa.insert(t["circumstance"]).values(
        id=circumstance, child_id=child, code="DB07", detail={"cause": "x"},
        since=date(2025, 6, 1), created_at=ROW_MADE))
    connection.execute(sa.insert(t["support_record"]).values(
        id=support, child_id=child, form="TG05", given_on=date(2025, 6, 2),
        amount_vnd=500000, created_at=ROW_MADE))


def test_0015_backfills_the_register_as_it_stands_and_goes_down(fresh_app):
    upgrade(revision=f"{REVISION}-1")
    assert "child_period" not in tables()
    child, household, circumstance, support = (uuid.uuid4() for _ in range(4))
    with db.engine.begin() as connection:
        _register(connection, child, household, circumstance, support)
    upgrade(revision=REVISION)
    assert {"child_period", "membership_period"} <= tables()
    with db.engine.connect() as connection:
        t = db.metadata.tables
        period, = connection.execute(sa.select(t["child_period"])).mappings()
        m = t["membership_period"]  # its columns at 0015, not those added since
        memberships = connection.execute(sa.select(
            m.c.kind, m.c.row_id, m.c.code, m.c.detail, m.c.since, m.c.amount_vnd,
            m.c.recorded_from, m.c.recorded_until).order_by(m.c.kind)).mappings()
        memberships = list(memberships)
    assert (period["child_id"], period["commune_code"], period["province_code"],
            period["sex"], period["has_personal_id"], period["recorded_until"]) == (
        child, "03808", "14", "1", True, None)
    assert period["recorded_from"].replace(tzinfo=UTC) == MADE
    assert [(m["kind"], m["row_id"], m["code"], m["detail"], m["since"], m["amount_vnd"],
             m["recorded_until"]) for m in memberships] == [
        ("circumstance", circumstance, "DB07", {"cause": "x"}, date(2025, 6, 1), None, None),
        ("support", support, "TG05", None, date(2025, 6, 2), 500000, None)]
    assert {m["recorded_from"].replace(tzinfo=UTC) for m in memberships} == {ROW_MADE}
    downgrade(revision=f"{REVISION}-1")
    assert "child_period" not in tables() and "membership_period" not in tables()
    assert "child" in tables()
    upgrade(revision=REVISION)
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM membership_period")
                                  ).scalar_one() == 2
