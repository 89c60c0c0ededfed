"""Device tokens and the session: issued with a password, listed without secrets, revoked by
the owner or the officer who manages the owner's account; the session hands out CSRF tokens."""

import hashlib
import uuid

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import ApiToken, LoginThrottle
from tests.api.problems import assert_problem
from tests.factories import COMMUNE_B, PASSWORD
from tests.submissions import make_item

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
DEAD_TOKEN = "Mã truy cập không đúng hoặc đã bị thu hồi. Vui lòng đăng nhập lại."
NOT_FOUND = "Không tìm thấy thiết bị."
LOCKED = "Tài khoản của bạn đã bị khóa. Hãy liên hệ cán bộ xã."


def ask_token(client, username, password=PASSWORD, device="Điện thoại Redmi của Lan"):
    return client.post("/api/v1/tokens", json={"username": username, "password": password,
                                               "device_name": device})


def test_a_token_is_issued_once_listed_without_its_secret_and_works(client, db, collector):
    answer = ask_token(client, collector.username)
    assert answer.status_code == 201
    made = answer.get_json()
    assert made["token"].startswith("fat_") and made["device_name"] == "Điện thoại Redmi của Lan"
    assert made["revoked_at"] is None and made["last_used_at"] is None
    stored = db.session.get(ApiToken, uuid.UUID(made["id"]))
    assert stored.token_hash == hashlib.sha256(made["token"].encode()).hexdigest()  # only that

    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {made['token']}"})
    assert listed.status_code == 200
    [row] = listed.get_json()["tokens"]
    assert row["id"] == made["id"] and "token" not in row and row["last_used_at"] is not None
    assert made["token"] not in listed.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.user_id == collector.id)).all()
    assert {"login", "token_created"} <= set(actions)


def test_the_list_holds_only_the_callers_tokens(api_as, issue, collector, make, village):
    colleague = make.user(roles.COLLABORATOR, [village])
    issue(colleague, "Máy của người khác")
    api = api_as(collector)
    names = [t["device_name"] for t in api.get("/api/v1/tokens").get_json()["tokens"]]
    assert names == ["Điện thoại thử"]


def test_a_wrong_password_is_a_401_and_counts_toward_the_lockout(client, db, collector):
    for attempt in range(1, 5):
        answer = ask_token(client, collector.username, "wrong-pass-2026")
        body = assert_problem(answer, 401, BAD_CREDENTIALS)
        assert body["title"] == "Cần đăng nhập"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert db.session.get(LoginThrottle, collector.username).failures == attempt
    ask_token(client, collector.username, "wrong-pass-2026")  # the fifth locks the account
    locked = assert_problem(ask_token(client, collector.username), 401)  # right password
    assert "tạm thời bị khóa" in locked["detail"] and "15 phút" in locked["detail"]
    assert db.session.scalars(select(ApiToken).where(ApiToken.user_id == collector.id)).all() == []


def test_the_login_form_and_the_api_share_one_failure_count(client, sign_in, collector):
    for _ in range(4):
        ask_token(client, collector.username, "wrong-pass-2026")
    sign_in(collector.username, "wrong-pass-2026")  # the fifth failure, through the form
    assert "tạm thời bị khóa" in ask_token(client, collector.username).get_json()["detail"]


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"username": ["Thiếu trường bắt buộc."], "password": ["Thiếu trường bắt buộc."],
          "device_name": ["Thiếu trường bắt buộc."]}),
    ({"username": "x", "password": 5, "device_name": "d"},
     {"password": ["Thiếu trường bắt buộc."]}),
    ({"username": "a\u0000b", "password": "x", "device_name": "d"},
     {"username": ["Có ký tự không hợp lệ."]}),
    ({"username": "x", "password": "x", "device_name": "máy\u0000"},
     {"device_name": ["Có ký tự không hợp lệ."]}),
])
def test_an_incomplete_request_is_a_422_with_field_errors(client, body, errors):
    assert assert_problem(client.post("/api/v1/tokens", json=body), 422)["errors"] == errors


@pytest.mark.parametrize("device", ["   ", "x" * 101])
def test_a_bad_device_name_is_a_422(client, collector, device):
    body = assert_problem(ask_token(client, collector.username, device=device), 422)
    assert body["errors"] == {"device_name": ["Tên thiết bị: vui lòng nhập, tối đa 100 ký tự."]}


def test_an_account_that_must_change_its_password_gets_no_token(client, make):
    user = make.user(roles.COLLABORATOR, must_change=True)
    body = assert_problem(ask_token(client, user.username), 403,
                          "Bạn cần đổi mật khẩu trên trang web trước khi dùng thiết bị.")
    assert body["code"] == "password"


def test_a_deactivated_account_gets_no_token_and_its_tokens_stop(client, db, issue, collector):
    _token, headers = issue(collector)
    assert client.get("/api/v1/session", headers=headers).status_code == 200
    collector.active = False
    db.session.flush()
    body = assert_problem(client.get("/api/v1/session", headers=headers), 403, LOCKED)
    assert body["code"] == "inactive"  # the phone says why (tests/api/test_refusals.py)
    assert_problem(ask_token(client, collector.username), 401, BAD_CREDENTIALS)


