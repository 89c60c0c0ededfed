"""POST /api/v1/submissions: one answer per item, in order — accepted, duplicate, conflict or
invalid — and nothing in the register changes (that waits for the officer's review)."""

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Caregiver, Child, ChildChange, Household, SupportRecord
from fieldapp.collection.models import Submission, SubmissionConflict
from fieldapp.db import utcnow
from tests.api.problems import NOT_YOURS
from tests.submissions import BORN, TODAY, changed, child_id_number, make_item

NAME = "Lò Văn Thanh"
AMOUNT = "Số tiền (đồng) phải là số nguyên không âm."


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def row(db, key) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, uuid.UUID(str(key)))


def support(**fields) -> dict:
    return {"id": None, "code": "TG01", "date": (TODAY - timedelta(days=1)).isoformat(),
            "provider": "Trạm y tế xã",
            "amount": 200000, "note": "", **fields}


def test_one_batch_answers_every_item_in_order(api, db, item, collector, village):
    first, other = item(), item()
    rival = changed(first, {"data.child.full_name": "Lò Văn Thành"})
    broken = changed(item(), {"data.child.full_name": ""})
    results = api.submit(first, first, rival, broken, other)

    assert [r["status"] for r in results] == ["accepted", "duplicate", "conflict", "invalid",
                                              "accepted"]
    assert [r["uuid"] for r in results] == [first["uuid"]] * 3 + [broken["uuid"], other["uuid"]]
    accepted, duplicate, conflict, invalid, _ = results
    assert accepted["receipt"]["id"] == first["uuid"] and accepted["receipt"]["state"] == "received"
    assert duplicate["receipt"] == accepted["receipt"]
    assert conflict["receipt"]["state"] == "conflict"
    assert conflict["receipt"]["id"] != first["uuid"]
    assert invalid["receipt"] is None
    assert invalid["errors"] == {"child.full_name": ["Họ và tên: vui lòng nhập."]}
    assert all(r["errors"] == {} for r in results if r["status"] != "invalid")

    assert count(db, Submission) == 2 and count(db, SubmissionConflict) == 1
    stored = row(db, first["uuid"])
    assert (stored.state, stored.user_id, stored.kind) == ("received", collector.id, "child")
    assert (stored.village_code, stored.commune_code) == (village.code, village.commune_code)
    assert stored.data == first["data"] and stored.stale is False
    assert stored.token_id is not None  # sent with a device token
    assert db.session.get(Submission, uuid.UUID(broken["uuid"])) is None


def test_a_resend_gets_the_first_receipt_whatever_its_spacing(api, db, item):
    first = item()
    [accepted] = api.submit(first)
    earlier = utcnow() - timedelta(hours=3)
    db.session.execute(update(Submission).values(received_at=earlier, updated_at=earlier))
    # The same content, keys in another order and indented: the same submission.
    text = json.dumps({"submissions": [dict(reversed(list(first.items())))]}, indent=2,
                      ensure_ascii=True)
    answer = api.post("/api/v1/submissions", data=text, content_type="application/json")
    [again] = answer.get_json()["results"]
    assert again["status"] == "duplicate"
    assert again["receipt"]["id"] == accepted["receipt"]["id"]
    assert again["receipt"]["received_at"] == earlier.isoformat()
    assert count(db, Submission) == 1 and count(db, SubmissionConflict) == 0


def test_other_content_is_kept_once_per_distinct_content(api, db, item):
    first = item()
    api.submit(first)
    rival = changed(first, {"data.child.sex": "2", "data.child.personal_id": None})
    third = changed(first, {"data.child.address": "Bản mới"})
    [one] = api.submit(rival)
    [again, other] = api.submit(rival, third)
    assert [one["status"], again["status"], other["status"]] == ["conflict"] * 3
    assert again["receipt"] == one["receipt"]  # the same conflict, not a second copy
    assert other["receipt"]["id"] != one["receipt"]["id"]
    conflicts = db.session.scalars(select(SubmissionConflict)).all()
    assert len(conflicts) == 2
    kept = db.session.get(SubmissionConflict, uuid.UUID(one["receipt"]["id"]))
    assert kept.content == rival and kept.submission_id == uuid.UUID(first["uuid"])
    assert row(db, first["uuid"]).data == first["data"]  # the first content stays


