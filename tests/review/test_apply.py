"""An approval applies every part of a record to the register as one version: a new child
(with its household, caregivers, circumstances and support) or an update of one."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fieldapp.children.models import Child, ChildChange, Circumstance, Household
from fieldapp.errors import ValidationFailed
from fieldapp.review.services import capture_day
from tests.review.reviewer import packet_update
from tests.submissions import BORN, TODAY, changed

DISABILITY = {"disability_type": "KT01", "disability_level": "MD02"}
SINCE = (TODAY - timedelta(days=60)).isoformat()
FATHER = {"relation": "father", "full_name": "Lò Văn Pọm", "personal_id": None,
          "phone": None}


def history(db, child: Child) -> list[ChildChange]:
    return list(db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)
                                   .order_by(ChildChange.version)))


def test_a_new_child_is_made_with_every_part_of_the_record(submit, decide, db, item, village,
                                                          collector, officer):
    s, = submit(changed(item(), {
        "data.circumstances": [{"code": "DB04", "since": SINCE, "detail": DISABILITY,
                                "note": "Đi lại khó khăn"}],
        "data.supports": [{"code": "TG05", "date": SINCE, "provider": "UBND xã",
                           "amount": "500.000", "note": "Tháng 1"}]}))
    child = decide("approve_submission", s)
    assert (child.full_name, child.sex, child.date_of_birth, child.ethnicity_code) == (
        "Lò Văn Thanh", "1", BORN, "03")
    assert (child.personal_id, child.village_code, child.commune_code) == (
        s.data["child"]["personal_id"], village.code, village.commune_code)
    assert (child.address, child.schooling_status, child.nationality) == (
        "Nhà sàn cạnh suối", "HT03", "VN")
    household = db.session.get(Household, uuid.UUID(s.data["household"]["ref"]))
    assert child.household is household
    assert (household.head_name, household.address, household.poverty_status,
            household.village_code) == ("Lò Văn Pọm", "Tổ 2", "poor", village.code)
    assert [(c.relation, c.full_name, c.phone) for c in child.caregivers] == [
        ("mother", "Lường Thị Xuân", "0912345678")]
    disability, poor = child.circumstances  # NC02: its household is poor (tests/children/
    assert (poor.code, poor.since) == ("NC02", capture_day(s))  # test_household_groups.py)
    assert (disability.code, disability.detail, disability.since, disability.until,
            disability.note) == ("DB04", DISABILITY, date.fromisoformat(SINCE), None,
                                 "Đi lại khó khăn")
    [given] = child.support
    assert (given.form, given.given_on, given.provider, given.amount_vnd, given.note) == (
        "TG05", date.fromisoformat(SINCE), "UBND xã", 500_000, "Tháng 1")
    [made] = history(db, child)
    assert (child.version, made.version, made.source, made.source_ref) == (
        1, 1, "submission", str(s.id))
    assert collector.username in made.note and officer.username in made.note
    assert made.user_id == officer.id and s.child_id == child.id


def test_siblings_sent_apart_share_the_household_made_by_the_first(submit, decide, db, item):
    first = item()
    ref = first["data"]["household"]["ref"]
    sister = changed(item(), {"data.child.full_name": "Lò Thị Mai", "data.child.sex": "2",
                              "data.child.personal_id": None, "data.household.ref": ref})
    a, b = submit(first, sister)
    older, younger = decide("approve_submission", a), decide("approve_submission", b)
    assert older.household_id == younger.household_id == uuid.UUID(ref)
    assert db.session.scalars(select(Household.id)).all() == [uuid.UUID(ref)]


def test_a_new_child_joins_an_existing_household_by_id(submit, decide, db, item, add_child):
    brother = add_child()
    s, = submit(changed(item(), {"data.household.id": str(brother.household_id),
                                 "data.household.ref": None,
                                 "data.child.full_name": "Lò Thị Mai", "data.child.sex": "2",
                                 "data.child.personal_id": None}))
    child = decide("approve_submission", s)
    assert child.household_id == brother.household_id
    assert db.session.scalar(select(Household.id).where(Household.id != brother.household_id)
                             ) is None


def approve_update(api, submit, decide, db, child: Child, changes: dict, **kwargs) -> Child:
    """Send an update from the packet, approve it, and check it made exactly one version."""
    before = child.version
    s, = submit(packet_update(api, child, changes))
    out = decide("approve_submission", s, **kwargs)
    db.session.refresh(child)
    assert out is child and child.version == before + 1
    last = history(db, child)[-1]
    assert (last.version, last.source, last.source_ref) == (child.version, "submission",
                                                            str(s.id))
    return child


def test_an_update_changes_the_childs_fields_in_one_version(api, submit, decide, db,
                                                            add_child):
    child = add_child()
    approve_update(api, submit, decide, db, child, {
        "data.child.full_name": "Lò Văn Thành", "data.child.schooling_status": "HT04",
        "data.child.address": "Bản mới", "data.child.current_residence": "Hà Nội"})
    assert (child.full_name, child.schooling_status, child.address,
            child.current_residence) == ("Lò Văn Thành", "HT04", "Bản mới", "Hà Nội")
    assert {c["field"] for c in history(db, child)[-1].changes} == {
        "child.full_name", "child.schooling_status", "child.address", "child.current_residence"}


@pytest.mark.parametrize("caregivers, expected", [
    ([{"relation": "mother", "full_name": "Lường Thị Xuân", "phone": "0987654321"}],
     [("mother", "Lường Thị Xuân", "0987654321")]),
    ([{"relation": "mother", "full_name": "Lường Thị Xuân"}, FATHER],
     [("mother", "Lường Thị Xuân", None), ("father", "Lò Văn Pọm", None)]),
], ids=["change", "add"])
def test_an_update_changes_and_adds_caregivers(api, submit, decide, db, add_child, caregivers,
                                               expected):
    child = add_child()
    approve_update(api, submit, decide, db, child, {"data.caregivers": caregivers})
    assert [(c.relation, c.full_name, c.phone) for c in child.caregivers] == expected
    assert [c.position for c in child.caregivers] == list(range(len(expected)))


def test_an_update_removes_a_caregiver(api, submit, decide, db, add_child, officer_does):
    child = add_child()
    officer_does("update_child", child, {
        "child": {"full_name": child.full_name, "sex": "1", "date_of_birth": BORN,
                  "ethnicity_code": "03", "village_code": child.village_code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}, FATHER]})
    assert len(child.caregivers) == 2
    approve_update(api, submit, decide, db, child, {"data.caregivers": [FATHER]})
    assert [(c.relation, c.full_name) for c in child.caregivers] == [("father", "Lò Văn Pọm")]


def test_an_update_ends_a_circumstance_by_id_and_adds_another(api, submit, decide, db,
                                                              add_child):
    child = add_child(circumstances=[{"code": "DB01", "since": "2023-05-01"}])
    [orphan] = child.circumstances
    update = packet_update(api, child)
    [seen] = update["data"]["circumstances"]
    assert seen["id"] == str(orphan.id)
    seen["until"] = SINCE
    update["data"]["circumstances"].append({"code": "DB04", "since": SINCE,
                                            "detail": DISABILITY})
    s, = submit(update)
    decide("approve_submission", s)
    db.session.refresh(child)
    assert child.version == 2
    rows = {c.code: c for c in child.circumstances}
    assert set(rows) == {"DB01", "DB04"} and rows["DB01"].id == orphan.id
    assert rows["DB01"].until == date.fromisoformat(SINCE)
    assert (rows["DB04"].detail, rows["DB04"].until) == (DISABILITY, None)


def test_an_update_edits_support_by_id_and_adds_more(api, submit, decide, db, add_child):
    child = add_child(support=[{"form": "TG01", "date": "2024-02-01", "provider": "Trạm y tế",
                                "amount_vnd": "100000"}])
    [first] = child.support
    update = packet_update(api, child)
    update["data"]["supports"][0].update(amount=250_000, note="Sửa số tiền")
    update["data"]["supports"].append({"code": "TG02", "date": SINCE, "provider": "Trường",
                                       "amount": "1.200.000"})
    s, = submit(update)
    decide("approve_submission", s)
    db.session.refresh(child)
    assert child.version == 2
    assert [(g.id == first.id, g.form, g.amount_vnd, g.note) for g in child.support] == [
        (True, "TG01", 250_000, "Sửa số tiền"), (False, "TG02", 1_200_000, "")]


@pytest.mark.parametrize("reason", ["moved_away", "died"])
def test_a_closure_closes_the_record(api, submit, decide, db, add_child, reason):
    child = add_child()
    approve_update(api, submit, decide, db, child, {
        "data.closure": {"reason": reason, "date": SINCE, "note": "Theo trưởng bản"}})
    assert (child.closed_on, child.closed_reason, child.closed_note) == (
        date.fromisoformat(SINCE), reason, "Theo trưởng bản")


def test_restricted_groups_pass_back_untouched(api, submit, decide, db, add_child):
    child = add_child(circumstances=[{"code": "DB05", "since": "2024-01-01",
                                      "note": "Chỉ cán bộ xã biết"}])
    [hidden] = child.circumstances
    update = packet_update(api, child, {"data.child.full_name": "Lò Văn Thành"})
    assert update["data"]["circumstances"] == [
        {"id": str(hidden.id), "masked": True, "since": "2024-01-01", "until": None}]
    s, = submit(update)
    decide("approve_submission", s)
    db.session.refresh(child)
    [row] = child.circumstances
    assert (row.id, row.code, row.since, row.until, row.note, row.detail) == (
        hidden.id, "DB05", date(2024, 1, 1), None, "Chỉ cán bộ xã biết", {})
    assert child.full_name == "Lò Văn Thành" and child.version == 2
    assert not any(c["field"].startswith("circumstances") for c in history(db, child)[-1].changes)


def test_an_update_changes_the_household(api, submit, decide, db, add_child):
    child = add_child()
    approve_update(api, submit, decide, db, child, {
        "data.household.poverty_status": "near_poor", "data.household.head_name": "Lò Văn Cầu",
        "data.child.schooling_status": "HT04"})
    household = db.session.get(Household, child.household_id)
    assert (household.poverty_status, household.head_name) == ("near_poor", "Lò Văn Cầu")


def test_each_approval_is_one_version(api, submit, decide, db, add_child):
    child = add_child()
    approve_update(api, submit, decide, db, child, {"data.child.address": "Tổ 1"})
    approve_update(api, submit, decide, db, child, {"data.child.address": "Tổ 5",
                                                    "data.caregivers.0.phone": "0911222333"})
    assert [h.version for h in history(db, child)] == [1, 2, 3]


def refused(db, decide, submission) -> ValidationFailed:
    """Approve inside a savepoint that the refusal rolls back, as the view's rollback does."""
    with pytest.raises(ValidationFailed) as failed:
        with db.session.begin_nested():
            decide("approve_submission", submission)
    db.session.refresh(submission)
    assert (submission.state, submission.decided_by_id) == ("received", None)
    return failed.value


