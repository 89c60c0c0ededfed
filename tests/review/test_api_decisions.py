"""The review API's decisions (``POST /api/v1/review/submissions/<id>``): approve, return
and reject, resolutions of a stale update, and bodies that are not decisions; every answer is
checked against the OpenAPI document."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp.children.models import Child, ChildChange
from fieldapp.review.services import NOTE_LIMIT
from tests.api.problems import assert_problem
from tests.review.reviewer import children, decisions, submission

# Decisions

def test_approving_a_new_child_puts_it_in_the_register(db, submit, item, reviewer):
    s, = submit(item())
    answer = reviewer.decide(s.id, {"action": "approve"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    child = db.session.get(Child, uuid.UUID(body["child_id"]))
    assert body == {"id": str(s.id), "state": "approved", "note": None,
                    "child_id": str(child.id), "child_version": 1}
    assert (child.full_name, str(child.household_id)) == ("Lò Văn Thanh",
                                                          s.data["household"]["ref"])
    change = db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)).one()
    assert (change.version, change.source, change.source_ref) == (1, "submission", str(s.id))
    assert decisions(db, s) == ["submission_approved"]
    assert reviewer.ids() == []
    shown = reviewer.one(s.id).get_json()
    assert (shown["state"], shown["kind"], shown["fields"]) == ("approved", "new", None)


def test_a_second_approval_is_told_it_was_decided(db, submit, item, reviewer, review_as,
                                                  officer2):
    s, = submit(item())
    assert reviewer.decide(s.id, {"action": "approve"}).status_code == 200
    for again in (reviewer, review_as(officer2)):
        for body in ({"action": "approve"}, {"action": "reject", "note": "Trùng"}):
            assert assert_problem(again.decide(s.id, body), 409)["code"] == "decided"
    assert children(db) == 1
    assert (submission(db, s).state, decisions(db, s)) == ("approved", ["submission_approved"])


@pytest.mark.parametrize(("action", "state"), [("return", "returned"), ("reject", "rejected")])
def test_return_and_reject_need_a_note(db, submit, item, reviewer, action, state):
    s, = submit(item())
    for body in ({"action": action}, {"action": action, "note": None},
                 {"action": action, "note": "  \n "}):
        problem = assert_problem(reviewer.decide(s.id, body), 422)
        assert list(problem["errors"]) == ["note"]
    assert submission(db, s).state == "received"
    answer = reviewer.decide(s.id, {"action": action, "note": " Sai  ngày sinh "})
    assert answer.get_json() == {"id": str(s.id), "state": state, "note": "Sai ngày sinh",
                                 "child_id": None, "child_version": None}
    assert decisions(db, s) == [f"submission_{state}"] and children(db) == 0


def test_a_stale_update_needs_a_choice_for_what_both_changed(db, reviewer, stale_update):
    s, child = stale_update
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve"}), 422)
    assert list(problem["errors"]) == ["child.full_name"]
    db.session.expire_all()
    assert (submission(db, s).state, child.version, child.full_name) == (
        "received", 2, "Lò Văn Thành")
    assert decisions(db, s) == []


@pytest.mark.parametrize(("choice", "name"), [("register", "Lò Văn Thành"),
                                              ("proposed", "Lò Văn Tâm")])
def test_a_resolution_decides_what_both_changed(db, reviewer, stale_update, choice, name):
    s, child = stale_update
    answer = reviewer.decide(s.id, {"action": "approve", "register_version": 2,
                                    "resolutions": {"child.full_name": choice}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["child_version"] == 3
    db.session.expire_all()
    mother = child.caregivers[0]
    assert (child.full_name, mother.full_name, mother.phone, child.version) == (
        name, "Lường Thị Xuân Hoa", "0987654321", 3)  # the collector's changes by default


def test_keeping_what_only_the_collector_changed(db, reviewer, stale_update):
    s, child = stale_update
    answer = reviewer.decide(s.id, {"action": "approve", "resolutions": {
        "child.full_name": "proposed", "caregivers.0.full_name": "register"}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    db.session.expire_all()
    mother = child.caregivers[0]
    assert (child.full_name, mother.full_name, mother.phone) == (
        "Lò Văn Tâm", "Lường Thị Xuân", "0987654321")


@pytest.mark.parametrize(("resolutions", "wrong"), [
    ({"child.full_name": "register", "child.nickname": "proposed"}, "child.nickname"),
    ({"child.full_name": "register", "child.sex": "proposed"}, "child.sex"),  # no difference
    ({"child.full_name": "mine"}, "child.full_name"),
    ({"child.full_name": ["register"]}, "child.full_name"),
    ({"caregivers.0.full_name": "register"}, "child.full_name"),  # still to choose
])
def test_a_resolution_that_is_not_one_is_a_422(db, reviewer, stale_update, resolutions, wrong):
    s, child = stale_update
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve",
                                                    "resolutions": resolutions}), 422)
    assert list(problem["errors"]) == [wrong]
    db.session.expire_all()
    assert (submission(db, s).state, child.version) == ("received", 2)


def test_a_register_changed_since_it_was_read_applies_nothing(db, reviewer, stale_update):
    s, child = stale_update
    answer = reviewer.decide(s.id, {"action": "approve", "register_version": 1,
                                    "resolutions": {"child.full_name": "proposed"}})
    assert assert_problem(answer, 409)["code"] == "register_changed"
    db.session.expire_all()
    assert (submission(db, s).state, child.version, decisions(db, s)) == ("received", 2, [])


def test_a_resolution_on_a_new_child_is_a_422(db, submit, item, reviewer):
    s, = submit(item())
    problem = assert_problem(reviewer.decide(s.id, {
        "action": "approve", "resolutions": {"child.full_name": "register"}}), 422)
    assert list(problem["errors"]) == ["child.full_name"]
    assert children(db) == 0


def test_an_approval_refused_by_todays_rules_applies_nothing(db, submit, item, reviewer,
                                                             village):
    s, = submit(item())
    village.active = False  # valid when received; the village was retired since
    db.session.flush()
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve"}), 422)
    assert list(problem["errors"]) == ["child.village"]
    s = submission(db, s)
    assert (s.state, s.decided_at, s.decided_by_id) == ("received", None, None)
    assert (children(db), decisions(db, s)) == (0, [])
    village.active = True
    db.session.flush()
    assert reviewer.decide(s.id, {"action": "approve"}).status_code == 200


BAD_BODIES = [
    ({}, ["action"]),
    ({"action": "approve_all"}, ["action"]),
    ({"action": None}, ["action"]),
    ({"action": "return", "note": "x" * (NOTE_LIMIT + 1)}, ["note"]),
    ({"action": "return", "note": "Sai\x00tên"}, ["note"]),
    ({"action": "return", "note": 5}, ["note"]),
    ({"action": "approve", "register_version": "2"}, ["register_version"]),
    ({"action": "approve", "register_version": 1.5}, ["register_version"]),
    ({"action": "approve", "resolutions": ["child.full_name"]}, ["resolutions"]),
    ({"action": "approve", "resolutions": None}, ["resolutions"]),
]


@pytest.mark.parametrize(("body", "errors"), BAD_BODIES)
def test_a_decision_that_is_not_one_is_a_422(db, submit, item, reviewer, body, errors):
    s, = submit(item())
    assert list(assert_problem(reviewer.decide(s.id, body), 422)["errors"]) == errors
    assert submission(db, s).state == "received"


@pytest.mark.parametrize(("data", "content_type"), [
    ("{", "application/json"), ("[]", "application/json"), ("null", "application/json"),
    ('{"action": "approve"}', "text/plain"), ('{"x": NaN}', "application/json"),
])
def test_a_body_that_is_not_a_json_object_is_a_400(db, submit, item, reviewer, data,
                                                   content_type):
    s, = submit(item())
    assert_problem(reviewer.decide(s.id, data=data, content_type=content_type), 400)
    assert submission(db, s).state == "received"


def test_a_body_above_the_limit_is_a_413(db, submit, item, reviewer):
    s, = submit(item())
    answer = reviewer.decide(s.id, {"action": "approve", "padding": "x" * 1_000_001})
    assert_problem(answer, 413)
