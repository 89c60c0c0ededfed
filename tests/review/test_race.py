"""Two officers deciding the same submission at the same moment, on PostgreSQL, where the two
requests really run in parallel: one decision is applied, once; the other officer is told it
was already decided (409, code ``decided``).

They run on their own throwaway database with committed data (tests/race.py)."""

import threading
import uuid

import pytest
import sqlalchemy as sa

from fieldapp import roles
from fieldapp.extensions import db
from fieldapp.review import services
from tests.race import ONLY_POSTGRES, at_once, race_world
from tests.submissions import make_item

pytestmark = ONLY_POSTGRES


@pytest.fixture(scope="module")
def world():
    """A commune, a village, its collaborator and two officers, each with a token."""
    with race_world({"collector": (roles.COLLABORATOR, True),
                     "officer": (roles.COMMUNE_OFFICER, False),
                     "officer2": (roles.COMMUNE_OFFICER, False)}) as out:
        yield out


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


def decide_at_once(world, key: str, *decisions) -> list:
    """Post each ``(officer, body)`` decision in its own thread, all at once."""
    return at_once(world["app"], *((f"/api/v1/review/submissions/{key}", body,
                                    world["headers"][officer]) for officer, body in decisions))


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
    answers = decide_at_once(world, key, ("officer", {"action": "approve"}),
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
    answers = decide_at_once(world, key, ("officer", {"action": "approve"}),
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
    answers = at_once(world["app"], *(
        (f"/api/v1/review/submissions/{item['uuid']}", {"action": "approve"},
         world["headers"][officer]) for officer, item in (("officer", first),
                                                          ("officer2", second))))
    assert [a.status_code for a in answers] == [200, 200], [
        a.get_data(as_text=True) for a in answers]
    with world["app"].app_context(), db.engine.connect() as connection:
        households = connection.execute(sa.text(
            "SELECT DISTINCT household_id FROM child WHERE id IN (SELECT child_id FROM "
            "submission WHERE id IN (:a, :b))"),
            {"a": uuid.UUID(first["uuid"]), "b": uuid.UUID(second["uuid"])}).scalars().all()
    assert [str(h) for h in households] == [first["data"]["household"]["ref"]]
