"""Field staff read the children of their villages with restricted groups masked; nobody but
the commune officer changes the register; police, province and admin see none of it."""

import re

import pytest

from fieldapp import roles
from tests.children.pages import count, days_ago, names
from tests.conftest import csrf_token

RESTRICTED = {  # code: label (DOMAIN §4 *)
    "DB05": "Nhiễm HIV/AIDS", "DB06": "Nghiện ma túy",
    "DB08": "Bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
    "DB12": "Bị xâm hại tình dục", "DB13": "Bị mua bán", "K01": "Bị bắt cóc, chiếm đoạt, đánh tráo",
}
SECRET_NOTE = "Ghi chú riêng của cán bộ"


@pytest.fixture()
def register(add_child, village, village2, make):
    """One child in each of three villages; the child of village A is in restricted groups."""
    village3 = make.village(name="Bản Hua Trai")
    groups = [{"code": code, "since": days_ago(60), "note": SECRET_NOTE} for code in RESTRICTED]
    groups.append({"code": "DB01", "since": days_ago(60)})
    return {
        "a": add_child("Lò Văn An", circumstances=groups),
        "b": add_child("Cầm Thị Bình", sex="2", place=village2),
        "c": add_child("Quàng Văn Cường", place=village3),
    }


def _circumstance_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*id="circumstance"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'value="([^"]*)"', select.group(1))


def _assert_masked(html: str) -> None:
    # CSRF tokens are random text that could hold "K01" by chance.
    html = re.sub(r'(content|value)="[\w-]{20,}\.[\w-]+\.[\w-]+"', "", html)
    assert "hạn chế" in html
    for code, label in RESTRICTED.items():
        assert code not in html and label not in html and label.lower() not in html.lower()
    assert SECRET_NOTE not in html


def test_village_head_sees_only_its_village(client, make, login, listing, register, village):
    login(make.user(roles.VILLAGE_HEAD, [village]))
    assert names(listing()) == ["Lò Văn An"]
    assert names(listing(q="binh")) == [] and names(listing(status="all")) == ["Lò Văn An"]
    assert client.get(f"/children/{register['a'].id}").status_code == 200
    assert client.get(f"/children/{register['b'].id}").status_code == 404
    assert client.get(f"/children/{register['c'].id}").status_code == 404


def test_collaborator_of_two_villages_sees_both(client, make, login, listing, register,
                                                village, village2):
    login(make.user(roles.COLLABORATOR, [village, village2]))
    assert names(listing()) == ["Cầm Thị Bình", "Lò Văn An"]
    assert client.get(f"/children/{register['b'].id}").status_code == 200
    assert client.get(f"/children/{register['c'].id}").status_code == 404


@pytest.mark.parametrize("role", [roles.VILLAGE_HEAD, roles.COLLABORATOR])
def test_restricted_groups_are_masked_for_field_staff(client, make, login, listing, register,
                                                      village, role):
    login(make.user(role, [village]))
    page = client.get(f"/children/{register['a'].id}").get_data(as_text=True)
    _assert_masked(page)
    assert page.count("<strong>hạn chế</strong>") == len(RESTRICTED)
    assert "DB01 · Mồ côi cả cha và mẹ" in page  # an unrestricted group stays visible
    for html in (listing(), listing(headers={"HX-Request": "true"})):
        _assert_masked(html)
        assert html.count('<span class="tag masked">hạn chế</span>') == len(RESTRICTED)
    options = _circumstance_options(listing())
    assert "DB01" in options and "DB" in options
    assert not set(RESTRICTED) & set(options)
    # Filtering by a restricted code (posted by hand) or its block does not reveal membership.
    assert count(listing(circumstance="DB05")) == 0 and count(listing(circumstance="K01")) == 0
    assert count(listing(circumstance="K")) == 0


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER])
def test_officer_and_leader_see_restricted_groups(client, make, login, listing, register,
                                                  role):
    login(make.user(role))
    page = client.get(f"/children/{register['a'].id}").get_data(as_text=True)
    for code, label in RESTRICTED.items():
        assert f"{code} · {label}" in page
    assert SECRET_NOTE in page and "<strong>hạn chế</strong>" not in page
    html = listing()
    assert all(f'<span class="tag">{code} · {label}</span>' in html
               for code, label in RESTRICTED.items())
    assert set(RESTRICTED) <= set(_circumstance_options(html))
    assert names(listing(circumstance="DB05")) == ["Lò Văn An"]


@pytest.mark.parametrize("role", [roles.VILLAGE_HEAD, roles.COLLABORATOR,
                                  roles.COMMUNE_LEADER])
def test_only_the_officer_changes_the_register(client, make, login, listing, register,
                                               village, role):
    login(make.user(role, [village] if role in roles.FIELD else None))
    child = register["a"]
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Cập nhật" not in page and "/edit" not in page
    assert "Thêm hoàn cảnh" not in page and "Đóng hồ sơ" not in page
    assert "Ghi nhận trợ giúp" not in page and "Kết thúc" not in page
    assert "/children/new" not in listing() and "/children/households" not in listing()
    token = csrf_token(client, "/children/")
    ended = child.circumstances[0].id
    for path in ("/children/new", f"/children/{child.id}/edit",
                 f"/children/{child.id}/circumstances", f"/children/{child.id}/support",
                 f"/children/{child.id}/close",
                 f"/children/{child.id}/circumstances/{ended}/end",
                 "/children/households/new", f"/children/households/{child.household_id}"):
        response = client.post(path, data={"csrf_token": token, "full_name": "Lò Văn Sửa"})
        assert response.status_code == 403, path
    for path in ("/children/new", f"/children/{child.id}/edit", "/children/households"):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("role", [roles.POLICE, roles.PROVINCE_VIEWER, roles.ADMIN])
def test_police_province_and_admin_see_no_register(client, make, login, register, role):
    login(make.user(role))
    token = csrf_token(client, "/")
    assert client.get("/children/").status_code == 403
    assert client.post("/children/", data={"csrf_token": token, "q": "an"}).status_code == 403
    assert client.get(f"/children/{register['a'].id}").status_code == 403
    assert 'href="/children/"' not in client.get("/").get_data(as_text=True)
