"""The home's "Báo cáo sắp đến hạn" (issue 15 §2): the commune officer and leader see their
province's next due report, its due date and the days left, and a link to /reports at its
cut-off; other roles do not; a province's own dates move it."""

from datetime import date

import pytest

from fieldapp import roles
from fieldapp.settings import services as settings
from tests.conftest import DEMO_PASSWORD
from tests.factories import COMMUNE_B

SON_LA = "14"


@pytest.fixture()
def on(monkeypatch):
    """``on(day)``: the home's today."""
    return lambda day: monkeypatch.setattr("fieldapp.home.views.today", lambda: day)


def card(client) -> str:
    page = client.get("/").get_data(as_text=True)
    if 'id="due-report"' not in page:
        return ""
    return page.split('id="due-report"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER])
def test_officer_and_leader_see_the_next_due_report(client, login, make, on, role):
    login(make.user(role))
    on(date(2027, 5, 8))
    shown = card(client)
    assert "Báo cáo sắp đến hạn" in shown and "Báo cáo 6 tháng đầu năm 2027" in shown
    assert "Hạn nộp 20/05/2027 · còn 12 ngày" in shown
    # The cut-off (15/05) is still ahead: the link opens the report so far, and says so.
    assert '<a class="button block" href="/reports?date=2027-05-08">Lập báo cáo</a>' in shown
    assert "Chưa đến ngày chốt số liệu" in shown
    on(date(2027, 5, 20))
    assert "Hạn nộp 20/05/2027 · hôm nay" in card(client)
    on(date(2027, 11, 12))
    assert "Báo cáo năm 2027" in card(client)
    assert "Hạn nộp 15/11/2027 · còn 3 ngày" in card(client)
    assert 'href="/reports?date=2027-11-10">Lập báo cáo</a>' in card(client)  # its cut-off
    assert "Chưa đến ngày chốt số liệu" not in card(client)


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE,
                                  roles.PROVINCE_VIEWER, roles.ADMIN])
def test_other_roles_do_not_get_the_card(client, login, make, village, on, role):
    places = {roles.COLLABORATOR: [village], roles.VILLAGE_HEAD: [village],
              roles.PROVINCE_VIEWER: [SON_LA]}.get(role)
    login(make.user(role, places))
    on(date(2027, 5, 8))
    page = client.get("/").get_data(as_text=True)
    assert "Báo cáo sắp đến hạn" not in page and "/reports?date=" not in page


def test_a_province_override_changes_the_card(client, login, sign_in, make, officer, far_officer,
                                              on):
    settings.change_province_settings(make.user(roles.ADMIN), SON_LA, {
        "half_year_cutoff": "31/05", "half_year_due": "10/06"})
    on(date(2027, 5, 8))
    login(officer)  # Sơn La
    shown = card(client)
    assert "Hạn nộp 10/06/2027 · còn 33 ngày" in shown and "(số liệu đến hết 31/05/2027)" in shown
    assert far_officer.commune_code == COMMUNE_B  # Đà Nẵng: the defaults
    other, _ = sign_in(far_officer.username, DEMO_PASSWORD)
    assert "Hạn nộp 20/05/2027 · còn 12 ngày" in card(other)
