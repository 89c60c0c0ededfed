"""Resetting a password and deactivating an account end the account's sessions at once."""

from fieldapp import roles
from tests.auth.accounts import assert_audited, one_time_password
from tests.factories import PASSWORD

REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_a_reset_gives_a_one_time_password_and_ends_the_sessions(
    db, make, login, officer, post, sign_in
):
    target = make.user(roles.COLLABORATOR)
    phone, _ = sign_in(target.username, PASSWORD)
    assert phone.get("/").status_code == 200
    login(officer)
    answer = post(f"/accounts/{target.id}/reset", {}, page=f"/accounts/{target.id}")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    secret = one_time_password(answer)
    assert phone.get("/").headers["Location"].startswith("/login")
    assert REFUSED in sign_in(target.username, PASSWORD)[1].get_data(as_text=True)
    again, _ = sign_in(target.username, secret)
    assert again.get("/").headers["Location"] == "/account/password"
    assert_audited(db, "user_password_reset", target, officer)


def test_a_deactivated_account_cannot_log_in_until_reactivated(
    db, make, login, officer, post, sign_in
):
    target = make.user(roles.VILLAGE_HEAD)
    phone, _ = sign_in(target.username, PASSWORD)
    assert phone.get("/").status_code == 200
    login(officer)
    toggle = f"/accounts/{target.id}/active"
    answer = post(toggle, {}, page=f"/accounts/{target.id}")
    assert answer.headers["Location"] == f"/accounts/{target.id}"
    assert phone.get("/").headers["Location"].startswith("/login")
    _, refused = sign_in(target.username, PASSWORD)
    assert refused.status_code == 200 and REFUSED in refused.get_data(as_text=True)
    assert_audited(db, "user_deactivated", target, officer)

    post(toggle, {}, page=f"/accounts/{target.id}")
    assert phone.get("/").headers["Location"].startswith("/login")  # ended, not suspended
    _, answer = sign_in(target.username, PASSWORD)
    assert answer.headers["Location"] == "/"
    assert_audited(db, "user_reactivated", target, officer)
