"""Settings (issue 14 §1.5): the declared defaults, the "Cài đặt" page (the administrator
changes, commune officers and leaders read, others are refused), the validation table, the
audit entry, and what a change moves: the age limit in the active lists and the phone's
packet, the review period in "cần rà soát", the re-check form's prefilled share."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.quality import queries as lists
from fieldapp.settings import services as settings
from fieldapp.settings.models import Setting
from tests.conftest import csrf_token
from tests.submissions import TODAY

PAGE = "/settings"
DEFAULTS = {"age_limit": "16", "review_months": "6", "recheck_percent": "10"}


@pytest.fixture()
def admin(make):
    return make.user(roles.ADMIN)


def post(client, **values):
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, **DEFAULTS, **values})


def change(admin, **values):
    settings.change_settings(admin, values)


def test_defaults_without_any_row(db):
    assert db.session.scalars(select(Setting)).all() == []
    assert {key: settings.value(key) for key in DEFAULTS} == {
        "age_limit": 16, "review_months": 6, "recheck_percent": 10}


def test_the_admin_changes_a_setting_and_the_page_says_who_and_when(client, login, admin, db):
    login(admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Luật Trẻ em 2016: trẻ em là người dưới 16 tuổi" in page
    assert 'name="age_limit"' in page and "Chưa đổi, đang dùng mặc định." in page
    answer = post(client, review_months="3")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert settings.value("review_months") == 3
    row = db.session.get(Setting, "review_months")
    assert row.value == 3 and row.updated_by_id == admin.id
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "setting_changed")).all()
    assert [(e.object_type, e.object_id, e.detail, e.user_id) for e in entries] == [
        ("setting", "review_months", {"old": 6, "new": 3}, admin.id)]
    after = client.get(PAGE).get_data(as_text=True)
    assert "Đã lưu 1 cài đặt." in after
    assert re.search(r"Đổi lần cuối \d\d/\d\d/\d{4} \d\d:\d\d bởi [^<]*" + admin.username, after)
    log = client.get("/audit/").get_data(as_text=True)
    assert "Đổi cài đặt" in log and "Cài đặt" in log


def test_saving_unchanged_values_writes_nothing(client, login, admin, db):
    login(admin)
    assert post(client).status_code == 302
    assert db.session.scalars(select(Setting)).all() == []
    assert not db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "setting_changed")).all()


@pytest.mark.parametrize("role, read", [
    (roles.COMMUNE_OFFICER, 200), (roles.COMMUNE_LEADER, 200), (roles.COLLABORATOR, 403),
    (roles.VILLAGE_HEAD, 403), (roles.POLICE, 403), (roles.PROVINCE_VIEWER, 403),
])
def test_only_the_admin_changes_officers_and_leaders_read(client, login, make, db, role, read):
    user = make.user(role)
    login(user)
    page = client.get(PAGE)
    assert page.status_code == read
    if read == 200:
        html = page.get_data(as_text=True)
        assert "Độ tuổi của trẻ em:" in html and 'name="age_limit"' not in html
        assert "Chỉ quản trị hệ thống thay đổi được." in html
        token = csrf_token(client, "/")
    else:
        token = csrf_token(client, "/")
    answer = client.post(PAGE, data={"csrf_token": token, **DEFAULTS, "age_limit": "18"})
    assert answer.status_code == 403
    assert settings.value("age_limit") == 16


def test_the_service_refuses_anyone_but_the_admin(db, officer):
    with pytest.raises(Exception, match="không có quyền"):
        settings.change_settings(officer, {"age_limit": "17"})
    assert settings.value("age_limit") == 16


@pytest.mark.parametrize("key, raw, message", [
    ("age_limit", "", "Độ tuổi của trẻ em: vui lòng nhập."),
    ("age_limit", "abc", "Độ tuổi của trẻ em: nhập một số nguyên."),
    ("age_limit", "16.5", "Độ tuổi của trẻ em: nhập một số nguyên."),
    ("age_limit", "-17", "Độ tuổi của trẻ em: nhập một số nguyên."),
    ("age_limit", "15", "Độ tuổi của trẻ em: từ 16 đến 18 tuổi."),
    ("age_limit", "19", "Độ tuổi của trẻ em: từ 16 đến 18 tuổi."),
    ("review_months", "0", "Chu kỳ rà soát định kỳ: từ 1 đến 24 tháng."),
    ("review_months", "25", "Chu kỳ rà soát định kỳ: từ 1 đến 24 tháng."),
    ("recheck_percent", "0", "Tỷ lệ phúc tra mặc định: từ 1 đến 100 %."),
    ("recheck_percent", "101", "Tỷ lệ phúc tra mặc định: từ 1 đến 100 %."),
    ("recheck_percent", "１０", "Tỷ lệ phúc tra mặc định: nhập một số nguyên."),  # full-width
])
def test_a_wrong_value_is_refused_next_to_its_field(client, login, admin, db, key, raw, message):
    login(admin)
    answer = post(client, **{key: raw, "review_months": "12"} if key != "review_months"
                  else {key: raw})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert f'<p class="error" id="setting-{key}-error">{message}</p>' in html
    assert f'id="setting-{key}"' in html and 'aria-invalid="true"' in html
    # All or nothing: the right value sent beside the wrong one is not stored either.
    assert db.session.scalars(select(Setting)).all() == []


@pytest.mark.parametrize("key, raw, stored", [
    ("age_limit", "18", 18), ("age_limit", " 17 ", 17), ("review_months", "1", 1),
    ("review_months", "24", 24), ("recheck_percent", "100", 100), ("recheck_percent", "1", 1),
])
def test_values_at_the_bounds_are_taken(db, admin, key, raw, stored):
    assert settings.change_settings(admin, {key: raw}) == [key]
    assert settings.value(key) == stored


def test_a_stored_value_the_rules_no_longer_allow_reads_as_the_default(db, admin):
    db.session.add(Setting(key="age_limit", value=40))
    db.session.flush()
    assert settings.value("age_limit") == 16


# --- what the age limit moves -------------------------------------------------------------

@pytest.fixture()
def sixteen(add_child):
    """A child who turned 16 a month ago (captured at 14)."""
    return add_child("Lò Văn Lớn", born=TODAY - timedelta(days=16 * 365 + 30),
                     capture_date=TODAY - timedelta(days=2 * 365))


def names_in(html: str) -> list[str]:
    return re.findall(r'<a href="/children/[^"]+">([^<]+)</a>', html)


def test_the_age_limit_moves_a_sixteen_year_old_in_and_out_of_the_active_list(
        client, login, officer, admin, sixteen, add_child, db):
    add_child("Lò Văn An")
    login(officer)
    token = csrf_token(client, "/children/")

    def active() -> list[str]:
        answer = client.post("/children/", data={"csrf_token": token})
        return names_in(answer.get_data(as_text=True))

    assert active() == ["Lò Văn An"]
    change(admin, age_limit="17")
    assert sorted(active()) == ["Lò Văn An", "Lò Văn Lớn"]
    page = client.get(f"/children/{sixteen.id}").get_data(as_text=True)
    assert "hồ sơ chỉ xem được" not in page
    change(admin, age_limit="16")
    assert active() == ["Lò Văn An"]
    page = client.get(f"/children/{sixteen.id}").get_data(as_text=True)
    assert "Đã đủ 16 tuổi — hồ sơ chỉ xem được." in page


def test_the_age_limit_in_the_packet_and_a_change_sends_it_in_full(api, admin, sixteen, db):
    first = api.get("/api/v1/packet").get_json()
    assert first["rules"] == {"age_limit": 16}
    assert str(sixteen.id) not in {c["id"] for c in first["children"]}
    unchanged = api.get("/api/v1/packet", query_string={"since": first["cursor"]}).get_json()
    assert unchanged["full"] is False and unchanged["children"] == []
    change(admin, age_limit="17")
    raised = api.get("/api/v1/packet", query_string={"since": first["cursor"]}).get_json()
    assert raised["full"] is True and raised["rules"] == {"age_limit": 17}
    assert str(sixteen.id) in {c["id"] for c in raised["children"]}
    change(admin, age_limit="16")
    lowered = api.get("/api/v1/packet", query_string={"since": raised["cursor"]}).get_json()
    assert lowered["full"] is True and lowered["rules"] == {"age_limit": 16}
    assert str(sixteen.id) not in {c["id"] for c in lowered["children"]}


def test_the_age_limit_decides_what_a_submission_may_hold(db, admin, collector, village):
    from fieldapp.children.validators import validate_record

    born = TODAY - timedelta(days=16 * 365 + 30)
    record = {"child": {"full_name": "Lò Văn Lớn", "sex": "1", "date_of_birth": born,
                        "ethnicity_code": "03", "village_code": village.code},
              "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]}
    refused = validate_record(record, capture_date=TODAY).errors
    assert refused == {"child.date_of_birth": [
        "Ngày, tháng, năm sinh: trẻ đã đủ 16 tuổi vào ngày thu thập."]}
    change(admin, age_limit="17")
    assert validate_record(record, capture_date=TODAY).errors == {}
    old = dict(record, child={**record["child"],
                              "date_of_birth": TODAY - timedelta(days=17 * 365 + 30)})
    assert validate_record(old, capture_date=TODAY).errors == {"child.date_of_birth": [
        "Ngày, tháng, năm sinh: trẻ đã đủ 17 tuổi vào ngày thu thập."]}


# --- what the review period moves ---------------------------------------------------------

@pytest.mark.parametrize("months, listed", [(6, False), (4, False), (3, True), (1, True)])
def test_the_review_period_moves_children_in_and_out_of_needs_review(
        db, admin, officer, add_child, months, listed):
    child = add_child("Lò Văn Một", circumstances=[
        {"code": "DB01", "since": TODAY - timedelta(days=100)}])
    if months != 6:
        change(admin, review_months=str(months))
    assert [c.id for c, _ in lists.needs_review(officer)] == ([child.id] if listed else [])
    assert lists.totals(officer)["needs-review"] == int(listed)


def test_the_recheck_form_offers_the_share_in_force(client, login, officer, admin, db):
    login(officer)
    page = client.get("/quality/recheck").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="percent"|value="percent"[^>]*checked', page)
    assert re.search(r'id="amount"[^>]*value="10"|value="10"[^>]*id="amount"', page)
    change(admin, recheck_percent="25")
    page = client.get("/quality/recheck").get_data(as_text=True)
    assert re.search(r'id="amount"[^>]*value="25"|value="25"[^>]*id="amount"', page)
