"""403s a phone can explain: a known caller who is refused gets a stable ``code`` beside the
Vietnamese detail — ``inactive`` (the account was deactivated), ``password`` (a one-time
password to change first), ``role`` (this role may not use the endpoint). Unknown, revoked and
ended credentials of an active account stay 401s: log in again."""

import pytest

from fieldapp import roles
from fieldapp.auth import sessions
from fieldapp.auth.accounts import set_active
from tests.api.problems import assert_problem
from tests.submissions import make_item

LOCKED = "Tài khoản của bạn đã bị khóa. Hãy liên hệ cán bộ xã."
PASSWORD_FIRST = "Bạn cần đổi mật khẩu trên trang web trước khi tiếp tục."
ROLE = "Vai trò của bạn không dùng được chức năng này."
NO_RIGHT = "Bạn không có quyền thực hiện thao tác này."
DEAD_TOKEN = "Mã truy cập không đúng hoặc đã bị thu hồi. Vui lòng đăng nhập lại."
CALLS = [("get", "/api/v1/session"), ("get", "/api/v1/packet"),
         ("post", "/api/v1/submissions"), ("put", "/api/v1/device")]


def call(client, method: str, path: str, headers: dict | None = None):
    body = {"submissions": []} if path.endswith("submissions") else {}
    if method == "get":
        return client.get(path, headers=headers or {})
    return getattr(client, method)(path, json=body, headers=headers or {})


def refused(answer, status: int, detail: str, code: str | None) -> None:
    body = assert_problem(answer, status, detail)
    assert body.get("code") == code


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_a_token_of_a_deactivated_account_is_a_403_inactive(client, db, officer, issue,
                                                           collector, method, path):
    _token, headers = issue(collector)
    set_active(officer, collector, False)
    db.session.commit()
    refused(call(client, method, path, headers), 403, LOCKED, "inactive")


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_a_session_of_a_deactivated_account_is_a_403_inactive(client, db, login, officer,
                                                             collector, method, path):
    login(collector)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    set_active(officer, collector, False)  # which ends the account's sessions
    db.session.commit()
    refused(call(client, method, path, {"X-CSRFToken": csrf}), 403, LOCKED, "inactive")
    refused(call(client, method, path), 403, LOCKED, "inactive")  # before any CSRF check


def test_the_pages_of_a_deactivated_session_still_ask_for_a_login(client, db, login, officer,
                                                                  collector):
    login(collector)
    set_active(officer, collector, False)
    db.session.commit()
    answer = client.get("/collect")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_reactivated_the_token_and_the_session_stay_ended_and_ask_for_a_login(
        client, db, login, officer, issue, collector):
    _token, headers = issue(collector)
    login(collector)
    set_active(officer, collector, False)
    set_active(officer, collector, True)
    db.session.commit()
    refused(client.get("/api/v1/session", headers=headers), 401, DEAD_TOKEN, None)
    refused(client.get("/api/v1/session"), 401, "Cần đăng nhập.", None)


def test_a_revoked_token_or_an_ended_session_of_an_active_account_stays_a_401(
        client, db, login, issue, collector):
    token, headers = issue(collector)
    token.revoked_at = token.created_at
    login(collector)
    sessions.end_all_sessions(collector)
    db.session.commit()
    refused(client.get("/api/v1/session", headers=headers), 401, DEAD_TOKEN, None)
    refused(client.get("/api/v1/session"), 401, "Cần đăng nhập.", None)


def test_a_revoked_token_of_a_deactivated_account_says_nothing_of_the_account(
        client, db, officer, issue, collector):
    token, headers = issue(collector)  # a phone declared lost, then the account locked
    token.revoked_at = token.created_at
    set_active(officer, collector, False)
    db.session.commit()
    refused(client.get("/api/v1/session", headers=headers), 401, DEAD_TOKEN, None)


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_an_account_that_must_change_its_password_is_a_403_password(client, db, login, issue,
                                                                   collector, method, path):
    _token, headers = issue(collector)
    login(collector)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    collector.must_change_password = True
    db.session.commit()
    refused(call(client, method, path, headers), 403, PASSWORD_FIRST, "password")
    refused(call(client, method, path, {"X-CSRFToken": csrf}), 403, PASSWORD_FIRST, "password")


@pytest.mark.parametrize(("role", "method", "path", "detail"), [
    (roles.COMMUNE_OFFICER, "post", "/api/v1/submissions", ROLE),
    (roles.COMMUNE_OFFICER, "get", "/api/v1/packet", ROLE),
    (roles.COMMUNE_OFFICER, "put", "/api/v1/device", ROLE),
    (roles.POLICE, "put", "/api/v1/device", ROLE),
    (roles.ADMIN, "get", "/api/v1/submissions", ROLE),
    (roles.COLLABORATOR, "get", "/api/v1/review/submissions", NO_RIGHT),
    (roles.POLICE, "get", "/api/v1/review/submissions", NO_RIGHT),
])
def test_a_role_that_may_not_use_the_endpoint_is_a_403_role(make, api_as, village, role,
                                                            method, path, detail):
    user = make.user(role, [village] if role in roles.FIELD else None)
    api = api_as(user)
    answer = api.get(path) if method == "get" else getattr(api.client, method)(
        path, json={"submissions": [make_item(village.code)]}, headers=api.headers)
    refused(answer, 403, detail, "role")
