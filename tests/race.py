"""Requests that really run at the same moment, on PostgreSQL: a throwaway database with
committed data (the per-test ``db`` fixture binds every session to one connection, so two
requests could never overlap there), and a runner that posts from several threads at once."""

import os
import threading
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.auth import tokens
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province
from tests.conftest import _throwaway_postgres
from tests.factories import COMMUNE_A, Factory
from tests.postgres_url import admin_url

ONLY_POSTGRES = pytest.mark.skipif(
    os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql",
    reason="SQLite lets one writer in at a time, so two requests cannot race on it; "
           "run with FIELDAPP_TEST_ENGINE=postgresql (CI does)")


@contextmanager
def race_world(people: dict[str, tuple[str, bool]]):
    """An app on a fresh migrated database with one commune and a village.

    :param people: name → (role, lives in the village); each gets a user and a token.
    :returns: ``{"app", "village", "headers": {name: {"Authorization": …}}}``
    """
    admin = admin_url()
    if admin is None:
        pytest.fail("FIELDAPP_TEST_ENGINE=postgresql but no PostgreSQL answers")
    database = _throwaway_postgres(admin)
    app = create_app({"ENV": "test", "TESTING": True, "SECRET_KEY": "race",
                      "DATABASE_URL": next(database)})
    with app.app_context():
        upgrade()
        db.session.add(Province(code="14", name="Tỉnh Sơn La", division_type="Tỉnh"))
        db.session.add(Commune(code=COMMUNE_A, name="Xã Mường La", division_type="Xã",
                               province_code="14"))
        make = Factory(db)
        village = make.village()
        headers = {}
        for name, (role, in_village) in people.items():
            user = make.user(role, [village] if in_village else None)
            _token, secret = tokens.issue(user, "Máy thử")
            headers[name] = {"Authorization": f"Bearer {secret}"}
        db.session.commit()
        out = {"app": app, "village": village.code, "headers": headers}
        db.session.remove()
    try:
        yield out
    finally:
        with app.app_context():
            db.engine.dispose()
        database.close()  # drops the database


def at_once(app, *requests) -> list:
    """Send each ``(path, json, headers)`` POST (or ``(path, json, headers, method)``) in its
    own thread (own client, own app context and connection), all released together; the
    answers, in order."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(i):
        path, body, headers, *method = requests[i]
        client = app.test_client()
        start.wait(timeout=20)
        try:
            answers[i] = client.open(path, method=(method or ["POST"])[0], json=body,
                                     headers=headers)
        except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
            answers[i] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not t.is_alive() for t in threads), "a request hung"
    for answer in answers:
        assert not isinstance(answer, Exception), answer
    return answers
