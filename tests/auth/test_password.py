import re

import pytest

from fieldapp import roles
from fieldapp.auth.passwords import verify_password
from tests.conftest import csrf_token
from tests.factories import PASSWORD

NEW = "mat-khau-moi-2026"
PAGE = "/account/password"


def change(client, current, new, confirm, headers=None):
    data = {
        "csrf_token": csrf_token(client, PAGE),
        "current_password": current,
        "new_password": new,
        "confirm_password": confirm,
    }
    return client.post(PAGE, data=data, headers=headers or {})


def test_must_change_user_is_sent_to_the_password_page(client, make, login):
    login(make.user(roles.COLLABORATOR, must_change=True))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong-pass-2026", NEW, NEW, "current_password", "Mật khẩu hiện tại không đúng."),
        (PASSWORD, "ngan-7c", "ngan-7c", "new_password", "Mật khẩu mới có ít nhất 8 ký tự."),
        (PASSWORD, NEW, NEW + "x", "confirm_password",
         "Hai lần nhập mật khẩu mới không giống nhau."),
        (PASSWORD, PASSWORD, PASSWORD, "new_password", "Mật khẩu mới phải khác mật khẩu cũ."),
        (PASSWORD, "CTV.BanThu", "CTV.BanThu", "new_password",
         "Mật khẩu không được chứa tên đăng nhập."),
    ],
)
def test_refused_change_says_why_next_to_the_field(
    client, make, db, login, current, new, confirm, field, message
):
    user = make.user(roles.COLLABORATOR, username="ctv.banthu", must_change=True)
    login(user)
    response = change(client, current, new, confirm)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert re.search(rf'<input [^>]*aria-describedby="{field}-error"[^>]*id="{field}"', page)
    db.session.refresh(user)
    assert user.must_change_password and verify_password(user.password_hash, PASSWORD)


def test_change_clears_the_flag_and_ends_the_other_sessions(
    app, client, make, db, login, submit_login
):
    user = make.user(roles.COLLABORATOR, must_change=True)
    other = app.test_client()
    submit_login(user.username, PASSWORD, via=other)
    login(user)
    response = change(client, PASSWORD, NEW, NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.refresh(user)
    assert not user.must_change_password and verify_password(user.password_hash, NEW)
    assert client.get("/").status_code == 200
    assert other.get("/").headers["Location"].startswith("/login")


def test_htmx_refusal_is_only_the_form(client, make, login):
    login(make.user(roles.COLLABORATOR))
    response = change(client, "wrong-pass-2026", NEW, NEW, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True).strip()
    assert response.status_code == 422
    assert body.startswith('<form id="password-form"') and "<html" not in body
    assert "Mật khẩu hiện tại không đúng." in body
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_success_redirects_through_a_header(client, make, login):
    login(make.user(roles.COLLABORATOR))
    response = change(client, PASSWORD, NEW, NEW, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/"
