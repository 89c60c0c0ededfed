"""The four cleaning lists, rule by rule: who is on each and the reasons shown."""

from datetime import date, timedelta

import pytest

from fieldapp.children.queries import years_ago
from fieldapp.extensions import db as _db
from fieldapp.quality import queries as lists
from fieldapp.quality.reasons import months_ago
from tests.quality.conftest import BORN, TODAY, days_ago, personal_id

Y = BORN.year
YY = f"{Y % 100:02d}"
PID = "Số định danh cá nhân"
LENGTH = f"{PID} phải gồm đúng 12 chữ số."


def on_list(found, child):
    """The reasons the list gives ``child``, or None when it is not on it."""
    return next((reasons for c, reasons in found if c.id == child.id), None)


# --- no ID number ------------------------------------------------------------------------

def test_without_id_lists_children_with_no_number(db, officer, add_child, village2):
    none = add_child("Lò Văn Một")
    blank = add_child("Lò Văn Hai", personal_id="")
    add_child("Lò Văn Ba", pid=personal_id())
    other = add_child("Lò Thị Bốn", place=village2, sex="2")
    found = list(db.session.scalars(lists.without_id(officer)))
    assert [c.full_name for c in found] == ["Lò Văn Hai", "Lò Văn Một", "Lò Thị Bốn"]
    by_village = list(db.session.scalars(lists.without_id(officer, village2.code)))
    assert by_village == [other]
    assert {none, blank} <= set(found)


# --- a wrong ID number -------------------------------------------------------------------

WRONG_IDS = [
    # (number, sex, reasons)
    ("0142" + YY + "12345", "1", [LENGTH]),  # 11 digits
    ("0142" + YY + "00123A", "1", [LENGTH]),  # a letter
    ("０１４２" + YY + "001234", "1", [LENGTH]),  # full-width digits
    ("003" + "2" + YY + "001234", "1",
     [f"{PID}: mã tỉnh nơi đăng ký khai sinh 003 không có trong danh mục."]),
    ("014" + "3" + YY + "001234", "1",
     [f"{PID}: chữ số thứ 4 là 3, không khớp giới tính và thế kỷ sinh (phải là 2)."]),
    ("014" + "2" + YY + "001234", "2",
     [f"{PID}: chữ số thứ 4 là 2, không khớp giới tính và thế kỷ sinh (phải là 3)."]),
    ("014" + "0" + YY + "001234", "1",
     [f"{PID}: chữ số thứ 4 là 0, không khớp giới tính và thế kỷ sinh (phải là 2)."]),
    ("014" + "0" + YY + "001234", "3",
     [f"{PID}: chữ số thứ 4 là 0, không khớp giới tính và thế kỷ sinh (phải là 2 hoặc 3)."]),
    ("0142" + "99" + "001234", "1",
     [f"{PID}: chữ số thứ 5–6 là 99, không khớp năm sinh {Y}."]),
    ("0993" + "99" + "001234", "1", [
        f"{PID}: chữ số thứ 4 là 3, không khớp giới tính và thế kỷ sinh (phải là 2).",
        f"{PID}: chữ số thứ 5–6 là 99, không khớp năm sinh {Y}.",
        f"{PID}: mã tỉnh nơi đăng ký khai sinh 099 không có trong danh mục.",
    ]),
]


@pytest.mark.parametrize(("number", "sex", "reasons"), WRONG_IDS)
def test_wrong_id_gives_each_reason(db, officer, add_child, number, sex, reasons):
    child = add_child("Lò Văn Thanh", sex=sex, personal_id=number)
    assert on_list(lists.wrong_id(officer), child) == reasons


@pytest.mark.parametrize(("number", "sex"), [
    (personal_id(BORN, "1"), "1"), (personal_id(BORN, "2"), "2"),
    ("014" + "2" + YY + "001234", "3"), ("014" + "3" + YY + "001234", "3"),
    ("079" + "3" + YY + "999999", "2"),
])
def test_a_right_number_is_not_listed(db, officer, add_child, number, sex):
    child = add_child("Lò Văn Thanh", sex=sex, personal_id=number)
    assert on_list(lists.wrong_id(officer), child) is None


def test_no_number_is_not_a_wrong_number(db, officer, add_child):
    child = add_child("Lò Văn Thanh")
    assert on_list(lists.wrong_id(officer), child) is None


# --- basic data missing or implausible ---------------------------------------------------

BASIC = [
    # (raw columns, reasons)
    ({"raw_name": ""}, ["Thiếu họ và tên."]),
    ({"raw_name": "   "}, ["Thiếu họ và tên."]),
    ({"raw_name": "Thanh"}, ["Họ và tên chỉ có một từ."]),
    ({"raw_name": "Lò Văn 2"}, ["Họ và tên có chữ số hoặc ký tự lạ."]),
    ({"raw_name": "Lò_Văn Thanh"}, ["Họ và tên có chữ số hoặc ký tự lạ."]),
    ({"raw_name": "Thanh?"}, ["Họ và tên chỉ có một từ.", "Họ và tên có chữ số hoặc ký tự lạ."]),
    ({"date_of_birth": TODAY + timedelta(days=3)},
     [f"Ngày sinh {TODAY + timedelta(days=3):%d/%m/%Y} ở tương lai."]),
    ({"sex": "3"}, ["Giới tính chưa xác định."]),
    ({"raw_sex": ""}, ["Thiếu giới tính."]),
    ({"raw_sex": "9"}, ["Mã giới tính 9 không có trong danh mục."]),
    ({"ethnicity_code": "00"}, ["Dân tộc không rõ."]),
    ({"ethnicity_code": ""}, ["Thiếu dân tộc."]),
    ({"ethnicity_code": "99"}, ["Mã dân tộc 99 không có trong danh mục."]),
    ({"no_caregiver": True}, ["Không có người nuôi dưỡng (cha, mẹ hoặc người giám hộ)."]),
    ({"sex": "3", "ethnicity_code": "00"}, ["Giới tính chưa xác định.", "Dân tộc không rõ."]),
]


