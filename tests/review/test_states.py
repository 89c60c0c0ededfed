"""The submission's state machine: received → approved | returned | rejected, returned →
superseded by its correction; notes, one's own submissions and the audit trail."""

import uuid

import pytest
from sqlalchemy import select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Child
from fieldapp.collection import services as collection
from fieldapp.collection.models import Submission
from fieldapp.errors import Forbidden, NotFound, ValidationFailed
from fieldapp.review.services import NOTE_LIMIT, AlreadyDecided
from tests.factories import COMMUNE_B
from tests.submissions import changed, make_item

STATES = ("received", "approved", "returned", "rejected", "superseded")
ACTIONS = {  # service and its extra arguments
    "approve": ("approve_submission", ()),
    "return": ("return_submission", ("Sai ngày sinh",)),
    "reject": ("reject_submission", ("Trẻ không sống ở xã",)),
}
OUTCOME = {"approve": "approved", "return": "returned", "reject": "rejected"}


def put_in(db, submission: Submission, state: str) -> None:
    db.session.execute(update(Submission).where(Submission.id == submission.id)
                       .values(state=state))
    db.session.expire(submission)


def audit_of(db, submission: Submission) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "submission",
                                 AuditEntry.object_id == str(submission.id),
                                 AuditEntry.action != "submission_received")
        .order_by(AuditEntry.id)))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_a_received_submission_can_be_decided(submit, decide, db, item, officer,
                                                    state, action):
    s, = submit(item())
    put_in(db, s, state)
    name, args = ACTIONS[action]
    if state != "received":
        with pytest.raises(AlreadyDecided):
            with db.session.begin_nested():
                decide(name, s, *args)
        db.session.refresh(s)
        assert (s.state, s.decided_by_id, s.note) == (state, None, None)
        assert audit_of(db, s) == []
        assert db.session.scalar(select(Child.id)) is None
        return
    decide(name, s, *args)
    db.session.refresh(s)
    assert s.state == OUTCOME[action]
    assert s.decided_by_id == officer.id and s.decided_at is not None
    assert s.note == (args[0] if args else None)


def test_a_second_decision_is_already_decided(submit, decide, db, item, officer2):
    s, = submit(item())
    decide("return_submission", s, "Thiếu tên mẹ")
    with pytest.raises(AlreadyDecided) as refused:
        decide("approve_submission", s, actor=officer2)
    assert "Cần sửa" in refused.value.detail and refused.value.status == 409
    db.session.refresh(s)
    assert s.state == "returned" and s.note == "Thiếu tên mẹ"


@pytest.mark.parametrize("action", ["return", "reject"])
@pytest.mark.parametrize("note", [None, "", "   ", "\t\n  \u00a0 "],
                         ids=["none", "empty", "spaces", "whitespace"])
def test_return_and_reject_need_a_note(submit, decide, db, item, action, note):
    s, = submit(item())
    with pytest.raises(ValidationFailed) as refused:
        decide(ACTIONS[action][0], s, note)
    assert list(refused.value.errors) == ["note"]
    db.session.refresh(s)
    assert s.state == "received" and audit_of(db, s) == []


@pytest.mark.parametrize("action", ["return", "reject"])
def test_a_note_is_at_most_the_limit(submit, decide, db, item, action):
    long, limit = submit(item(), item())
    with pytest.raises(ValidationFailed) as refused:
        decide(ACTIONS[action][0], long, "a" * (NOTE_LIMIT + 1))
    assert list(refused.value.errors) == ["note"]
    db.session.refresh(long)
    assert long.state == "received"
    decide(ACTIONS[action][0], limit, "  " + "a" * NOTE_LIMIT + "  ")
    db.session.refresh(limit)
    assert limit.state == OUTCOME[action] and limit.note == "a" * NOTE_LIMIT


def test_a_note_is_kept_on_single_spaces(submit, decide, db, item):
    s, = submit(item())
    decide("return_submission", s, "  Sai   ngày\nsinh  ")
    db.session.refresh(s)
    assert s.note == "Sai ngày sinh"


def own_submission(app, db, officer, village) -> Submission:
    """A submission the officer stored under their own name (the collection service)."""
    raw = make_item(village.code)
    with app.test_request_context():
        [result] = collection.receive(officer, [raw])
    assert result["status"] == "accepted", result
    return db.session.get(Submission, uuid.UUID(raw["uuid"]))


def test_nobody_approves_their_own_submission(app, db, decide, officer, village):
    s = own_submission(app, db, officer, village)
    assert s.user_id == officer.id
    with pytest.raises(Forbidden):
        decide("approve_submission", s)
    db.session.refresh(s)
    assert s.state == "received" and audit_of(db, s) == []
    assert db.session.scalar(select(Child.id)) is None


def test_another_officer_approves_it(app, db, decide, officer, officer2, village):
    s = own_submission(app, db, officer, village)
    child = decide("approve_submission", s, actor=officer2)
    assert s.state == "approved" and s.child_id == child.id


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["village_head", "other_commune_officer"])
def test_only_the_communes_officer_decides(submit, decide, db, make, item, village, action,
                                           who):
    actor = (make.user(roles.VILLAGE_HEAD, [village]) if who == "village_head"
             else make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    s, = submit(item())
    name, args = ACTIONS[action]
    with pytest.raises(Forbidden if who == "village_head" else NotFound):
        with db.session.begin_nested():
            decide(name, s, *args, actor=actor)
    db.session.refresh(s)
    assert s.state == "received" and audit_of(db, s) == []


@pytest.mark.parametrize("action", ACTIONS)
def test_every_decision_is_audited(submit, decide, db, item, officer, action):
    s, = submit(item())
    name, args = ACTIONS[action]
    out = decide(name, s, *args)
    [entry] = audit_of(db, s)
    assert entry.action == f"submission_{OUTCOME[action]}"
    assert (entry.user_id, entry.username) == (officer.id, officer.username)
    assert entry.commune_code == s.commune_code
    if action == "approve":
        assert entry.detail == {"child": str(out.id), "version": 1}
    else:
        assert args[0] not in str(entry.detail)  # the note may name people: not in the log


def test_a_correction_supersedes_the_returned_submission_and_is_approved(submit, decide, db,
                                                                         item):
    first, = submit(item())
    decide("return_submission", first, "Sai tên trẻ")
    fixed, = submit(changed(item(corrects=str(first.id)),
                            {"data.child.full_name": "Lò Văn Thành"}))
    db.session.refresh(first)
    assert first.state == "superseded" and fixed.corrects_id == first.id
    with pytest.raises(AlreadyDecided):
        with db.session.begin_nested():
            decide("approve_submission", first)
    child = decide("approve_submission", fixed)
    assert fixed.state == "approved" and child.full_name == "Lò Văn Thành"
    db.session.refresh(first)
    assert first.state == "superseded"
    assert db.session.scalars(select(Child.full_name)).all() == ["Lò Văn Thành"]
