"""Rows of a submission matched to the register's, notes, and fields the officer keeps empty:
the fixes found while reviewing the review."""

import pytest

from fieldapp.children.models import Child, ChildChange
from fieldapp.errors import ValidationFailed
from tests.review.reviewer import packet_update


def test_a_collector_cannot_rewrite_a_restricted_group_by_unmasking_it(
        api, submit, decide, db, add_child):
    child = add_child(circumstances=[{"code": "DB05", "since": "2024-01-01",
                                      "note": "Chỉ cán bộ xã biết"}])
    [hidden] = child.circumstances
    s, = submit(packet_update(api, child, {"data.circumstances.0": {
        "id": str(hidden.id), "masked": False, "code": "DB01", "since": "2024-01-01",
        "until": "2024-02-01", "note": "sửa"}}))
    decide("approve_submission", s)
    db.session.refresh(child)
    [row] = child.circumstances
    assert (row.code, row.until, row.note) == ("DB05", None, "Chỉ cán bộ xã biết")


def test_a_new_row_for_a_group_the_child_is_in_changes_that_membership(
        api, submit, decide, db, add_child):
    child = add_child(circumstances=[{"code": "DB07", "since": "2024-01-01"}])
    [open_row] = child.circumstances
    s, = submit(packet_update(api, child, {"data.circumstances": [
        {"code": "DB07", "since": "2024-01-01", "note": "Đã đi làm thuê"}]}))
    decide("approve_submission", s)
    db.session.refresh(child)
    assert [(c.id, c.code, c.note) for c in child.circumstances] == [
        (open_row.id, "DB07", "Đã đi làm thuê")]


@pytest.mark.parametrize("note", ["\x00", " \x00\t ", "Sai\x00 tên"])
def test_control_characters_are_no_part_of_a_note(submit, decide, item, db, note):
    s, = submit(item())
    if note.strip("\x00\t ") == "":
        with pytest.raises(ValidationFailed) as refused:
            decide("return_submission", s, note)
        assert refused.value.errors == {"note": ["Vui lòng ghi điều cần sửa."]}
    else:
        decide("return_submission", s, note)
        assert s.note == "Sai tên"


def test_the_officer_keeps_an_empty_register_field_empty(api, submit, decide, db, add_child):
    child = add_child()
    s, = submit(packet_update(api, child, {"data.child.current_residence": "Hà Nội",
                                           "data.child.schooling_status": "HT04"}))
    decide("approve_submission", s, {"child.current_residence": "register"})
    db.session.refresh(child)
    assert (child.current_residence, child.schooling_status) == ("", "HT04")


def test_a_new_support_row_cannot_be_kept_as_the_registers_nothing(
        api, submit, decide, db, add_child):
    child = add_child()
    s, = submit(packet_update(api, child, {"data.supports": [
        {"code": "TG01", "date": "2025-01-02", "provider": "Trạm y tế", "amount": None,
         "note": ""}]}))
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s, {"supports.0.code": "register"})
    assert list(refused.value.errors) == ["supports.0.code"]


def test_moving_a_child_to_another_household_is_a_version_with_history(
        officer_does, add_child, db):
    child = add_child()
    record = {"child": {"full_name": child.full_name, "sex": child.sex,
                        "date_of_birth": child.date_of_birth, "ethnicity_code": "03",
                        "village_code": child.village_code},
              "household": {"head_name": "Lường Thị Xuân", "address": "Tổ 4"},
              "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]}
    officer_does("update_child", child, record)
    assert child.version == 2
    last = db.session.query(ChildChange).filter_by(child_id=child.id, version=2).one()
    assert [c["field"] for c in last.changes] == ["child.household_id"]
    assert db.session.get(Child, child.id).household.head_name == "Lường Thị Xuân"