def test_a_revoked_token_is_refused_at_once(client, db, issue, collector):
    token, headers = issue(collector)
    _other, spare = issue(collector, "Máy tính bảng")
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=headers).status_code == 204
    answer = client.get("/api/v1/tokens", headers=headers)
    assert_problem(answer, 401, DEAD_TOKEN)
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="fieldapp"'
    rows = {t["id"]: t for t in client.get("/api/v1/tokens", headers=spare).get_json()["tokens"]}
    assert rows[str(token.id)]["revoked_at"] is not None
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=spare).status_code == 204  # again
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token_revoked")).one()
    assert entry.detail == {"token": str(token.id)}


@pytest.fixture()
def people(make, village, officer):
    """Who might try to revoke a collaborator's token, by name."""
    return {
        "officer": officer,
        "other_officer": make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]),
        "colleague": make.user(roles.COLLABORATOR, [village]),
        "village_head": make.user(roles.VILLAGE_HEAD, [village]),
        "police": make.user(roles.POLICE),
        "leader": make.user(roles.COMMUNE_LEADER),
        "admin": make.user(roles.ADMIN),
    }


@pytest.mark.parametrize(("revoker", "status"), [
    ("owner", 204),
    ("officer", 204),  # the commune officer manages the field accounts of the commune
    ("admin", 204),
    ("other_officer", 404),  # another commune: the token does not exist for them
    ("colleague", 404),
    ("village_head", 404),
    ("police", 404),
    ("leader", 404),
])
def test_who_may_revoke_a_collaborators_token(client, issue, collector, people, revoker,
                                              status):
    token, headers = issue(collector)
    _mine, theirs = issue(collector if revoker == "owner" else people[revoker], "Máy của họ")
    answer = client.delete(f"/api/v1/tokens/{token.id}", headers=theirs)
    assert answer.status_code == status
    if status == 404:
        assert_problem(answer, 404, NOT_FOUND)
    still = client.get("/api/v1/session", headers=headers).status_code
    assert still == (401 if status == 204 else 200)


def test_an_officer_cannot_revoke_a_colleague_officers_token(client, issue, officer, make):
    colleague = make.user(roles.COMMUNE_OFFICER)
    token, _headers = issue(colleague)
    _mine, headers = issue(officer)
    assert_problem(client.delete(f"/api/v1/tokens/{token.id}", headers=headers), 404, NOT_FOUND)


@pytest.mark.parametrize("token_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_revoking_an_unknown_token_is_a_404(api, token_id):
    assert_problem(api.delete(f"/api/v1/tokens/{token_id}"), 404, NOT_FOUND)


@pytest.mark.parametrize("name", ["access_token", "token", "api_key"])
def test_a_token_in_the_url_is_refused(client, issue, collector, name):
    _token, headers = issue(collector)
    secret = headers["Authorization"].split()[1]
    for sent in ({}, headers):  # with or without a proper header too
        answer = client.get(f"/api/v1/session?{name}={secret}", headers=sent)
        assert_problem(answer, 400, "Mã truy cập chỉ được gửi trong tiêu đề Authorization, "
                                    "không bao giờ trong địa chỉ.")


@pytest.mark.parametrize(("header", "detail"), [
    ("Basic dXNlcjpwYXNz", "Tiêu đề Authorization phải là: Bearer <mã truy cập>."),
    ("Bearer ", "Tiêu đề Authorization phải là: Bearer <mã truy cập>."),
    ("Bearer fat_khong-co-that", DEAD_TOKEN),
    ("Bearer not-even-our-prefix", DEAD_TOKEN),
    ("Bearer fat_" + "x" * 300, DEAD_TOKEN),
])
def test_a_bad_authorization_header_is_a_401(client, header, detail):
    answer = client.get("/api/v1/session", headers={"Authorization": header})
    assert_problem(answer, 401, detail)
    assert "WWW-Authenticate" in answer.headers


def test_no_credentials_at_all_is_a_401(client):
    answer = client.get("/api/v1/session")
    assert_problem(answer, 401, "Cần đăng nhập.")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="fieldapp"'


def test_a_token_of_an_account_told_to_change_its_password_is_refused(client, db, issue,
                                                                      collector):
    _token, headers = issue(collector)
    collector.must_change_password = True
    db.session.flush()
    body = assert_problem(client.get("/api/v1/session", headers=headers), 403,
                          "Bạn cần đổi mật khẩu trên trang web trước khi tiếp tục.")
    assert body["code"] == "password"


def test_the_session_of_a_login_gives_a_csrf_token_that_works_for_a_post(client, login,
                                                                         collector, village):
    login(collector)
    session = client.get("/api/v1/session")
    assert session.status_code == 200
    body = session.get_json()
    assert (body["user"]["username"], body["user"]["role"]) == (collector.username,
                                                                roles.COLLABORATOR)
    assert body["csrf_token"] and body["at"]
    answer = client.post("/api/v1/submissions", json={"submissions": [make_item(village.code)]},
                         headers={"X-CSRFToken": body["csrf_token"]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["results"][0]["status"] == "accepted"


def test_the_session_of_a_token_has_no_csrf_token(api, collector):
    body = api.get("/api/v1/session").get_json()
    assert body["csrf_token"] is None
    assert body["user"] == {"id": collector.id, "username": collector.username,
                            "full_name": collector.full_name, "role": roles.COLLABORATOR}
