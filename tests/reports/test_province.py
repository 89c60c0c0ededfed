"""The province's dashboard (issue 15 §3): its indicators at a day with each commune side by
side, "<5" for a restricted group's 1–4 children, at ``/`` for the province viewer and at
``/reports/province`` for the viewer and the admin (``?place=``); 403 for everyone else."""

import re
from datetime import timedelta

import pytest

from fieldapp import roles
from fieldapp.places.models import Commune
from tests.factories import COMMUNE_A
from tests.reports.conftest import C, T, years
from tests.reports.province import neighbour  # noqa: F401  (a fixture)

URL = "/reports/province"


@pytest.fixture()
def two_communes(db, make, small_register, neighbour):  # noqa: F811
    """The small register (commune A) and two children of another commune of province 14."""
    commune, place, officer = neighbour
    make.child(officer, place, "Hà Văn Mạnh", born=years(6), capture_date=C,
               circumstances=[{"code": "DB01", "since": T - timedelta(90)}])
    make.child(officer, place, "Hà Thị Nga", born=years(2), sex="2", capture_date=C,
               personal_id="014324000009")
    db.session.commit()
    return commune


def cells(page: str, row_name: str) -> list[str]:
    """The cells of the dashboard's first table row headed ``row_name``."""
    row = re.search(rf'<tr[^>]*><th scope="row">{re.escape(row_name)}</th>(.*?)</tr>', page,
                    re.S)
    assert row, row_name
    return re.findall(r"<td>(.*?)</td>", row.group(1))


# Columns in the registry's order: population, special, supported, unsupported, at risk,
# abused, injured, injury deaths, with an ID number, dropouts.
COMMUNE_A_ROW = ["8", "2", "1", "1", "2", "&lt;5", "1", "1", "2", "1"]
NEIGHBOUR_ROW = ["2", "1", "0", "1", "0", "0", "0", "0", "1", "0"]
TOTAL_ROW = ["10", "3", "1", "2", "2", "&lt;5", "1", "1", "3", "1"]


def test_the_viewer_s_home_shows_each_commune_side_by_side(db, client, login, make,
                                                           two_communes):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    page = client.get(f"/?date={T.isoformat()}").get_data(as_text=True)
    assert "Tổng số trẻ em" in page and "Trẻ em bị xâm hại" in page
    name_a = db.session.get(Commune, COMMUNE_A).name
    assert cells(page, name_a) == COMMUNE_A_ROW
    assert cells(page, two_communes.name) == NEIGHBOUR_ROW
    assert cells(page, "Toàn tỉnh") == TOTAL_ROW
    assert f'value="{T.isoformat()}"' in page and 'class="scroll-x"' in page
    assert "Bản Nà Sàng" not in page and "Bản Hua Trai" not in page  # never a village


def test_the_same_dashboard_at_reports_province(client, login, make, two_communes):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    page = client.get(f"{URL}?date={T.isoformat()}").get_data(as_text=True)
    assert cells(page, "Toàn tỉnh") == TOTAL_ROW
    assert cells(page, two_communes.name) == NEIGHBOUR_ROW


def test_the_admin_picks_a_province(client, login, make, two_communes):
    login(make.user(roles.ADMIN))
    picker = client.get(URL)
    assert picker.status_code == 200
    assert 'name="place"' in picker.get_data(as_text=True) and "Toàn tỉnh" not in \
        picker.get_data(as_text=True)
    page = client.get(f"{URL}?place=14&date={T.isoformat()}").get_data(as_text=True)
    assert cells(page, "Toàn tỉnh") == TOTAL_ROW
    assert 'type="hidden" name="place" value="14"' in page


def test_an_early_day_is_counted_at_that_day(client, login, make, two_communes):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    before = (T - timedelta(days=3650)).isoformat()  # nobody was in the register yet
    page = client.get(f"{URL}?date={before}").get_data(as_text=True)
    assert cells(page, "Toàn tỉnh")[0] == "0"
    assert "Chưa có xã nào có trẻ em" in page


@pytest.mark.parametrize("text", ["2999-01-01", "hôm-nay"])
def test_a_wrong_date_is_said_next_to_the_field(client, login, make, text):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    answer = client.get(f"{URL}?date={text}")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert 'id="dashboard-date-error"' in page and "Ngày" in page


def test_the_viewer_sees_only_its_own_province(client, login, make):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    assert client.get(f"{URL}?place=48").status_code == 404
    assert client.get(f"{URL}?place={COMMUNE_A}").status_code == 400


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER, roles.POLICE,
                                  roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_other_roles_are_refused(client, login, make, role):
    login(make.user(role))
    assert client.get(f"{URL}?place=14").status_code == 403


def test_logged_out_is_sent_to_the_login(client):
    assert client.get(URL).status_code in (302, 401)


def test_the_data_health_table_is_on_the_dashboard(client, login, make, two_communes):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    page = client.get(URL).get_data(as_text=True)
    assert "Chất lượng dữ liệu của các xã" in page
    assert "30 ngày" in page and "quá 7 ngày" in page


def test_a_total_that_would_give_a_hidden_commune_back_is_only_at_least_5(
        db, client, login, make, small_register, neighbour):  # noqa: F811
    commune, place, officer = neighbour
    for n in range(5):  # five abused children: shown, but 5 + commune A's 2 = 7 would tell
        make.child(officer, place, f"Hà Văn Thử {'ABCDE'[n]}", born=years(8), capture_date=C,
                   circumstances=[{"code": "DB08", "since": T - timedelta(30)}])
    db.session.commit()
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    page = client.get(f"{URL}?date={T.isoformat()}").get_data(as_text=True)
    assert cells(page, commune.name)[5] == "ẩn"  # else 7 less 5 would give the 2 back
    assert cells(page, db.session.get(Commune, COMMUNE_A).name)[5] == "&lt;5"
    assert cells(page, "Toàn tỉnh")[5] == "≥5"
