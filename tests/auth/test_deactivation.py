from fieldapp import roles
from fieldapp.auth.accounts import set_active
from tests.factories import PASSWORD

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_deactivation_ends_the_users_session_at_once(client, make, db, login, officer):
    collaborator = make.user(roles.COLLABORATOR)
    login(collaborator)
    assert client.get("/").status_code == 200
    set_active(officer, collaborator, False)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_deactivated_user_cannot_log_in(client, make, submit_login):
    user = make.user(roles.COLLABORATOR, active=False)
    response = submit_login(user.username, PASSWORD)
    assert response.status_code == 200
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")