def test_an_invalid_resend_of_a_stored_uuid_is_kept_as_a_conflict(api, db, item):
    first = item()
    api.submit(first)
    [answer] = api.submit(changed(first, {"data.child.full_name": ""}))
    assert answer["status"] == "conflict"
    assert count(db, SubmissionConflict) == 1


PERSONAL_ID_DIGIT = ("Số định danh cá nhân: chữ số thứ 4 là 3, không khớp giới tính và thế kỷ "
                     "sinh (phải là 2).")
NO_CAREGIVER = ("Người nuôi dưỡng: cần ít nhất một người (trừ trẻ bị bỏ rơi hoặc di cư, lánh "
                "nạn chưa xác định được cha mẹ).")

BAD_SNAPSHOTS = [
    pytest.param({"data.child.full_name": ""},
                 {"child.full_name": ["Họ và tên: vui lòng nhập."]}, id="empty name"),
    pytest.param({"data.child.full_name": "Lò Văn 3"}, {"child.full_name": [
        "Họ và tên chỉ gồm chữ cái và dấu cách, không có chữ số hay ký hiệu."]},
        id="digit in name"),
    pytest.param({"data.supports": [support(amount="abc")]}, {"supports.0.amount": [AMOUNT]},
                 id="amount abc"),
    pytest.param({"data.supports": [support(), support(amount=-5)]},
                 {"supports.1.amount": [AMOUNT]}, id="negative amount"),
    pytest.param({"data.supports": [support(amount=1.5)]}, {"supports.0.amount": [AMOUNT]},
                 id="fractional amount"),
    pytest.param({"data.supports": [support(amount=10**13)]}, {"supports.0.amount": [
        "Số tiền (đồng) quá lớn, vui lòng kiểm tra."]}, id="huge amount"),
    pytest.param({"data.supports": [support(code="TG99")]}, {"supports.0.code": [
        "Hình thức trợ giúp: mã TG99 không có trong danh mục."]}, id="unknown support form"),
    pytest.param({"data.child.ethnicity_code": "99"},
                 {"child.ethnicity_code": ["Dân tộc: mã 99 không có trong danh mục."]},
                 id="unknown ethnicity"),
    pytest.param({"data.child.personal_id": f"0143{BORN.year % 100:02d}001234"},
                 {"child.personal_id": [PERSONAL_ID_DIGIT]}, id="personal id digit 4"),
    pytest.param({"data.child.personal_id": "01421900123"},
                 {"child.personal_id": ["Số định danh cá nhân phải gồm đúng 12 chữ số."]},
                 id="personal id of 11 digits"),
    pytest.param({"data.child.sex": "4"},
                 {"child.sex": ["Giới tính: mã 4 không có trong danh mục."]}, id="unknown sex"),
    pytest.param({"data.child.personal_id": None,
                  "data.child.date_of_birth": (TODAY + timedelta(days=1)).isoformat()},
                 {"child.date_of_birth": [
                     "Ngày, tháng, năm sinh không được sau ngày thu thập hoặc ở tương lai."]},
                 id="born tomorrow"),
    pytest.param({"data.child.personal_id": None,
                  "data.child.date_of_birth": (TODAY - timedelta(days=17 * 366)).isoformat()},
                 {"child.date_of_birth": [
                     "Ngày, tháng, năm sinh: trẻ đã đủ 16 tuổi vào ngày thu thập."]},
                 id="sixteen or older"),
    pytest.param({"data.child.village": "", "data.household.village": None},
                 {"child.village": ["Thôn, xóm, bản: vui lòng chọn."]}, id="no village"),
    pytest.param({"data.household.head_name": " "},
                 {"household.head_name": ["Họ tên chủ hộ: vui lòng nhập."]}, id="no head"),
    pytest.param({"data.household.poverty_status": "rich"}, {"household.poverty_status": [
        "Hộ nghèo/cận nghèo: mã rich không có trong danh mục."]}, id="unknown poverty status"),
    pytest.param({"data.caregivers.0.phone": "12"},
                 {"caregivers.0.phone": ["Số điện thoại gồm 9 đến 12 chữ số."]}, id="bad phone"),
    pytest.param({"data.caregivers": []}, {"caregivers": [NO_CAREGIVER]}, id="no caregiver"),
    pytest.param({"data.circumstances": [{"masked": True, "since": "2020-01-01"},
                                         {"code": "ZZ"}]},
                 {"circumstances.1.code": ["Hoàn cảnh: mã ZZ không có trong danh mục."]},
                 id="path counts masked rows"),
    pytest.param({"data.circumstances": [{"code": "DB04"}]},
                 {"circumstances.0.detail.disability_type": ["Chọn dạng khuyết tật."],
                  "circumstances.0.detail.disability_level": ["Chọn mức độ khuyết tật."]},
                 id="disability without detail"),
    pytest.param({"data.closure": {"reason": "died"}},
                 {"closure": ["Chỉ đóng được hồ sơ của trẻ đã có trong sổ."]},
                 id="closure of a new child"),
    pytest.param({"base_version": 10**20},
                 {"base_version": ["Phiếu thêm trẻ mới không có phiên bản hồ sơ."]},
                 id="base version of a new child"),
    pytest.param({"base_version": "1"}, {"base_version": ["Phải là số nguyên."]},
                 id="base version as text"),
    pytest.param({"kind": "dog"}, {"kind": ["Loại phiếu không hợp lệ."]}, id="unknown kind"),
    pytest.param({"captured_at": "hôm qua"},
                 {"captured_at": ["Không phải ngày giờ ISO 8601 hợp lệ."]}, id="captured_at text"),
    pytest.param({"captured_at": "0001-01-01T00:00:00+07:00"},
                 {"captured_at": ["Ngày giờ thu thập nằm ngoài khoảng lưu được."]},
                 id="captured_at before any UTC time"),
    pytest.param({"data": []}, {"data": ["Phải là một đối tượng JSON."]}, id="data a list"),
    pytest.param({"data.child": "Lò Văn Thanh"}, {"child": ["Phải là một đối tượng JSON."]},
                 id="child a text"),
    pytest.param({"data.caregivers": {}}, {"caregivers": ["Phải là một danh sách."]},
                 id="caregivers an object"),
    pytest.param({"corrects": str(uuid.uuid4())},
                 {"corrects": ["Phiếu được sửa không phải phiếu bị trả lại của bạn."]},
                 id="corrects an unknown submission"),
]


