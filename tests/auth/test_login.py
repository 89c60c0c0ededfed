import re

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import LoginSession
from tests.auth.conftest import ADDRESS
from tests.conftest import csrf_token
from tests.factories import PASSWORD

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


def sessions_of(db, user) -> list[LoginSession]:
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)))


def test_login_page_is_vietnamese_with_labelled_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "<h1>Đăng nhập</h1>" in page
    assert '<label for="username">Tên đăng nhập</label>' in page
    assert '<label for="password">Mật khẩu</label>' in page
    assert re.search(r'<input [^>]*id="username"[^>]*type="text"', page)
    assert re.search(r'<input [^>]*id="password"[^>]*type="password"', page)


def test_right_password_goes_home_and_is_audited(client, make, db, submit_login):
    user = make.user(roles.COLLABORATOR)
    response = submit_login(user.username, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login")).one()
    assert (entry.user_id, entry.address) == (user.id, ADDRESS)


def test_wrong_password_shows_the_generic_message(client, make, db, submit_login):
    user = make.user(roles.COLLABORATOR)
    response = submit_login(user.username, "wrong-pass-2026")
    assert response.status_code == 200
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")
    assert sessions_of(db, user) == []


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_login_without_a_valid_csrf_token_is_refused(client, make, db, token):
    user = make.user(roles.COLLABORATOR)
    client.get("/login")  # the anonymous session now holds a real token; the post omits it
    data = {"username": user.username, "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    assert client.post("/login", data=data).status_code == 400
    assert client.get("/").headers["Location"].startswith("/login")
    assert sessions_of(db, user) == []


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/villages", "/villages"),
        ("/account/password?tab=1", "/account/password?tab=1"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\t/evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_accepts_only_local_paths(make, submit_login, target, location):
    user = make.user(roles.COMMUNE_OFFICER)
    response = submit_login(user.username, PASSWORD, next=target)
    assert response.status_code == 302 and response.headers["Location"] == location


def test_a_username_with_control_characters_is_refused_next_to_the_field(client, make):
    make.user("collaborator", username="ctvnul")
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"csrf_token": token, "username": "ctv\x00nul",
                                         "password": "sai"})
    assert answer.status_code == 200
    assert '<p class="error" id="username-error">Có ký tự không hợp lệ.</p>' \
        in answer.get_data(as_text=True)
