"""Issue 14, rule 2: NC02 follows the household's poverty status (never typed by hand);
DB14 only for a child of a poor or near-poor household.

Through the services, the officer's forms, a phone's submission approved in review, and the
``flask children align`` command for a register kept before the rule."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp.children import _rules as rules
from fieldapp.children.models import Child, ChildChange, Circumstance, Household
from fieldapp.collection.models import Submission
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db as _db
from fieldapp.review.services import capture_day
from tests.children.pages import TODAY, days_ago, error_of, form_values
from tests.review.reviewer import packet_update
from tests.submissions import changed

HEAD = {"head_name": "Lò Văn Pọm", "address": "Tổ 2"}


def _nc02(child) -> list[tuple]:
    return [(c.since, c.until) for c in child.circumstances if c.code == "NC02"]


def _household(officer_does, village, status="none") -> Household:
    return officer_does("create_household", {**HEAD, "village_code": village.code,
                                             "poverty_status": status})


# --- through the services ----------------------------------------------------------------

STATUS_CHANGES = [  # from, to -> the child's NC02 afterwards, and whether a version was made
    pytest.param("none", "poor", [(TODAY, None)], True, id="becomes-poor"),
    pytest.param("none", "near_poor", [(TODAY, None)], True, id="becomes-near-poor"),
    pytest.param("poor", "near_poor", [(days_ago(30), None)], False, id="still-poor"),
    pytest.param("poor", "none", [(days_ago(30), TODAY)], True, id="leaves-poverty"),
    pytest.param("none", "none", [], False, id="never-poor"),
]


@pytest.mark.parametrize(("before", "after", "nc02", "versioned"), STATUS_CHANGES)
def test_nc02_follows_the_household(db, village, add_child, officer_does, before, after, nc02,
                                    versioned):
    household = _household(officer_does, village, before)
    child = add_child(household_id=household.id, capture_date=days_ago(30))
    officer_does("update_household", household, {**HEAD, "village_code": village.code,
                                                  "poverty_status": after})
    assert _nc02(child) == nc02
    assert child.version == (2 if versioned else 1)
    if versioned:
        last = db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)
                                  .order_by(ChildChange.version.desc())).first()
        assert last.note.startswith("Hộ gia đình")


def test_a_closed_or_grown_child_keeps_its_groups(village, add_child, officer_does):
    household = _household(officer_does, village)
    closed = add_child("Lò Văn Một", household_id=household.id)
    officer_does("close_child", closed, "moved_away", None)
    officer_does("update_household", household, {**HEAD, "village_code": village.code,
                                                  "poverty_status": "poor"})
    assert _nc02(closed) == [] and closed.version == 2


HAND_TYPED = [  # code, household status -> the error next to the code (None: accepted)
    pytest.param("NC02", "poor", rules.NOT_BY_HAND, id="nc02-poor"),
    pytest.param("NC02", "none", rules.NOT_BY_HAND, id="nc02-none"),
    pytest.param("DB14", "none", rules.NOT_POOR, id="db14-not-poor"),
    pytest.param("DB14", "near_poor", None, id="db14-near-poor"),
    pytest.param("DB14", "poor", None, id="db14-poor"),
]


@pytest.mark.parametrize(("code", "status", "error"), HAND_TYPED)
def test_adding_a_group_of_the_household(village, add_child, officer_does, code, status, error):
    household = _household(officer_does, village, status)
    child = add_child(household_id=household.id)
    if error:
        with pytest.raises(ValidationFailed) as refused:
            officer_does("add_circumstance", child, {"code": code})
        assert refused.value.errors == {"circumstance.code": [error]}
    else:
        officer_does("add_circumstance", child, {"code": code})
        assert code in {c.code for c in child.circumstances}


@pytest.mark.parametrize(("code", "status", "error"), HAND_TYPED)
def test_a_new_childs_record(village, add_child, officer_does, code, status, error):
    household = _household(officer_does, village, status)
    rows = [{"code": code, "since": days_ago(10)}]
    for where in ({"household_id": household.id}, {"poverty": status}):
        if error:
            with pytest.raises(ValidationFailed) as refused:
                add_child(circumstances=rows, **where)
            assert refused.value.errors == {"circumstances.0.code": [error]}
        else:
            assert code in {c.code for c in add_child(circumstances=rows, **where).circumstances}


def test_nc02_cannot_be_ended_by_hand(add_child, officer_does):
    child = add_child(poverty="poor")
    [nc02] = child.circumstances
    with pytest.raises(ValidationFailed) as refused:
        officer_does("end_circumstance", nc02, None)
    assert refused.value.errors == {"until": [rules.NOT_BY_HAND]}


def test_align_brings_an_older_register_in_line(db, village, add_child, runner):
    # As a register kept before the rule holds them: a poor child without NC02, a child in
    # NC02 whose household is not poor.
    poor = add_child("Lò Văn Một", poverty="poor")
    poor.circumstances.clear()
    rich = add_child("Lò Văn Hai")
    rich.circumstances.append(Circumstance(code="NC02", detail={}, since=days_ago(90), note=""))
    db.session.flush()
    result = runner.invoke(args=["children", "align", "--commune", village.commune_code])
    assert result.exit_code == 0, result.output
    assert f"{village.commune_code}: 2 children changed" in result.output
    db.session.expire_all()
    assert _nc02(poor) == [(TODAY, None)] and _nc02(rich) == [(days_ago(90), TODAY)]
    again = runner.invoke(args=["children", "align", "--commune", village.commune_code])
    assert f"{village.commune_code}: 0 children changed" in again.output


# --- through the officer's forms -----------------------------------------------------------

def test_the_household_form_sets_and_ends_nc02(client, db, login, officer, village, add_child,
                                              officer_does):
    household = _household(officer_does, village)
    child = add_child(household_id=household.id)
    login(officer)
    path = f"/children/households/{household.id}"
    for status, nc02 in (("poor", [(TODAY, None)]), ("none", [(TODAY, TODAY)])):
        values = form_values(client.get(path).get_data(as_text=True), "household-form")
        values["poverty_status"] = status
        assert client.post(path, data=values).status_code == 302
        db.session.expire_all()
        assert _nc02(child) == nc02
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "NC02" in page and "Hộ gia đình thuộc hộ nghèo/cận nghèo" in page


@pytest.mark.parametrize(("code", "status", "error"),
                         [p for p in HAND_TYPED if p.values[2]])
def test_the_add_form_refuses_next_to_the_code(client, db, login, officer, village, add_child,
                                               officer_does, code, status, error):
    child = add_child(household_id=_household(officer_does, village, status).id)
    login(officer)
    values = form_values(client.get(f"/children/{child.id}").get_data(as_text=True),
                         "add-circumstance")
    values["add-item-code"] = code
    refused = client.post(f"/children/{child.id}/circumstances", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "add-item-code") == error
    db.session.refresh(child)
    assert child.version == 1


@pytest.mark.parametrize(("code", "status", "error"), [
    pytest.param("NC02", "poor", rules.NOT_BY_HAND, id="nc02"),
    pytest.param("DB14", "none", rules.NOT_POOR, id="db14-not-poor"),
])
def test_the_new_child_form_refuses_next_to_the_code(client, db, login, officer, village,
                                                     code, status, error):
    login(officer)
    values = form_values(client.get("/children/new").get_data(as_text=True), "child-form")
    values.update({"full_name": "Nguyễn Văn An", "sex": "1",
                   "date_of_birth": days_ago(2500).isoformat(), "ethnicity_code": "01",
                   "village_code": village.code, "household-head_name": "Nguyễn Văn Bình",
                   "household-poverty_status": status, "caregivers-0-relation": "father",
                   "caregivers-0-full_name": "Nguyễn Văn Bình", "circumstances-0-code": code})
    refused = client.post("/children/new", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "circumstances-0-code") == error


# --- through a phone's submission, approved in review -------------------------------------

@pytest.fixture()
def approve(api, api_as, officer, db):
    reviewer = api_as(officer)

    def run(item):
        [result] = api.submit(item)
        assert result["status"] == "accepted", result
        answer = reviewer.post(f"/api/v1/review/submissions/{item['uuid']}",
                               json={"action": "approve"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        db.session.expire_all()
        return db.session.get(Submission, uuid.UUID(item["uuid"]))

    return run


PHONE_NEW = [  # household status, circumstances sent -> codes in the register
    pytest.param("poor", [], {"NC02"}, id="poor-gets-nc02"),
    pytest.param("none", [{"code": "NC02"}], set(), id="nc02-of-a-non-poor-left-out"),
    pytest.param("near_poor", [{"code": "NC02"}], {"NC02"}, id="nc02-kept-once"),
    pytest.param("poor", [{"code": "DB14"}], {"NC02", "DB14"}, id="db14-poor"),
]


@pytest.mark.parametrize(("status", "rows", "codes"), PHONE_NEW)
def test_a_phones_new_child(item, approve, status, rows, codes):
    rows = [{"since": days_ago(20).isoformat(), **row} for row in rows]
    s = approve(changed(item(), {"data.household.poverty_status": status,
                                 "data.circumstances": rows}))
    assert s.state == "approved"
    child = _db.session.get(Child, s.child_id)
    assert {c.code for c in child.circumstances} == codes


def test_a_phones_db14_in_a_non_poor_household_is_refused_on_receipt(api, item):
    [result] = api.submit(changed(item(), {"data.household.poverty_status": "none",
                                           "data.circumstances": [{"code": "DB14"}]}))
    assert result["status"] == "invalid"
    assert result["errors"]["circumstances.0.code"] == [rules.NOT_POOR]


def test_a_phone_changing_the_poverty_status_moves_nc02_in_one_version(api, approve, db,
                                                                       add_child):
    child = add_child()
    s = approve(packet_update(api, child, {"data.household.poverty_status": "near_poor"}))
    assert s.state == "approved"
    db.session.refresh(child)
    assert _nc02(child) == [(capture_day(s), None)] and child.version == 2
    s = approve(packet_update(api, child, {"data.household.poverty_status": "none"}))
    db.session.refresh(child)
    assert child.version == 3 and _nc02(child)[0][1] is not None


def test_a_phone_ending_nc02_of_a_poor_household_is_normalised(api, approve, db, add_child):
    child = add_child(poverty="poor")
    item = packet_update(api, child)
    assert item["data"]["circumstances"][0]["code"] == "NC02"
    s = approve(changed(item, {"data.circumstances.0.until": TODAY.isoformat(),
                               "data.child.address": "Tổ 9"}))
    assert s.state == "approved"
    db.session.refresh(child)
    assert _nc02(child) == [(TODAY, None)] and child.address == "Tổ 9"


def test_a_phones_poverty_change_moves_the_siblings_too(api, approve, db, village, add_child,
                                                      officer_does):
    household = _household(officer_does, village)
    child = add_child("Lò Văn Một", household_id=household.id)
    sibling = add_child("Lò Thị Hai", sex="2", household_id=household.id)
    s = approve(packet_update(api, child, {"data.household.poverty_status": "poor"}))
    db.session.expire_all()
    day = capture_day(s)
    assert _nc02(child) == [(day, None)] and _nc02(sibling) == [(day, None)]
    assert (child.version, sibling.version) == (2, 2)
    last = db.session.scalars(select(ChildChange).where(ChildChange.child_id == sibling.id)
                              .order_by(ChildChange.version.desc())).first()
    assert (last.source, last.source_ref) == ("submission", str(s.id))


def _legacy_db14(db, add_child):
    """A child of a non-poor household holding DB14 from before the rule."""
    child = add_child()
    child.circumstances.append(Circumstance(code="DB14", detail={}, since=days_ago(90), note=""))
    db.session.flush()
    return child


def test_a_db14_held_before_the_rule_does_not_block_other_changes(api, approve, db, add_child,
                                                                  officer_does, village):
    child = _legacy_db14(db, add_child)
    s = approve(packet_update(api, child, {"data.child.address": "Tổ 9"}))
    assert s.state == "approved"
    db.session.refresh(child)
    assert child.address == "Tổ 9" and [c.code for c in child.circumstances] == ["DB14"]
    officer_does("update_child", child, {
        "child": {"full_name": "Lò Văn Thành", "sex": "1", "date_of_birth": child.date_of_birth,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    assert child.full_name == "Lò Văn Thành"


def test_a_new_db14_row_with_a_made_up_id_is_still_refused(api, api_as, officer, item, db):
    sent = changed(item(), {"data.household.poverty_status": "none", "data.circumstances": [
        {"code": "DB14", "id": str(uuid.uuid4())}]})
    [result] = api.submit(sent)
    if result["status"] == "invalid":
        return
    answer = api_as(officer).post(f"/api/v1/review/submissions/{sent['uuid']}",
                                  json={"action": "approve"})
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.get_json()["errors"] == {"circumstances.0.code": [rules.NOT_POOR]}
    assert _db.session.scalar(select(Child.id)) is None
