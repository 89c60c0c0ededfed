"""Two requests with one UUID at the same moment — a phone retrying while its first try is still
on the way, or an outbox copied to a second phone — on PostgreSQL, where they really run in
parallel. Exactly one row is stored; the other request gets its receipt or a conflict.

These tests cannot use the per-test ``db`` fixture: it binds every session to one connection,
so two requests could never overlap. They run on their own throwaway database instead."""

import os
import threading
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.auth import roles, tokens
from fieldapp.collection import services
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province
from tests.conftest import _throwaway_postgres
from tests.factories import COMMUNE_A, Factory
from tests.postgres_url import admin_url
from tests.submissions import changed, make_item

pytestmark = pytest.mark.skipif(
    os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql",
    reason="SQLite lets one writer in at a time, so two requests cannot race on it; "
           "run with FIELDAPP_TEST_ENGINE=postgresql (CI does)")


@pytest.fixture(scope="module")
def world():
    """An app on a fresh migrated database with one commune, a village, a collaborator and
    the collaborator's token."""
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
        collector = make.user(roles.COLLABORATOR, [village])
        _token, secret = tokens.issue(collector, "Điện thoại thử")
        db.session.commit()
        world = {"app": app, "village": village.code,
                 "headers": {"Authorization": f"Bearer {secret}"}}
        db.session.remove()
    try:
        yield world
    finally:
        with app.app_context():
            db.engine.dispose()
        database.close()  # drops the database


@pytest.fixture()
def both_look_first(monkeypatch):
    """Hold each request just before its INSERT until the other has got there too, so that
    both have looked for the UUID and found nothing: the race, every time."""
    rendezvous = threading.Barrier(2)
    insert = services._insert_new

    def after_the_other(rows):
        rendezvous.wait(timeout=20)
        return insert(rows)

    monkeypatch.setattr(services, "_insert_new", after_the_other)
    return rendezvous


def race(world, *items) -> list:
    """Post each item in its own thread (own client, own connection), all at once."""
    start = threading.Barrier(len(items))
    answers: list = [None] * len(items)

    def send(i):
        client = world["app"].test_client()
        start.wait(timeout=20)
        try:
            answers[i] = client.post("/api/v1/submissions", json={"submissions": [items[i]]},
                                     headers=world["headers"])
        except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
            answers[i] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not t.is_alive() for t in threads), "a request hung"
    for answer in answers:
        assert not isinstance(answer, Exception), answer
        assert answer.status_code == 200, answer.get_data(as_text=True)
    return [answer.get_json()["results"][0] for answer in answers]


def rows(world, key: str) -> dict:
    with world["app"].app_context(), db.engine.connect() as connection:
        def count(sql):
            return connection.execute(sa.text(sql), {"key": uuid.UUID(key)}).scalar_one()

        return {
            "submissions": count("SELECT count(*) FROM submission WHERE id = :key"),
            "conflicts": count("SELECT count(*) FROM submission_conflict "
                               "WHERE submission_id = :key"),
            "received": count("SELECT count(*) FROM audit_entry WHERE object_id = "
                              "CAST(:key AS VARCHAR) AND action = 'submission_received'"),
        }


def test_the_same_submission_twice_at_once_is_stored_once(world, both_look_first):
    item = make_item(world["village"])
    results = race(world, item, dict(item))
    assert sorted(r["status"] for r in results) == ["accepted", "duplicate"]
    assert results[0]["receipt"] == results[1]["receipt"]
    assert results[0]["receipt"]["id"] == item["uuid"]
    assert rows(world, item["uuid"]) == {"submissions": 1, "conflicts": 0, "received": 1}


def test_two_contents_under_one_uuid_at_once_keep_both(world, both_look_first):
    item = make_item(world["village"])
    other = changed(item, {"data.child.full_name": "Lò Văn Thành"})
    results = race(world, item, other)
    by_status = {r["status"]: r for r in results}
    assert set(by_status) == {"accepted", "conflict"}
    assert by_status["accepted"]["receipt"]["id"] == item["uuid"]
    assert by_status["conflict"]["receipt"]["state"] == "conflict"
    assert rows(world, item["uuid"]) == {"submissions": 1, "conflicts": 1, "received": 1}
