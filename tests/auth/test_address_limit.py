"""The per-address limit on password failures: one address trying one password across many
usernames is stopped (429 with ``Retry-After``), other addresses are not, only failures count,
and a failure older than 15 minutes no longer does."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.auth.models import RateLimitHit
from tests.auth.conftest import ADDRESS
from tests.auth.test_lockout import BAD_CREDENTIALS, WRONG, alert
from tests.auth.test_password import NEW, change
from tests.factories import PASSWORD

LIMIT = 4
OTHER = "198.51.100.20"  # another documentation address (RFC 5737)
LIMITED = re.compile(r"Có quá nhiều lần nhập sai mật khẩu từ địa chỉ mạng này\. "
                     r"Vui lòng thử lại sau (\d+) phút\.")


@pytest.fixture(autouse=True)
def low_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_LIMIT", f"{LIMIT} per 15 minutes")


def ask_token(client, username: str, password: str = WRONG, address: str = ADDRESS):
    return client.post("/api/v1/tokens", environ_base={"REMOTE_ADDR": address}, json={
        "username": username, "password": password, "device_name": "Điện thoại thử"})


def spray(submit_login, count: int = LIMIT, address: str = ADDRESS, via=None) -> list:
    """One password tried on ``count`` usernames, none of them tried twice."""
    return [submit_login(f"nguoi{i}", WRONG, address=address, via=via) for i in range(count)]


def test_failures_across_usernames_are_stopped_on_the_login_page(client, make, submit_login):
    user = make.user(roles.COLLABORATOR)
    assert [alert(r) for r in spray(submit_login)] == [BAD_CREDENTIALS] * LIMIT
    stopped = submit_login(user.username, PASSWORD)  # even the right password of a fresh name
    assert stopped.status_code == 429
    minutes = int(LIMITED.fullmatch(alert(stopped)).group(1))
    assert 0 < int(stopped.headers["Retry-After"]) <= 15 * 60 and minutes == 15
    assert client.get("/login").status_code == 200  # the page itself still opens


def test_another_address_is_not_affected(app, make, submit_login):
    user = make.user(roles.COLLABORATOR)
    spray(submit_login)
    assert alert(submit_login("nguoi-khac", WRONG, address=OTHER)) == BAD_CREDENTIALS
    assert submit_login(user.username, PASSWORD, address=OTHER).status_code == 302


def test_token_creation_answers_a_json_problem(client, submit_login):
    for i in range(LIMIT):
        assert ask_token(client, f"may{i}").status_code == 401
    answer = ask_token(client, "may-moi")
    assert answer.status_code == 429 and answer.mimetype == "application/problem+json"
    assert LIMITED.fullmatch(answer.get_json()["detail"])
    assert int(answer.headers["Retry-After"]) > 0
    assert ask_token(client, "may-moi", address=OTHER).status_code == 401


def test_login_token_and_password_change_share_the_count(
    app, client, make, login, submit_login
):
    user = make.user(roles.COLLABORATOR)
    login(user)  # from the test client's own address, 127.0.0.1
    spray(submit_login, 2, address="127.0.0.1", via=app.test_client())
    ask_token(client, "may", address="127.0.0.1")
    assert change(client, WRONG, NEW, NEW).status_code == 422  # the fourth failure
    stopped = change(client, PASSWORD, NEW, NEW)
    assert stopped.status_code == 429 and "Retry-After" in stopped.headers
    assert LIMITED.search(stopped.get_data(as_text=True))


def test_only_failures_count(app, make, submit_login):
    user = make.user(roles.COLLABORATOR)
    for _ in range(LIMIT * 2):
        assert submit_login(user.username, PASSWORD, via=app.test_client()).status_code == 302


def test_failures_older_than_15_minutes_no_longer_count(db, submit_login):
    spray(submit_login)
    assert submit_login("nguoi-moi", WRONG).status_code == 429
    shift = timedelta(minutes=15, seconds=1)
    for hit in db.session.scalars(select(RateLimitHit)):
        hit.at, hit.expires_at = hit.at - shift, hit.expires_at - shift
    db.session.commit()
    assert alert(submit_login("nguoi-moi", WRONG)) == BAD_CREDENTIALS