@pytest.mark.parametrize(("changes", "errors"), BAD_SNAPSHOTS)
def test_a_bad_snapshot_is_invalid_with_vietnamese_messages_by_path(api, db, item, changes,
                                                                    errors):
    bad = changed(item(), changes)
    good = item()
    [result, fine] = api.submit(bad, good)
    assert result == {"uuid": bad["uuid"], "status": "invalid", "receipt": None,
                      "errors": errors, "warnings": {}}
    assert fine["status"] == "accepted"  # one bad item never blocks another
    assert count(db, Submission) == 1


@pytest.mark.parametrize(("raw", "key", "errors"), [
    (5, None, {"_": ["Mỗi phiếu phải là một đối tượng JSON."]}),
    ({"uuid": "x"}, "x", {"uuid": ["Không phải mã UUID hợp lệ."]}),
    ({"uuid": 7}, None, {"uuid": ["Không phải mã UUID hợp lệ."]}),
    ({"kind": "child"}, None, {"uuid": ["Không phải mã UUID hợp lệ."]}),
])
def test_an_item_without_a_usable_uuid_is_invalid(api, db, raw, key, errors):
    [result] = api.submit(raw)
    assert (result["status"], result["uuid"], result["errors"]) == ("invalid", key, errors)
    assert count(db, Submission) == 0


def test_a_submission_without_its_data_is_invalid(api, item):
    body = item()
    del body["data"]
    [result] = api.submit(body)
    assert result["errors"] == {"data": ["Thiếu trường bắt buộc."]}


