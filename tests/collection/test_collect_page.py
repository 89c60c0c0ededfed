"""Who opens the capture page, and what it carries (nothing of any child: lists come from the
phone's own storage)."""

import pytest

from fieldapp import roles


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_field_staff_open_the_capture_page(client, make, login, village, role):
    login(make.user(role, [village]))
    answer = client.get("/collect")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "private, no-cache"
    for text in ("Đồng bộ", "Thêm trẻ em", "Đang chờ đồng bộ", "Lần đồng bộ gần nhất"):
        assert text in html
    assert "htmx" not in html  # the offline page needs none of it: fewer bytes on 2G
    assert "<script>" not in html and "style=" not in html  # the CSP allows no inline code


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.POLICE, roles.COMMUNE_LEADER,
                                  roles.ADMIN])
def test_other_roles_do_not_collect(client, make, login, role):
    login(make.user(role, ["14"] if role == roles.PROVINCE_VIEWER else None))
    assert client.get("/collect").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    answer = client.get("/collect")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_field_staff_find_the_capture_page_from_home_and_the_menu(client, login, collector):
    login(collector)
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/collect"') >= 2
    assert '<meta name="fieldapp-user"' in html and "/static/js/offline.js" in html


def test_office_pages_do_not_install_the_worker(client, login, officer):
    login(officer)
    html = client.get("/").get_data(as_text=True)
    assert "offline.js" not in html and 'href="/collect/import"' in html


def test_the_capture_page_unchanged_costs_a_304_in_the_same_session_only(client, make, login,
                                                                          village):
    user = make.user(roles.COLLABORATOR, [village])
    login(user)
    first = client.get("/collect")
    etag = first.headers["ETag"]
    again = client.get("/collect", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    client.post("/logout", data={"csrf_token": _token(first)})
    login(user)  # a new session: its own token, so the whole page
    fresh = client.get("/collect", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


def _token(answer) -> str:
    html = answer.get_data(as_text=True)
    return html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
