"""Two officers deciding the same submission at the same moment, on PostgreSQL, where the two
requests really run in parallel: one decision is applied, once; the other officer is told it
was already decided (409, code ``decided``).

Like tests/api/test_race.py, these cannot use the per-test ``db`` fixture (it binds every
session to one connection): they run on their own throwaway database, with committed data."""

import os
import threading
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.auth import roles, tokens
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province
from fieldapp.review import services
from tests.conftest import _throwaway_postgres
from tests.factories import COMMUNE_A, Factory
from tests.postgres_url import admin_url
from tests.submissions import make_item

pytestmark = pytest.mark.skipif(
    os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql",
    reason="SQLite lets one writer in at a time, so two requests cannot race on it; "
           "run with FIELDAPP_TEST_ENGINE=postgresql (CI does)")


@pytest.fixture(scope="module")
def world():
    """An app on a fresh migrated database with a commune, a village, its collaborator and
    two officers, each with a token."""
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
        people = {"collector": make.user(roles.COLLABORATOR, [village]),
                  "officer": make.user(roles.COMMUNE_OFFICER),
                  "officer2": make.user(roles.COMMUNE_OFFICER)}
        headers = {}
        for name, user in people.items():
            _token, secret = tokens.issue(user, "Máy thử")
            headers[name] = {"Authorization": f"Bearer {secret}"}
        db.session.commit()
        world = {"app": app, "village": village.code, "headers": headers}
        db.session.remove()
    try:
        yield world
    finally:
        with app.app_context():
            db.engine.dispose()
        database.close()  # drops the database


@pytest.fixture()
def both_claim_together(monkeypatch):
    """Hold each decision just before its claim until the other has got there too: both
    have loaded the submission as waiting, and both try to claim it — the race, every time."""
    rendezvous = threading.Barrier(2)
    claim = services._claim

    def after_the_other(*args, **kwargs):
        rendezvous.wait(timeout=20)
        return claim(*args, **kwargs)

    monkeypatch.setattr(services, "_claim", after_the_other)
    return rendezvous


def received(world) -> str:
    """A new child's submission, sent by the collector and stored (committed)."""
    item = make_item(world["village"])
    answer = world["app"].test_client().post(
        "/api/v1/submissions", json={"submissions": [item]},
        headers=world["headers"]["collector"])
    assert answer.get_json()["results"][0]["status"] == "accepted"
    return item["uuid"]


def race(world, key: str, *decisions) -> list:
    """Post each ``(officer, body)`` decision in its own thread (own client, own app context
    and connection), all at once."""
    start = threading.Barrier(len(decisions))
    answers: list = [None] * len(decisions)

    def send(i):
        officer, body = decisions[i]
        client = world["app"].test_client()
        start.wait(timeout=20)
        try:
            answers[i] = client.post(f"/api/v1/review/submissions/{key}", json=body,
                                     headers=world["headers"][officer])
        except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
            answers[i] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(decisions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not t.is_alive() for t in threads), "a request hung"
    for answer in answers:
        assert not isinstance(answer, Exception), answer
    return answers


def stored(world, key: str) -> dict:
    with world["app"].app_context(), db.engine.connect() as connection:
        def one(sql):
            return connection.execute(sa.text(sql), {"key": uuid.UUID(key)}).scalar_one()

        return {
            "state": one("SELECT state FROM submission WHERE id = :key"),
            "children": one("SELECT count(*) FROM child WHERE id IN "
                            "(SELECT child_id FROM submission WHERE id = :key)"),
            "all_children": connection.execute(sa.text("SELECT count(*) FROM child"))
            .scalar_one(),
            "decisions": one("SELECT count(*) FROM audit_entry WHERE object_id = "
                             "CAST(:key AS VARCHAR) AND action IN ('submission_approved', "
                             "'submission_returned', 'submission_rejected')"),
        }


def by_status(answers) -> dict[int, dict]:
    assert sorted(a.status_code for a in answers) == [200, 409], [
        a.get_data(as_text=True) for a in answers]
    return {a.status_code: a.get_json() for a in answers}


def test_two_officers_approving_at_once_apply_it_once(world, both_claim_together):
    key = received(world)
    before = stored(world, key)["all_children"]
    answers = race(world, key, ("officer", {"action": "approve"}),
                   ("officer2", {"action": "approve"}))
    out = by_status(answers)
    assert out[409]["code"] == "decided"
    assert (out[200]["state"], out[200]["child_version"]) == ("approved", 1)
    after = stored(world, key)
    assert after == {"state": "approved", "children": 1, "all_children": before + 1,
                     "decisions": 1}


def test_an_approval_and_a_return_at_once_apply_one_of_them(world, both_claim_together):
    key = received(world)
    before = stored(world, key)["all_children"]
    answers = race(world, key, ("officer", {"action": "approve"}),
                   ("officer2", {"action": "return", "note": "Thiếu ngày sinh của mẹ"}))
    out = by_status(answers)
    assert out[409]["code"] == "decided"
    after = stored(world, key)
    assert after["state"] == out[200]["state"] and after["decisions"] == 1
    assert after["all_children"] == before + (after["state"] == "approved")


def test_two_siblings_of_one_new_household_approved_at_once_share_it(world, monkeypatch):
    """Both approvals find no household made from the phone's ``household.ref`` and both
    insert it; the later one joins the household the earlier one made, and neither fails."""
    first = make_item(world["village"])
    second = make_item(world["village"])
    second["data"]["household"]["ref"] = first["data"]["household"]["ref"]
    second["data"]["child"].update(full_name="Lò Thị Mai", sex="2", personal_id=None)
    answer = world["app"].test_client().post(
        "/api/v1/submissions", json={"submissions": [first, second]},
        headers=world["headers"]["collector"])
    assert [r["status"] for r in answer.get_json()["results"]] == ["accepted", "accepted"]
    rendezvous = threading.Barrier(2)
    write = services._write

    def after_the_other(*args, **kwargs):
        if args[-1] is not None:  # the first try, which makes the household (key given)
            rendezvous.wait(timeout=20)  # both have looked for it and not found it
        return write(*args, **kwargs)

    monkeypatch.setattr(services, "_write", after_the_other)
    start = threading.Barrier(2)
    answers: list = [None, None]

    def send(i, officer, key):
        client = world["app"].test_client()
        start.wait(timeout=20)
        answers[i] = client.post(f"/api/v1/review/submissions/{key}",
                                 json={"action": "approve"}, headers=world["headers"][officer])

    threads = [threading.Thread(target=send, args=(0, "officer", first["uuid"])),
               threading.Thread(target=send, args=(1, "officer2", second["uuid"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [200, 200], [
        a.get_data(as_text=True) for a in answers]
    with world["app"].app_context(), db.engine.connect() as connection:
        households = connection.execute(sa.text(
            "SELECT DISTINCT household_id FROM child WHERE id IN (SELECT child_id FROM "
            "submission WHERE id IN (:a, :b))"),
            {"a": uuid.UUID(first["uuid"]), "b": uuid.UUID(second["uuid"])}).scalars().all()
    assert [str(h) for h in households] == [first["data"]["household"]["ref"]]
