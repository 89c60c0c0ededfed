"""A UUID another author stored: whoever sends it (another commune's collaborator, or one of
the same commune), with the same content or another, the answer is ``invalid`` with one
message, and nothing is kept for the owner's officer to see."""

import uuid

from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.collection.models import Submission, SubmissionConflict
from fieldapp.collection.services import FOREIGN
from tests.submissions import changed, make_item

REVIEW = "/api/v1/review/submissions"


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_another_communes_uuid_is_invalid_and_nothing_reaches_its_officer(
        api, api_as, make, db, item, officer, far_village):
    mine = item()
    api.submit(mine)
    stranger = api_as(make.user(roles.COLLABORATOR, [far_village]))
    theirs = make_item(far_village.code, uuid=mine["uuid"])
    [other_content] = stranger.submit(theirs)
    [same_content] = stranger.submit(mine)  # the owner's very content: no receipt either
    for result in (other_content, same_content):
        assert result == {"uuid": mine["uuid"], "status": "invalid", "receipt": None,
                          "errors": {"uuid": [FOREIGN]}, "warnings": {}}
    assert count(db, SubmissionConflict) == 0
    assert count(db, AuditEntry, AuditEntry.action == "submission_conflict") == 0
    stored = db.session.get(Submission, uuid.UUID(mine["uuid"]))
    assert stored.content_hash and stored.data == mine["data"]

    inbox = api_as(officer).get(REVIEW).get_json()
    [row] = inbox["items"]
    assert row["id"] == mine["uuid"] and row["conflict"] is False


def test_a_colleagues_uuid_gets_the_same_answer_as_a_stranger(api, api_as, make, db, item,
                                                              village, far_village):
    mine = item()
    api.submit(mine)
    colleague = api_as(make.user(roles.COLLABORATOR, [village]))
    stranger = api_as(make.user(roles.COLLABORATOR, [far_village]))
    [near] = colleague.submit(changed(mine, {"data.child.full_name": "Lò Văn Khác"}))
    [far] = stranger.submit(make_item(far_village.code, uuid=mine["uuid"]))
    assert near == far  # one message: the answer tells nothing of where the owner works
    assert count(db, SubmissionConflict) == 0


def test_the_owner_still_gets_duplicate_and_conflict(api, db, item):
    mine = item()
    api.submit(mine)
    [again] = api.submit(mine)
    [other] = api.submit(changed(mine, {"data.child.full_name": "Lò Văn Thành"}))
    assert (again["status"], other["status"]) == ("duplicate", "conflict")
    assert count(db, SubmissionConflict) == 1
