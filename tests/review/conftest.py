"""Review fixtures: the sync API's commune, collector, officer and register (tests/api), a
second officer, and ``submit``/``decide`` helpers that go through the real services."""

import uuid

import pytest

from fieldapp.auth import roles
from fieldapp.collection.models import Submission
from fieldapp.extensions import db as _db
from fieldapp.review import services
from tests.api.conftest import (  # noqa: F401 - fixtures shared with the sync API's tests
    Api,
    add_child,
    api,
    api_as,
    collector,
    far_village,
    issue,
    item,
    officer,
    officer_does,
    village,
    village2,
)


@pytest.fixture()
def officer2(make):
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def submit(api):  # noqa: F811 - the fixture imported above
    """``submit(*items)``: send items as the collector; their stored submissions."""

    def send(*items) -> list[Submission]:
        results = api.submit(*items)
        assert all(r["status"] == "accepted" for r in results), results
        return [_db.session.get(Submission, uuid.UUID(i["uuid"])) for i in items]

    return send


@pytest.fixture()
def decide(app, db, officer):  # noqa: F811 - the fixture imported above
    """``decide(name, submission, *args, actor=officer)``: a review service, flushed."""

    def run(name: str, *args, actor=None, **kwargs):
        with app.test_request_context():
            out = getattr(services, name)(actor or officer, *args, **kwargs)
            db.session.flush()
        return out

    return run
