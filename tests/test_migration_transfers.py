"""Migration 0011: the ``child_transfer`` table, one pending transfer per child kept by a
partial unique index; the way down takes it away and leaves the register as it was."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from fieldapp.extensions import db
from tests.test_migrations import fresh_app, fresh_url, tables

__all__ = ["fresh_app", "fresh_url"]  # the fixtures, shared by name

REVISION = "0011"


def test_0011_adds_the_transfer_table_and_takes_it_away(fresh_app):
    upgrade(revision=f"{REVISION}-1")  # the revision before, whichever it is after a merge
    assert "child_transfer" not in tables()
    upgrade(revision=REVISION)
    assert "child_transfer" in tables()
    indexes = {ix["name"]: ix for ix in sa.inspect(db.engine).get_indexes("child_transfer")}
    assert indexes["uq_child_transfer_pending"]["unique"]
    assert indexes["uq_child_transfer_pending"]["column_names"] == ["child_id"]
    downgrade(revision=f"{REVISION}-1")
    assert "child_transfer" not in tables() and "child" in tables()
    upgrade(revision=REVISION)
    assert "child_transfer" in tables()


def test_one_pending_transfer_per_child_however_many_decided(fresh_app):
    upgrade()
    t = db.metadata.tables
    child, household = uuid.uuid4(), uuid.uuid4()
    with db.engine.begin() as connection:
        connection.execute(sa.insert(t["province"]), [
            {"code": "14", "name": "Sơn La", "division_type": "tỉnh"}])
        connection.execute(sa.insert(t["commune"]), [
            {"code": code, "name": name, "division_type": "xã", "province_code": "14"}
            for code, name in (("03808", "Xã Mường La"), ("03809", "Xã Khác"))])
        connection.execute(sa.insert(t["village"]).values(
            code="03808-001", commune_code="03808", name="Bản Một"))
        user = connection.execute(sa.insert(t["user_account"]).values(
            username="canbo", full_name="Cán bộ", role="commune_officer", password_hash="x",
            must_change_password=False, active=True).returning(t["user_account"].c.id)).scalar()
        connection.execute(sa.insert(t["household"]).values(
            id=household, village_code="03808-001", commune_code="03808", head_name="Chủ hộ"))
        connection.execute(sa.insert(t["child"]).values(
            id=child, household_id=household, village_code="03808-001", commune_code="03808",
            province_code="14", full_name="Lò Văn A", name_key="lo van a", sex="1",
            date_of_birth=date(2020, 1, 1), ethnicity_code="03"))
    row = {"child_id": child, "from_commune_code": "03808", "to_commune_code": "03809",
           "requested_by": user, "moved_on": date(2026, 1, 1)}
    with db.engine.begin() as connection:
        for status in ("refused", "cancelled", "pending"):
            connection.execute(sa.insert(t["child_transfer"]).values(
                id=uuid.uuid4(), status=status, **row))
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(sa.insert(t["child_transfer"]).values(
            id=uuid.uuid4(), status="pending", **row))
