"""A password reset, a deactivation and a password change revoke the account's bearer tokens
for good: none works again once the account is back; the device signs in again."""

from fieldapp import roles
from tests.auth.accounts import NEW_PASSWORD, one_time_password
from tests.factories import PASSWORD

DEAD_TOKEN = "Mã truy cập không đúng hoặc đã bị thu hồi. Vui lòng đăng nhập lại."


def new_token(client, username: str, password: str) -> dict:
    answer = client.post("/api/v1/tokens", json={
        "username": username, "password": password, "device_name": "Điện thoại thử"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def assert_dead(client, headers: dict) -> None:
    answer = client.get("/api/v1/session", headers=headers)
    assert answer.status_code == 401 and answer.get_json()["detail"] == DEAD_TOKEN


def change_password(post, browser, current: str, new: str):
    data = {"current_password": current, "new_password": new, "confirm_password": new}
    return post("/account/password", data, on=browser)


def test_a_reset_revokes_the_tokens_also_after_the_new_password(
    app, make, login, officer, post, sign_in
):
    target = make.user(roles.COLLABORATOR)
    phone = app.test_client()
    headers = new_token(phone, target.username, PASSWORD)
    login(officer)
    secret = one_time_password(post(f"/accounts/{target.id}/reset", {},
                                    page=f"/accounts/{target.id}"))
    assert_dead(phone, headers)
    browser, _ = sign_in(target.username, secret)
    assert change_password(post, browser, secret, NEW_PASSWORD).status_code == 302
    assert_dead(phone, headers)  # the account is back: its old token is not
    fresh = new_token(phone, target.username, NEW_PASSWORD)
    assert phone.get("/api/v1/session", headers=fresh).status_code == 200


def test_a_deactivation_revokes_the_tokens_for_good(app, make, login, officer, post):
    target = make.user(roles.VILLAGE_HEAD)
    phone = app.test_client()
    headers = new_token(phone, target.username, PASSWORD)
    login(officer)
    toggle = f"/accounts/{target.id}/active"
    post(toggle, {}, page=f"/accounts/{target.id}")
    locked = phone.get("/api/v1/session", headers=headers)
    assert locked.status_code == 403 and locked.get_json()["code"] == "inactive"  # told why
    post(toggle, {}, page=f"/accounts/{target.id}")
    assert_dead(phone, headers)
    fresh = new_token(phone, target.username, PASSWORD)
    assert phone.get("/api/v1/session", headers=fresh).status_code == 200


def test_a_password_change_revokes_every_token_and_keeps_this_session(
    app, make, post, sign_in
):
    target = make.user(roles.COLLABORATOR)
    phone, tablet = app.test_client(), app.test_client()
    first = new_token(phone, target.username, PASSWORD)
    second = new_token(tablet, target.username, PASSWORD)
    browser, _ = sign_in(target.username, PASSWORD)
    assert change_password(post, browser, PASSWORD, NEW_PASSWORD).status_code == 302
    assert_dead(phone, first)
    assert_dead(tablet, second)
    assert browser.get("/").status_code == 200
    fresh = new_token(phone, target.username, NEW_PASSWORD)
    listed = phone.get("/api/v1/tokens", headers=fresh).get_json()["tokens"]
    assert sorted(t["revoked_at"] is None for t in listed) == [False, False, True]
