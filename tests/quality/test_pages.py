"""The cleaning pages: overview, one page per list, who may open them, labels, printing."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from tests.quality.conftest import days_ago, personal_id
from tests.web.test_pages import parse

LISTS = ("without-id", "wrong-id", "missing-basic", "needs-review")


def names(html: str) -> list[str]:
    return re.findall(r'<td data-label="Họ và tên"><a href="/children/[0-9a-f-]{36}">([^<]+)</a>',
                      html)


@pytest.fixture()
def register(add_child, village, village2):
    """One child on each list (two of them in the second village) and one on none."""
    return {
        "without-id": add_child("Lò Văn Một"),
        "wrong-id": add_child("Lò Văn Hai", personal_id="014299001234"),
        "missing-basic": add_child("Lò Thị Ba", place=village2, sex="2",
                                   pid=personal_id(sex="2"), raw_ethnicity_code="00"),
        "needs-review": add_child("Lò Văn Bốn", place=village2, pid=personal_id(),
                                  circumstances=[{"code": "DB01", "since": days_ago(400)}]),
        "none": add_child("Lò Văn Năm", pid=personal_id(tail="777777")),
    }


def test_overview_counts_per_village_and_commune(client, login, officer, register, village,
                                                 village2):
    login(officer)
    html = client.get("/quality").get_data(as_text=True)
    assert "Làm sạch dữ liệu" in html
    assert f'href="/quality/without-id?village={village.code}">1</a>' in html
    assert f'href="/quality/needs-review?village={village2.code}">1</a>' in html
    assert 'href="/quality/missing-basic"><strong>1</strong>' in html
    assert 'data-label="Thôn/bản">Bản Pá Múa' in html


@pytest.mark.parametrize("name", LISTS)
def test_each_list_page_shows_its_children_and_reasons(client, login, officer, register, name):
    login(officer)
    answer = client.get(f"/quality/{name}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    child = register[name]
    assert names(html) == [child.full_name]
    assert f'href="/children/{child.id}"' in html
    assert "Lường Thị Xuân" in html and child.village.name in html
    assert child.date_of_birth.strftime("%d/%m/%Y") in html


def test_reasons_and_current_number_are_shown(client, login, officer, register):
    login(officer)
    html = client.get("/quality/wrong-id").get_data(as_text=True)
    assert "014299001234" in html
    assert "chữ số thứ 5–6 là 99" in html
    html = client.get("/quality/missing-basic").get_data(as_text=True)
    assert "Dân tộc không rõ." in html and "Nữ" in html


def test_village_filter(client, login, officer, register, village, village2):
    login(officer)
    html = client.get(f"/quality/without-id?village={village2.code}").get_data(as_text=True)
    assert names(html) == []
    html = client.get(f"/quality/without-id?village={village.code}").get_data(as_text=True)
    assert names(html) == ["Lò Văn Một"]
    assert f'<option selected value="{village.code}">' in html


def test_htmx_gets_only_the_rows(client, login, officer, register):
    login(officer)
    answer = client.get("/quality/without-id", headers={"HX-Request": "true"})
    html = answer.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card" id="quality-list">')
    assert "HX-Request" in answer.headers["Vary"]


def test_a_village_of_another_commune_is_not_found(client, login, officer, far_village):
    login(officer)
    assert client.get(f"/quality/without-id?village={far_village.code}").status_code == 404
    assert client.get(f"/quality/without-id.xlsx?village={far_village.code}").status_code == 404
    assert client.get("/quality/no-such-list").status_code == 404


def test_another_communes_officer_sees_none_of_ours(client, login, far_officer, register):
    login(far_officer)
    for name in LISTS:
        assert names(client.get(f"/quality/{name}").get_data(as_text=True)) == []
    child = register["needs-review"]
    answer = client.post(f"/quality/needs-review/{child.id}/reviewed",
                         data={"csrf_token": _token(client)})
    assert answer.status_code == 404


@pytest.mark.parametrize("role", [roles.POLICE, roles.COLLABORATOR, roles.VILLAGE_HEAD,
                                  roles.COMMUNE_LEADER, roles.PROVINCE_VIEWER, roles.ADMIN])
def test_other_roles_are_refused(client, login, make, village, register, role):
    login(make.user(role, ["14"] if role == roles.PROVINCE_VIEWER else None))
    for path in ("/quality", "/quality/wrong-id", "/quality/wrong-id.xlsx"):
        assert client.get(path).status_code == 403, path
    child = register["needs-review"]
    answer = client.post(f"/quality/needs-review/{child.id}/reviewed",
                         data={"csrf_token": _token(client)})
    assert answer.status_code == 403


def test_anonymous_is_sent_to_login(client):
    answer = client.get("/quality/without-id")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


@pytest.mark.parametrize("path", ["/quality", *(f"/quality/{n}" for n in LISTS)])
def test_pages_label_every_field_and_have_no_inline_script(client, login, officer, register,
                                                           path):
    login(officer)
    markup = parse(client.get(path))
    assert all(script.get("src") for script in markup.scripts)  # /quality loads none
    assert markup.script_bodies == [] and markup.handlers == []
    for control in markup.controls:
        assert control.get("id") in markup.label_for, f"unlabelled {control} on {path}"
    if path != "/quality":
        assert markup.controls, f"no filter on {path}"


def test_lists_print_cleanly(app, client, login, officer, register):
    login(officer)
    html = client.get("/quality/needs-review").get_data(as_text=True)
    assert re.search(r'href="/static/css/print\.css\?v=[0-9a-f]+" media="print"', html)
    assert 'class="list quality"' in html and 'class="no-print"' in html
    css = (Path(app.static_folder) / "css" / "print.css").read_text(encoding="utf-8")
    for rule in ("display: table-header-group", "break-inside: avoid", ".filters",
                 ".no-print", "table.quality { width: 100%"):
        assert rule in css


def test_home_shows_the_live_counts(client, login, officer, register):
    login(officer)
    html = client.get("/").get_data(as_text=True)
    assert '<section class="card" id="quality">' in html
    for name in LISTS:
        assert f'href="/quality/{name}">' in html
    assert re.search(r'Trẻ em chưa có số định danh cá nhân: <strong>1</strong>', html)
    assert 'href="/quality">Làm sạch dữ liệu</a>' in html  # the menu


def test_listing_is_audited(client, login, officer, register, db):
    login(officer)
    client.get("/quality/wrong-id")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "quality_listed")
                               ).one()
    assert entry.detail == {"list": "wrong-id", "village": None}
    assert entry.commune_code == officer.commune_code


def _token(client) -> str:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)
