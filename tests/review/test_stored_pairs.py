"""Probable duplicates stored as things change (issue 13): a submission that arrives, a
decision, a register child written; the inbox's filter, the bulk approval and the officer's
home read them. The scorer's own table is ``tests/children/test_matching.py``."""

import re

import pytest
from sqlalchemy import delete, select

from fieldapp import roles
from fieldapp.children import services as register
from fieldapp.children.models import DuplicatePair
from fieldapp.collection.models import SubmissionPair
from fieldapp.review import duplicates
from tests.factories import PASSWORD
from tests.submissions import changed


def submission_pairs(db) -> set[tuple]:
    """(submission, register child or other submission) of every stored pair, once this
    transaction's changes are judged (as at a commit, or before the app reads them)."""
    register.refresh_pairs()
    return {(s, c or o) for s, c, o in db.session.execute(select(
        SubmissionPair.submission_id, SubmissionPair.child_id, SubmissionPair.other_id))}


def register_pairs(db) -> set[frozenset]:
    register.refresh_pairs()
    return {frozenset(pair) for pair in db.session.execute(
        select(DuplicatePair.child_a_id, DuplicatePair.child_b_id))}


def home_count(client) -> int:
    html = client.get("/").get_data(as_text=True)
    return int(re.search(r"<strong>(\d+)</strong> cặp hồ sơ có thể trùng", html).group(1))


@pytest.fixture()
def twins(api_as, make, submit, item, village):
    """Lò Văn Thanh sent by the collector, and again (without diacritics) by another."""
    mine, = submit(item())
    other = api_as(make.user(roles.COLLABORATOR, [village]))
    twin = changed(item(), {"data.child.full_name": "Lo Van Thanh"})
    assert other.submit(twin)[0]["status"] == "accepted"
    return mine, twin["uuid"]


def test_an_arriving_submission_is_paired_with_the_register_and_its_twin(
        db, add_child, submit, item, twins):
    mine, twin = twins
    thanh = add_child()  # written after both arrived: judged against them too
    stranger, = submit(changed(item(), {"data.child.full_name": "Cầm Thị Hoa",
                                        "data.child.sex": "2", "data.child.personal_id": None}))
    assert {(str(s), str(o)) for s, o in submission_pairs(db)} == {
        (str(mine.id), twin), (twin, str(mine.id)),
        (str(mine.id), str(thanh.id)), (twin, str(thanh.id))}
    stored = duplicates.stored([mine.id, stranger.id])
    assert set(stored) == {mine.id}
    live = duplicates.find(mine.commune_code, [duplicates.proposal(mine.id, mine.data)])
    assert [(m.child_id, m.submission_id, m.score, m.full_name) for m in stored[mine.id]] == [
        (m.child_id, m.submission_id, m.score, m.full_name) for m in live[mine.id]]


@pytest.mark.parametrize("decision, args", [("reject_submission", ("Trùng",)),
                                            ("return_submission", ("Sửa tên",))])
def test_a_decided_submission_leaves_the_pairs(db, decide, twins, decision, args):
    mine, twin = twins
    decide(decision, mine, *args)
    assert submission_pairs(db) == set()


def test_an_approved_one_becomes_the_register_childs_pairs(db, decide, twins):
    mine, twin = twins
    child = decide("approve_submission", mine)
    assert {(str(s), str(o)) for s, o in submission_pairs(db)} == {(twin, str(child.id))}


def test_a_child_edited_to_look_like_another_is_paired_until_closed(
        client, login, officer, db, add_child, officer_does, village):
    thanh = add_child()
    hoa = add_child("Cầm Thị Hoa", sex="2")
    login(officer, PASSWORD)
    assert register_pairs(db) == set() and home_count(client) == 0
    officer_does("update_child", hoa, {
        "child": {"full_name": "Lò Văn Thanh", "sex": "1", "date_of_birth": hoa.date_of_birth,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    assert register_pairs(db) == {frozenset((thanh.id, hoa.id))}
    assert home_count(client) == 1
    officer_does("close_child", hoa, "moved_away", None)
    assert register_pairs(db) == set() and home_count(client) == 0


def test_the_inbox_filter_reads_the_stored_pairs(client, login, officer, db, submit, item,
                                                 add_child, reviewer):
    add_child()
    flagged, = submit(item())
    clean, = submit(changed(item(), {"data.child.full_name": "Cầm Thị Hoa",
                                     "data.child.sex": "2", "data.child.personal_id": None}))
    login(officer, PASSWORD)
    html = client.get("/review?flag=duplicate").get_data(as_text=True)
    assert str(flagged.id) in html and str(clean.id) not in html
    assert reviewer.ids(flag="duplicate") == [str(flagged.id)]
    db.session.execute(delete(SubmissionPair))  # what is read is what was stored
    assert reviewer.ids(flag="duplicate") == []


def test_rebuild_gives_the_pairs_kept_as_things_changed(app, db, add_child, twins, runner):
    add_child()
    add_child("Lo Van Thanh")
    before = submission_pairs(db), register_pairs(db)
    assert all(before)
    db.session.execute(delete(SubmissionPair))
    db.session.execute(delete(DuplicatePair))
    result = runner.invoke(args=["duplicates", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "03808: 1 register pairs" in result.output
    assert (submission_pairs(db), register_pairs(db)) == before


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()
