"""The report calendar's dates per province (issue 15 §2): the day-of-year kind ("dd/mm"),
defaults and a province's overrides, all-or-none validation (a due date after its cut-off),
the audit entry with the province, and the "Lịch báo cáo theo tỉnh" section of Cài đặt."""

from datetime import date

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.errors import ValidationFailed
from fieldapp.settings import services as settings
from fieldapp.settings.declared import BY_KEY, DayMonth
from fieldapp.settings.models import ProvinceSetting
from tests.conftest import csrf_token

SON_LA, DA_NANG = "14", "48"  # the provinces of the test communes A and B
DATES = {"half_year_cutoff": "15/05", "half_year_due": "20/05", "year_cutoff": "10/11",
         "year_due": "15/11"}


@pytest.fixture()
def admin(make):
    return make.user(roles.ADMIN)


def post(client, province=SON_LA, **values):
    token = csrf_token(client, "/settings")
    return client.post("/settings/province",
                       data={"csrf_token": token, "province": province, **DATES, **values})


@pytest.mark.parametrize("raw, parsed", [
    ("20/5", DayMonth(5, 20)), ("20/05", DayMonth(5, 20)), (" 1/1 ", DayMonth(1, 1)),
    ("29/02", DayMonth(2, 29)), ("31/12", DayMonth(12, 31)),
])
def test_a_day_of_the_year_is_read_as_dd_mm(raw, parsed):
    assert BY_KEY["half_year_due"].parse(raw) == parsed


@pytest.mark.parametrize("raw, message", [
    ("", "vui lòng nhập."), ("20-05", "nhập ngày/tháng, ví dụ 20/05."),
    ("20/05/2027", "nhập ngày/tháng, ví dụ 20/05."), ("２０/５", "nhập ngày/tháng, ví dụ 20/05."),
    ("31/02", "ngày 31/02 không có."), ("31/4", "ngày 31/04 không có."),
    ("0/5", "ngày 0/05 không có."), ("10/13", "tháng 13 không có."),
])
def test_a_day_that_does_not_exist_is_refused_in_vietnamese(raw, message):
    with pytest.raises(ValueError, match=message):
        BY_KEY["half_year_due"].parse(raw)


def test_defaults_then_a_province_override_that_only_that_province_sees(db, admin):
    assert settings.value("half_year_due", SON_LA) == DayMonth(5, 20)
    assert settings.value("year_cutoff") == DayMonth(11, 10)  # no province: the default
    assert settings.change_province_settings(
        admin, SON_LA, {**DATES, "half_year_due": "25/5"}) == ["half_year_due"]
    assert settings.value("half_year_due", SON_LA) == DayMonth(5, 25)
    assert settings.value("half_year_due", DA_NANG) == DayMonth(5, 20)
    assert settings.value("half_year_due") == DayMonth(5, 20)
    rows = db.session.scalars(select(ProvinceSetting)).all()
    assert [(r.key, r.province_code, r.value, r.updated_by_id) for r in rows] == [
        ("half_year_due", SON_LA, "25/05", admin.id)]
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "setting_changed")).all()
    assert [(e.object_type, e.object_id, e.detail) for e in entries] == [
        ("setting", "half_year_due", {"province": SON_LA, "old": "20/05", "new": "25/05"})]


@pytest.mark.parametrize("values, key, message", [
    ({"half_year_due": "15/05"}, "half_year_due",
     "Kỳ báo cáo 6 tháng: hạn nộp: phải sau ngày tính số liệu (15/05) trong cùng năm."),
    ({"year_cutoff": "20/11"}, "year_due",
     "Kỳ báo cáo năm: hạn nộp: phải sau ngày tính số liệu (20/11) trong cùng năm."),
    ({"half_year_cutoff": "28/02", "half_year_due": "29/02"}, "half_year_due",
     "Kỳ báo cáo 6 tháng: hạn nộp: phải sau ngày tính số liệu (28/02) trong cùng năm."),
])
def test_a_due_date_must_follow_its_cutoff(db, admin, values, key, message):
    with pytest.raises(ValidationFailed) as failed:
        settings.change_province_settings(admin, SON_LA, {**DATES, **values})
    assert failed.value.errors == {key: [message]}
    assert db.session.scalars(select(ProvinceSetting)).all() == []


def test_the_service_refuses_anyone_but_the_admin_and_an_unknown_province(db, admin, officer):
    with pytest.raises(Exception, match="không có quyền"):
        settings.change_province_settings(officer, SON_LA, DATES)
    with pytest.raises(ValidationFailed) as failed:
        settings.change_province_settings(admin, "99", DATES)
    assert failed.value.errors == {"province": ["Không có tỉnh này."]}


def test_the_admin_picks_a_province_and_changes_its_dates(client, login, admin, db):
    login(admin)
    page = client.get("/settings").get_data(as_text=True)
    assert "Lịch báo cáo theo tỉnh" in page and "Chọn tỉnh để xem và đổi lịch báo cáo." in page
    assert f'<option value="{SON_LA}">' in page and '<label for="province-pick">' in page
    page = client.get(f"/settings?province={SON_LA}").get_data(as_text=True)
    assert 'name="half_year_due"' in page and 'value="20/05"' in page
    assert '<label for="date-half_year_due">' in page
    answer = post(client, half_year_cutoff="31/05", half_year_due="5/6")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert settings.value("half_year_due", SON_LA) == DayMonth(6, 5)
    after = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu 2 ngày của lịch báo cáo." in after and 'value="05/06"' in after


def test_a_wrong_date_is_shown_next_to_its_field_and_nothing_is_stored(client, login, admin, db):
    login(admin)
    answer = post(client, half_year_cutoff="1/6", year_due="31/02")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert ('<p class="error" id="date-year_due-error">Kỳ báo cáo năm: hạn nộp: ngày 31/02 '
            'không có.</p>') in html
    assert 'id="date-half_year_due-error">Kỳ báo cáo 6 tháng: hạn nộp: phải sau' in html
    assert 'value="31/02"' in html and 'aria-invalid="true"' in html
    assert db.session.scalars(select(ProvinceSetting)).all() == []


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER])
def test_officer_and_leader_read_their_province_dates(client, login, make, admin, db, role):
    settings.change_province_settings(admin, SON_LA, {**DATES, "year_due": "30/11"})
    login(make.user(role))
    page = client.get(f"/settings?province={DA_NANG}").get_data(as_text=True)
    assert "Sơn La" in page and 'name="year_due"' not in page
    assert '<span id="date-year_due">30/11</span>' in page
    assert '<span id="date-half_year_due">20/05</span>' in page
    token = csrf_token(client, "/")
    answer = client.post("/settings/province",
                         data={"csrf_token": token, "province": SON_LA, **DATES})
    assert answer.status_code == 403
    assert settings.value("year_due", SON_LA) == DayMonth(11, 30)


def test_a_29_february_falls_on_the_28th_in_a_common_year():
    assert DayMonth(2, 29).in_year(2027) == date(2027, 2, 28)
    assert DayMonth(2, 29).in_year(2028) == date(2028, 2, 29)