@pytest.fixture()
def scene(db, add_child, collector, village, village2, far_village, make):
    """The collector's child and one of village2 (another collaborator's), and a retired
    village the collector is still assigned to."""
    retired = make.village(name="Bản Cũ", active=False)
    collector.villages = [village, retired]
    db.session.flush()
    return {"child": add_child(), "other": add_child("Quàng Văn Pó", place=village2),
            "village2": village2, "far": far_village, "retired": retired}


def ids(key):
    return lambda s: str(s[key].id)


OUT_OF_SCOPE = [
    pytest.param({"data.child.village": lambda s: s["village2"].code,
                  "data.household.village": None},
                 {"child.village": [NOT_YOURS]}, id="village of another collaborator"),
    pytest.param({"data.child.village": lambda s: s["far"].code, "data.household.village": None},
                 {"child.village": [NOT_YOURS]}, id="village of another commune"),
    pytest.param({"data.child.village": lambda s: s["retired"].code,
                  "data.household.village": None},
                 {"child.village": [NOT_YOURS]}, id="own village no longer in use"),
    pytest.param({"data.child.village": "99999-001", "data.household.village": None},
                 {"child.village": [NOT_YOURS]}, id="no such village"),
    pytest.param({"data.household.village": lambda s: s["village2"].code},
                 {"household.village": [NOT_YOURS]}, id="household in another village"),
    pytest.param({"data.household.id": lambda s: str(s["other"].household_id)},
                 {"household.id": ["Hộ gia đình không thuộc địa bàn của bạn."]},
                 id="household out of scope"),
    pytest.param({"data.household.id": str(uuid.uuid4())},
                 {"household.id": ["Hộ gia đình không thuộc địa bàn của bạn."]},
                 id="no such household"),
    pytest.param({"child_id": ids("child")},
                 {"base_version": ["Thiếu phiên bản hồ sơ mà bạn đã sửa."]},
                 id="update without base version"),
    pytest.param({"child_id": ids("other"), "base_version": 1},
                 {"child_id": ["Không tìm thấy trẻ này trong địa bàn của bạn."]},
                 id="child out of scope"),
    pytest.param({"child_id": str(uuid.uuid4()), "base_version": 1},
                 {"child_id": ["Không tìm thấy trẻ này trong địa bàn của bạn."]},
                 id="no such child"),
    pytest.param({"child_id": ids("child"), "base_version": 2},
                 {"base_version": ["Phiên bản hồ sơ không khớp với sổ đăng ký."]},
                 id="base version ahead of the register"),
    pytest.param({"child_id": ids("child"), "base_version": 0},
                 {"base_version": ["Phiên bản hồ sơ không khớp với sổ đăng ký."]},
                 id="base version zero"),
    pytest.param({"child_id": ids("child"), "base_version": 1,
                  "data.closure": {"reason": "moved_away", "date": "2000-01-01"}},
                 {"closure.date": ["Ngày chuyển đi/mất phải từ ngày sinh đến ngày thu thập."]},
                 id="closed before birth"),
    pytest.param({"child_id": ids("child"), "base_version": 1,
                  "data.closure": {"reason": "merged"}},
                 {"closure.reason": ["Lý do đóng hồ sơ: chuyển đi hoặc đã mất."]},
                 id="closure reason of the officer only"),
]


@pytest.mark.parametrize(("changes", "errors"), OUT_OF_SCOPE)
def test_out_of_the_collectors_places_is_invalid(api, db, item, scene, changes, errors):
    resolved = {path: value(scene) if callable(value) else value
                for path, value in changes.items()}
    bad = changed(item(), resolved)
    [result] = api.submit(bad)
    assert (result["status"], result["errors"]) == ("invalid", errors)
    assert count(db, Submission) == 0


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_field_staff_submit_only_for_their_own_villages(api_as, make, village, village2, role):
    mine, theirs = make.user(role, [village]), make.user(role, [village2])
    [own] = api_as(mine).submit(make_item(village.code))
    [foreign] = api_as(theirs).submit(make_item(village.code))
    assert own["status"] == "accepted"
    assert foreign["errors"] == {"child.village": [NOT_YOURS], "household.village": [NOT_YOURS]}


