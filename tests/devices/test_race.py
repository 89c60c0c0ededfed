"""A phone's batches and its report at the same moment, on PostgreSQL where they really run in
parallel: one device row, every receipt counted (tests/race.py)."""

import uuid

import pytest
import sqlalchemy as sa

from fieldapp import roles
from fieldapp.extensions import db
from tests.devices.conftest import report_body
from tests.race import ONLY_POSTGRES, at_once, race_world
from tests.submissions import make_item

pytestmark = ONLY_POSTGRES


@pytest.fixture(scope="module")
def world():
    with race_world({"collector": (roles.COLLABORATOR, True)}) as out:
        yield {**out, "headers": out["headers"]["collector"]}


def test_a_new_phones_batches_and_report_at_once_make_one_device(world):
    phone = str(uuid.uuid4())
    batch = [("/api/v1/submissions", {"submissions": [make_item(world["village"])],
                                      "device_id": phone}, world["headers"])
             for _ in range(3)]
    report = ("/api/v1/device", report_body(phone, pending=2), world["headers"], "PUT")
    answers = at_once(world["app"], *batch, report)
    assert [a.status_code for a in answers] == [200, 200, 200, 204]
    with world["app"].app_context(), db.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT receipts, pending FROM device WHERE phone_id = :phone"),
            {"phone": uuid.UUID(phone)}).all()
    assert [tuple(row) for row in rows] == [(3, 2)]
