"""Review fixtures (the commune, collector, officer and register are tests/conftest.py's): a
second officer, and ``submit``/``decide`` helpers that go through the real services."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.collection.models import Submission
from fieldapp.extensions import db as _db
from fieldapp.review import bulk, services
from tests.api.test_openapi import doc as openapi_doc
from tests.review.reviewer import Reviewer, packet_update
from tests.submissions import BORN, changed, make_item

doc = openapi_doc


@pytest.fixture()
def officer2(make):
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def submit(api):
    """``submit(*items)``: send items as the collector; their stored submissions."""

    def send(*items) -> list[Submission]:
        results = api.submit(*items)
        assert all(r["status"] == "accepted" for r in results), results
        return [_db.session.get(Submission, uuid.UUID(i["uuid"])) for i in items]

    return send


@pytest.fixture()
def decide(app, db, officer):
    """``decide(name, submission, *args, actor=officer)``: a review service (the single
    decisions' or ``bulk_approve``), flushed."""

    def run(name: str, *args, actor=None, **kwargs):
        with app.test_request_context():
            out = getattr(bulk if name == "bulk_approve" else services, name)(
                actor or officer, *args, **kwargs)
            db.session.flush()
        return out

    return run


@pytest.fixture()
def review_as(api_as, doc):
    return lambda user: Reviewer(api_as(user), doc)


@pytest.fixture()
def reviewer(review_as, officer):
    return review_as(officer)


@pytest.fixture()
def stale_update(api, add_child, officer_does, submit, village):
    """A child renamed in the register (version 2) after the collector's phone took it at
    version 1; the collector renamed it too, and changed the mother's name and phone."""
    child = add_child()
    phone = packet_update(api, child)
    officer_does("update_child", child, {
        "child": {"full_name": "Lò Văn Thành", "sex": "1", "date_of_birth": child.date_of_birth,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    s, = submit(changed(phone, {"data.child.full_name": "Lò Văn Tâm",
                                "data.caregivers.0.full_name": "Lường Thị Xuân Hoa",
                                "data.caregivers.0.phone": "0987654321"}))
    return s, child


@pytest.fixture()
def elsewhere(db, api_as, make, village2):
    """Another collaborator's new child in the second village (no duplicate of anyone)."""
    other = make.user(roles.COLLABORATOR, [village2])
    api_as(other).submit(changed(make_item(village2.code), {
        "data.child.full_name": "Quàng Thị Mai", "data.child.sex": "2",
        "data.child.personal_id": None,
        "data.child.date_of_birth": BORN.replace(year=BORN.year - 2).isoformat()}))
    return other, db.session.scalars(select(Submission).where(Submission.user_id == other.id)
                                     ).one()