def update_of(child, base_version, **changes) -> dict:
    """An update of a register child, as the phone makes it from the packet."""
    item = make_item(child.village_code, child_id=str(child.id), base_version=base_version)
    return changed(item, {"data.household.id": str(child.household_id), **changes})


def test_an_update_on_the_current_version_is_not_stale(api, db, add_child):
    child = add_child()
    [result] = api.submit(update_of(child, 1))
    stored = row(db, result["uuid"])
    assert result["status"] == "accepted"
    assert (stored.stale, stored.base_version, stored.register_version) == (False, 1, 1)
    assert stored.child_id == child.id


def test_an_update_behind_the_register_is_accepted_and_marked_stale(api, db, add_child,
                                                                    officer_does):
    child = add_child()
    officer_does("record_support", child, {"form": "TG01", "date": TODAY.isoformat(),
                                           "provider": "Trạm y tế", "amount_vnd": "100000"})
    assert child.version == 2
    [behind, current] = api.submit(update_of(child, 1), update_of(child, 2))
    assert [behind["status"], current["status"]] == ["accepted", "accepted"]
    assert (row(db, behind["uuid"]).stale, row(db, behind["uuid"]).register_version) == (True, 2)
    assert row(db, current["uuid"]).stale is False
    feed = {s["uuid"]: s for s in api.get("/api/v1/submissions").get_json()["submissions"]}
    assert feed[behind["uuid"]]["stale"] is True


def test_an_update_of_a_closed_child_is_invalid_on_its_latest_version(api, add_child,
                                                                      officer_does):
    child = add_child()
    officer_does("close_child", child, "moved_away", None)
    [result] = api.submit(update_of(child, child.version))
    assert result["errors"] == {"child_id": ["Hồ sơ đã đóng, không cập nhật được."]}


def test_an_update_passes_masked_groups_back_as_the_packet_gave_them(api, db, add_child):
    add_child(circumstances=[{"code": "DB05", "note": "chỉ cán bộ xã biết"}])
    [packet_child] = api.get("/api/v1/packet").get_json()["children"]
    [masked] = packet_child["circumstances"]
    assert masked["masked"] is True
    child = db.session.get(Child, uuid.UUID(packet_child["id"]))
    [result] = api.submit(update_of(child, packet_child["version"],
                                    **{"data.circumstances": [masked]}))
    assert result["status"] == "accepted", result


def test_a_correction_supersedes_the_returned_submission(api, db, item):
    returned = item()
    api.submit(returned)
    earlier = utcnow() - timedelta(hours=1)
    db.session.execute(update(Submission).values(state="returned", note="Sai ngày sinh",
                                                 updated_at=earlier))
    fixed = changed(item(corrects=returned["uuid"]), {"data.child.full_name": "Lò Văn Thành"})
    [result] = api.submit(fixed)
    assert result["status"] == "accepted"
    old = row(db, returned["uuid"])
    assert old.state == "superseded" and old.updated_at > earlier
    assert row(db, fixed["uuid"]).corrects_id == uuid.UUID(returned["uuid"])


@pytest.mark.parametrize("state", ["received", "approved", "rejected"])
def test_only_a_returned_submission_can_be_corrected(api, db, item, state):
    first = item()
    api.submit(first)
    db.session.execute(update(Submission).values(state=state))
    [result] = api.submit(item(corrects=first["uuid"]))
    assert result["errors"] == {"corrects": ["Phiếu được sửa không phải phiếu bị trả lại của bạn."]}
    assert row(db, first["uuid"]).state == state


def test_nobody_corrects_another_users_returned_submission(api, api_as, db, make, village, item):
    colleague = api_as(make.user(roles.COLLABORATOR, [village]))
    theirs = item()
    colleague.submit(theirs)
    db.session.execute(update(Submission).values(state="returned"))
    [result] = api.submit(item(corrects=theirs["uuid"]))
    assert result["status"] == "invalid" and "corrects" in result["errors"]
    assert row(db, theirs["uuid"]).state == "returned"


