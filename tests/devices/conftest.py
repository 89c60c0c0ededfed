"""Device fixtures (the places, collector, officer and tokens are tests/conftest.py's):
:class:`Phone`, a phone that sends batches and reports itself through the real endpoints."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.devices.models import Device
from tests.submissions import make_item

ANDROID = ("Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Mobile Safari/537.36")


def report_body(device_id, **fields) -> dict:
    """A valid status report; ``fields`` replace its values."""
    return {"device_id": str(device_id), "app_version": "2026.12.1", "pending": 0,
            "oldest_pending_at": None, "persisted": True, "usage_bytes": 1_000_000,
            "quota_bytes": 100_000_000, "discarded": 0, **fields}


class Phone:
    """One phone of one user: its id, its user's :class:`~tests.conftest.Api`, a village
    to capture in."""

    def __init__(self, db, api, village_code: str, phone_id: uuid.UUID | None = None):
        self.db, self.api, self.village_code = db, api, village_code
        self.id = phone_id or uuid.uuid4()

    def report(self, pending: int = 0, discarded: int = 0, expect: int = 204, **fields):
        answer = self.api.client.put(
            "/api/v1/device", json=report_body(self.id, pending=pending, discarded=discarded,
                                               **fields),
            headers={**self.api.headers, "User-Agent": ANDROID})
        assert answer.status_code == expect, answer.get_data(as_text=True)
        return answer

    def send(self, count: int = 1, *items) -> list[dict]:
        """Send ``count`` new valid items (and ``items``) in one batch naming this phone."""
        batch = [make_item(self.village_code) for _ in range(count)] + list(items)
        answer = self.api.post("/api/v1/submissions",
                               json={"submissions": batch, "device_id": str(self.id)})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()["results"]

    def row(self) -> Device | None:
        self.db.session.expire_all()
        user_id = self.api.user.id
        return self.db.session.scalars(select(Device).where(
            Device.phone_id == self.id, Device.user_id == user_id)).first()


@pytest.fixture()
def phone_of(db, api_as, village):
    """``phone_of(user, phone_id=None)``: a :class:`Phone` of ``user`` with a fresh token."""

    def build(user, phone_id=None):
        api = api_as(user)
        api.user = user
        return Phone(db, api, user.villages[0].code, phone_id)

    return build


@pytest.fixture()
def phone(phone_of, collector):
    return phone_of(collector)


@pytest.fixture()
def colleague(make, village):
    """A second collector of the same village (a shared phone, another outbox)."""
    return make.user(roles.COLLABORATOR, [village])