def test_a_village_closed_after_receipt_refuses_the_approval(submit, decide, db, item,
                                                             village):
    s, = submit(item())
    village.active = False
    db.session.flush()
    failed = refused(db, decide, s)
    assert "child.village" in failed.errors
    assert db.session.scalar(select(Child.id)) is None
    assert db.session.scalar(select(Household.id)) is None


def test_a_child_closed_after_receipt_refuses_the_update(api, submit, decide, db, add_child,
                                                         officer_does):
    child = add_child()
    s, = submit(packet_update(api, child, {"data.child.full_name": "Lò Văn Thành"}))
    officer_does("close_child", child, "moved_away", None)
    failed = refused(db, decide, s)
    assert failed.errors == {"child": ["Hồ sơ đã đóng."]}
    db.session.refresh(child)
    assert (child.full_name, child.version) == ("Lò Văn Thanh", 2)
    assert db.session.scalar(select(Circumstance.id)) is None


@pytest.mark.parametrize("section", ["circumstances", "supports"])
def test_a_row_of_another_child_is_refused(api, submit, decide, db, add_child, section):
    rows = {"circumstances": [{"code": "DB01", "since": "2023-05-01"}], "support": [
        {"form": "TG01", "date": "2024-02-01", "provider": "Trạm y tế"}]}
    other = add_child("Quàng Văn Pó", circumstances=rows["circumstances"],
                      support=rows["support"])
    child = add_child()
    update = packet_update(api, other)
    update = changed(packet_update(api, child), {f"data.{section}": update["data"][section]})
    s, = submit(update)
    failed = refused(db, decide, s)
    assert list(failed.errors) == [f"{section}.0"]
    db.session.refresh(other)
    assert other.version == 1 and child.circumstances == [] and child.support == []


def test_a_household_only_update_makes_no_version(api, submit, decide, db, add_child):
    child = add_child()
    s, = submit(packet_update(api, child, {"data.household.address": "Tổ 5"}))
    decide("approve_submission", s)
    assert s.state == "approved"
    assert db.session.get(Household, child.household_id).address == "Tổ 5"
    assert child.version == 1 and len(history(db, child)) == 1  # households keep no history