def register_state(db) -> dict:
    db.session.expire_all()
    children = db.session.execute(select(Child.id, Child.version, Child.updated_at,
                                         Child.full_name, Child.closed_on)).all()
    return {"children": sorted(map(tuple, children)),
            "counts": [count(db, model) for model in (Household, Caregiver, SupportRecord,
                                                      ChildChange)]}


def test_nothing_submitted_changes_the_register(api, db, item, add_child):
    child = add_child()
    before = register_state(db)
    renamed = update_of(child, 1, **{"data.child.full_name": "Lò Văn Khác",
                                     "data.supports": [support()]})
    closing = update_of(child, 1, **{"data.closure": {"reason": "moved_away", "note": ""}})
    results = api.submit(item(), renamed, closing)
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert register_state(db) == before
    assert db.session.get(Child, child.id).version == 1


def test_a_far_future_capture_time_is_only_a_warning(api, db, item):
    future = item(captured_at="2099-01-01T08:00:00+07:00")
    [result] = api.submit(future)
    assert result["status"] == "accepted"
    assert result["warnings"] == {
        "captured_at": ["Ngày giờ trên máy có vẻ sai; hồ sơ được kiểm tra theo ngày nhận."]}
    assert row(db, future["uuid"]).warnings == result["warnings"]


def test_a_capture_time_without_offset_is_vietnam_time(api, db, item):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    naive = item(captured_at=f"{yesterday}T09:30:00")
    api.submit(naive)
    assert row(db, naive["uuid"]).captured_at.isoformat() == f"{yesterday}T02:30:00+00:00"


def test_the_personal_id_prefix_outside_the_list_is_only_a_warning(api, item):
    odd = changed(item(), {"data.child.personal_id": "999" + child_id_number()[3:]})
    [result] = api.submit(odd)
    assert result["status"] == "accepted"
    assert result["warnings"] == {"child.personal_id": [
        "Số định danh cá nhân: mã tỉnh nơi đăng ký khai sinh 999 không có trong danh mục."]}


def test_a_whole_number_sent_as_a_float_is_that_number(api, item):
    # 1e12 đồng is the largest amount allowed: read as the text "1000000000000.0" without its
    # dot, it would be ten times that and refused.
    sent = changed(item(), {"data.supports": [support(amount=1e12)]})
    [result] = api.submit(sent)
    assert result["status"] == "accepted", result
    [too_much] = api.submit(changed(item(), {"data.supports": [support(amount=1e12 + 1)]}))
    assert too_much["errors"] == {"supports.0.amount": [
        "Số tiền (đồng) quá lớn, vui lòng kiểm tra."]}


@pytest.mark.parametrize(("captured_at", "kept"), [
    ("2026-01-02T10:00:00+07:00", "2026-01-02T03:00:00+00:00"),
    ("0001-01-01T00:00:00+07:00", None),  # before any UTC time: kept without it
    ("hôm qua", None),
])
def test_a_conflict_keeps_its_capture_time_when_it_can(api, db, item, captured_at, kept):
    first = item()
    api.submit(first)
    [result] = api.submit(changed(first, {"captured_at": captured_at}))
    assert result["status"] == "conflict"
    conflict = db.session.get(SubmissionConflict, uuid.UUID(result["receipt"]["id"]))
    assert (conflict.captured_at.isoformat() if conflict.captured_at else None) == kept


def test_receipts_and_conflicts_are_audited_without_personal_data(api, db, item, collector):
    first = item()
    api.submit(first, changed(first, {"data.child.full_name": "Lò Văn Thành"}))
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "submission").order_by(AuditEntry.action)).all()
    assert [(e.action, e.object_id) for e in entries] == [
        ("submission_conflict", first["uuid"]), ("submission_received", first["uuid"])]
    received = entries[1]
    assert (received.user_id, received.commune_code) == (collector.id, collector.commune_code)
    assert received.detail == {"update": False, "author": collector.username, "imported": False}
    assert NAME not in json.dumps([e.detail for e in entries], ensure_ascii=False)
    api.submit(first)  # a duplicate writes nothing new
    assert count(db, AuditEntry, AuditEntry.action == "submission_received") == 1
