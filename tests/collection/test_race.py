"""Two requests with one UUID at the same moment — a phone retrying while its first try is still
on the way, or an outbox copied to a second phone — on PostgreSQL, where they really run in
parallel. Exactly one row is stored; the other request gets its receipt or a conflict.

They run on their own throwaway database (tests/race.py)."""

import threading
import uuid

import pytest
import sqlalchemy as sa

from fieldapp import roles
from fieldapp.collection import services
from fieldapp.extensions import db
from tests.race import ONLY_POSTGRES, at_once, race_world
from tests.submissions import changed, make_item, make_report

pytestmark = ONLY_POSTGRES


@pytest.fixture(scope="module")
def world():
    """One commune, a village, a collaborator and the collaborator's token."""
    with race_world({"collector": (roles.COLLABORATOR, True)}) as out:
        yield {**out, "headers": out["headers"]["collector"]}


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
    """Post each item in its own thread, all at once; the per-item results."""
    answers = at_once(world["app"], *(("/api/v1/submissions", {"submissions": [item]},
                                       world["headers"]) for item in items))
    for answer in answers:
        assert answer.status_code == 200, answer.get_data(as_text=True)
    return [answer.get_json()["results"][0] for answer in answers]


def rows(world, key: str) -> dict:
    with world["app"].app_context(), db.engine.connect() as connection:
        def count(sql):
            return connection.execute(sa.text(sql), {"key": uuid.UUID(key)}).scalar_one()

        return {
            "submissions": count("SELECT count(*) FROM submission WHERE id = :key"),
            "cases": count("SELECT count(*) FROM protection_case WHERE submission_id = :key"),
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
    assert rows(world, item["uuid"]) == {"submissions": 1, "cases": 0, "conflicts": 0,
                                       "received": 1}


def test_two_contents_under_one_uuid_at_once_keep_both(world, both_look_first):
    item = make_item(world["village"])
    other = changed(item, {"data.child.full_name": "Lò Văn Thành"})
    results = race(world, item, other)
    by_status = {r["status"]: r for r in results}
    assert set(by_status) == {"accepted", "conflict"}
    assert by_status["accepted"]["receipt"]["id"] == item["uuid"]
    assert by_status["conflict"]["receipt"]["state"] == "conflict"
    assert rows(world, item["uuid"]) == {"submissions": 1, "cases": 0, "conflicts": 1,
                                       "received": 1}


def test_the_same_report_twice_at_once_opens_one_case(world, both_look_first):
    item = make_report(world["village"])
    results = race(world, item, dict(item))
    assert sorted(r["status"] for r in results) == ["accepted", "duplicate"]
    assert results[0]["receipt"] == results[1]["receipt"]
    assert results[0]["receipt"]["state"] == "acknowledged"
    assert rows(world, item["uuid"]) == {"submissions": 1, "cases": 1, "conflicts": 0,
                                         "received": 1}