@pytest.mark.parametrize(("raw", "reasons"), BASIC)
def test_missing_basic_gives_each_reason(db, officer, add_child, raw, reasons):
    child = add_child("Lò Văn Thanh", **raw)
    assert on_list(lists.missing_basic(officer), child) == reasons


def test_complete_basic_data_is_not_listed(db, officer, add_child):
    child = add_child("Lường Thị Mai", sex="2")
    assert on_list(lists.missing_basic(officer), child) is None


def test_abandoned_or_migrant_children_need_no_caregiver(db, officer, add_child):
    abandoned = add_child("Lò Văn Một", no_caregiver=True,
                          circumstances=[{"code": "DB02", "since": days_ago(30)}])
    migrant = add_child("Lò Văn Hai", no_caregiver=True,
                        circumstances=[{"code": "DB15", "since": days_ago(30)}])
    found_since = add_child("Lò Văn Ba", no_caregiver=True, circumstances=[
        {"code": "DB02", "since": days_ago(300), "until": days_ago(10)}])
    found = lists.missing_basic(officer)
    assert on_list(found, abandoned) is None and on_list(found, migrant) is None
    assert on_list(found, found_since) == [
        "Không có người nuôi dưỡng (cha, mẹ hoặc người giám hộ)."]


# --- special circumstances nobody confirmed in six months --------------------------------

def _old(code="DB01", **fields):
    return [{"code": code, "since": days_ago(400), **fields}]


def test_needs_review_lists_unconfirmed_memberships(db, officer, add_child):
    never = add_child("Lò Văn Một", circumstances=_old())
    recent = add_child("Lò Văn Hai", circumstances=[{"code": "DB01", "since": days_ago(100)}])
    found = lists.needs_review(officer)
    assert on_list(found, never) == [
        f"DB01 · Mồ côi cả cha và mẹ: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại."]
    assert on_list(found, recent) is None


def test_confirmed_in_six_months_leaves_the_list(db, officer, add_child):
    cutoff = lists.review_cutoff(TODAY)
    fresh = add_child("Lò Văn Một", circumstances=_old())
    fresh.circumstances[0].confirmed_on = cutoff
    stale = add_child("Lò Văn Hai", circumstances=_old())
    stale.circumstances[0].confirmed_on = cutoff - timedelta(days=1)
    db.session.flush()
    found = lists.needs_review(officer)
    assert on_list(found, fresh) is None
    assert on_list(found, stale) == [
        f"DB01 · Mồ côi cả cha và mẹ: xác nhận lần cuối {cutoff - timedelta(days=1):%d/%m/%Y}."]


def test_needs_review_only_open_special_circumstances(db, officer, add_child):
    ended = add_child("Lò Văn Một", circumstances=_old(until=days_ago(5)))
    poor = add_child("Lò Văn Hai", poverty="poor", capture_date=days_ago(400))  # NC02
    found = lists.needs_review(officer)
    assert on_list(found, ended) is None and on_list(found, poor) is None


def test_needs_review_is_by_village(db, officer, add_child, village, village2):
    here = add_child("Lò Văn Một", circumstances=_old())
    there = add_child("Lò Văn Hai", place=village2, circumstances=_old())
    assert [c for c, _ in lists.needs_review(officer)] == [here, there]
    assert [c for c, _ in lists.needs_review(officer, village2.code)] == [there]


def test_six_months_ago():
    assert months_ago(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_ago(date(2026, 3, 15), 6) == date(2025, 9, 15)
    assert months_ago(date(2026, 6, 30), 6) == date(2025, 12, 30)


# --- what no list holds ------------------------------------------------------------------

ONE_OF_EACH = {
    "without-id": {},
    "wrong-id": {"personal_id": "123"},
    "missing-basic": {"sex": "3"},
    "needs-review": {"circumstances": _old()},
}


def _members(name, officer):
    if name == "without-id":
        return list(_db.session.scalars(lists.without_id(officer)))
    return [c for c, _ in {"wrong-id": lists.wrong_id, "missing-basic": lists.missing_basic,
                           "needs-review": lists.needs_review}[name](officer)]


@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_closed_over_age_and_other_commune_are_left_out(db, officer, add_child, far_village,
                                                        name):
    kept = add_child("Lò Văn Một", **ONE_OF_EACH[name])
    closed = add_child("Lò Văn Hai", closed_on=days_ago(3), closed_reason="moved_away",
                       **ONE_OF_EACH[name])
    old = add_child("Lò Văn Ba", **ONE_OF_EACH[name])
    old.date_of_birth = years_ago(TODAY, 16)  # 16 today: no longer active
    far = add_child("Lò Văn Bốn", place=far_village, **ONE_OF_EACH[name])
    db.session.flush()
    members = _members(name, officer)
    assert kept in members
    assert closed not in members and old not in members and far not in members


@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_counts_agree_with_the_lists(db, officer, add_child, village, village2, name):
    add_child("Lò Văn Một", **ONE_OF_EACH[name])
    add_child("Lò Văn Hai", place=village2, **ONE_OF_EACH[name])
    add_child("Lò Văn Ba", place=village2, **ONE_OF_EACH[name])
    add_child("Lò Văn Bốn", pid=personal_id())  # on no list
    counts = lists.counts(officer)
    members = _members(name, officer)
    assert counts[name] == {village.code: 1, village2.code: 2}
    assert len(members) == 3 == lists.totals(officer)[name]
