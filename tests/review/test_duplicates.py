"""Probable duplicates of a proposed new child: the scorer's one table
(``tests/children/test_matching.py``) run through the review's read of the register, and the
other waiting submissions (two collectors registering the same child)."""

import pytest

from fieldapp import roles
from fieldapp.children import services as register
from fieldapp.review import duplicates
from tests.children.test_matching import BORN, MOTHER, NUMBER, OTHER_YEAR, PAIRS
from tests.factories import COMMUNE_B
from tests.submissions import changed

SAME = "h1"  # the table's name of the register child's household


def record(village, name="Lò Văn Thanh", born=BORN, personal_id=NUMBER, caregiver=MOTHER,
           sex="1") -> dict:
    return {"child": {"full_name": name, "sex": sex, "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": village.code,
                      "personal_id": personal_id},
            "household": {"head_name": "Lò Văn Pọm", "address": "Tổ 2"},
            "caregivers": [{"relation": "mother", "full_name": caregiver}]}


@pytest.fixture()
def thanh(app, db, officer, village):
    """The register's Lò Văn Thanh of the table: his number, household and mother."""
    with app.test_request_context():
        child = register.create_child(officer, record(village))
        db.session.flush()
    return child


def snapshot(name="Lò Văn Thanh", *, born=BORN, sex="1", village=None, household=None,
             pid=None, carers=(MOTHER,)) -> dict:
    return {"child": {"full_name": name, "sex": sex, "date_of_birth": born.isoformat(),
                      "village_code": village, "personal_id": pid},
            "household": {"id": household}, "caregivers": [{"full_name": c} for c in carers]}


@pytest.mark.parametrize("other, probable", PAIRS)
def test_the_table_through_the_register(thanh, village, village2, other, probable):
    places = {"03808-001": village.code, "03808-002": village2.code}
    other = {**other, "village": places[other.get("village", "03808-001")],
             "household": str(thanh.household_id) if other.get("household", SAME) == SAME
             else None}
    p = duplicates.proposal("key", snapshot(**other))
    matches = duplicates.find(thanh.commune_code, [p])
    assert [m.child_id for m in matches.get("key", [])] == ([thanh.id] if probable else [])


def test_a_match_says_why(thanh, village):
    [match] = duplicates.find(thanh.commune_code, [duplicates.proposal("key", snapshot(
        "Lo Van Thanh", pid=NUMBER, household=str(thanh.household_id),
        village=village.code))])["key"]
    assert (match.full_name, match.date_of_birth, match.village_code, match.score) == (
        "Lò Văn Thanh", BORN, thanh.village_code, 100)
    assert match.submission_id is None
    assert match.reasons == ["Trùng số định danh", "Cùng họ tên (khác dấu, chữ hoa)",
                             "Cùng ngày sinh", "Cùng thôn/bản", "Cùng hộ gia đình",
                             "Cùng tên người nuôi dưỡng"]


def test_a_closed_record_is_no_duplicate(thanh, village, officer_does):
    officer_does("close_child", thanh, "moved_away", None)
    p = duplicates.proposal("key", snapshot(pid=NUMBER, village=village.code))
    assert duplicates.find(thanh.commune_code, [p]) == {}


def test_another_communes_child_is_no_duplicate(app, db, make, far_village):
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    with app.test_request_context():
        stranger = register.create_child(officer_b, record(far_village))
        db.session.flush()
    p = duplicates.proposal("key", snapshot(pid=NUMBER, village=far_village.code))
    assert duplicates.find("03808", [p]) == {}
    assert duplicates.find(COMMUNE_B, [p])["key"][0].child_id == stranger.id


def test_many_proposals_in_one_pass_best_first(app, db, thanh, officer, village, village2):
    with app.test_request_context():  # his middle name left out, in the other village
        namesake = register.create_child(officer, record(
            village2, name="Lò Thanh", personal_id=None, caregiver="Hà Thị Lan"))
        db.session.flush()
    ours = duplicates.proposal("a", snapshot(village=village.code, carers=()))
    nobody = duplicates.proposal("b", snapshot("Cầm Thị Hoa", sex="2", born=OTHER_YEAR,
                                               village=village.code))
    undated = duplicates.proposal("c", changed(snapshot(), {"child.date_of_birth": "không rõ"}))
    assert undated is None
    matches = duplicates.find(thanh.commune_code, [ours, nobody, undated])
    assert set(matches) == {"a"}
    assert [m.child_id for m in matches["a"]] == [thanh.id, namesake.id]
    assert matches["a"][0].score > matches["a"][1].score


# ---- among the other waiting submissions ------------------------------------------------


def test_two_collectors_registering_the_same_child_see_each_other(
        api_as, make, submit, item, village, db):
    other_collector = make.user(roles.COLLABORATOR, [village])
    mine, = submit(item())
    twin = changed(item(), {"data.child.full_name": "Lo Van Thanh"})
    assert api_as(other_collector).submit(twin)[0]["status"] == "accepted"
    stranger, = submit(changed(item(), {"data.child.full_name": "Cầm Thị Hoa",
                                        "data.child.sex": "2", "data.child.personal_id": None}))
    matches = duplicates.find(mine.commune_code, [duplicates.proposal(mine.id, mine.data)])
    [match] = matches[mine.id]
    assert (str(match.submission_id), match.child_id) == (twin["uuid"], None)
    assert match.full_name == "Lo Van Thanh" and match.score >= 80
    assert "Cùng ngày sinh" in match.reasons
    assert duplicates.reasons_against([match]) == [duplicates.WAITING]
    assert stranger.id not in {m.submission_id for m in matches[mine.id]}


def test_a_decided_submission_is_no_waiting_twin(submit, decide, item):
    first, second = submit(item(), changed(item(), {"data.child.full_name": "Lo Van Thanh"}))
    assert duplicates.find(first.commune_code, [duplicates.proposal(first.id, first.data)])
    decide("reject_submission", second, "Trùng")
    assert duplicates.find(first.commune_code,
                           [duplicates.proposal(first.id, first.data)]) == {}
