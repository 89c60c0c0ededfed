"""A wrong current password on ``/account/password`` is a failed login of the username: the
same count and lockout, so an open session does not let anyone guess the password."""

from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.passwords import verify_password
from tests.auth.test_lockout import WRONG, alert, is_locked_message
from tests.auth.test_password import NEW, change
from tests.factories import PASSWORD


def current_password_error(response) -> str:
    page = response.get_data(as_text=True)
    start = page.find('id="current_password-error">')
    return page[start:page.find("</p>", start)] if start >= 0 else ""


def test_eight_wrong_current_passwords_then_the_right_one_is_refused(
    client, make, db, login, submit_login
):
    user = make.user(roles.COLLABORATOR)
    login(user)
    answers = [change(client, WRONG, NEW, NEW) for _ in range(8)]
    assert [a.status_code for a in answers] == [422] * 8
    assert "Mật khẩu hiện tại không đúng." in current_password_error(answers[0])
    assert is_locked_message(current_password_error(answers[4]))
    refused = change(client, PASSWORD, NEW, NEW)
    assert refused.status_code == 422 and is_locked_message(current_password_error(refused))
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    elsewhere = make_client(client)
    assert is_locked_message(alert(submit_login(user.username, PASSWORD, via=elsewhere)))


def test_login_and_password_change_failures_add_up(client, make, login, submit_login):
    user = make.user(roles.COLLABORATOR)
    login(user)
    for _ in range(3):
        submit_login(user.username, WRONG, via=make_client(client))
    change(client, WRONG, NEW, NEW)
    locked = change(client, WRONG, NEW, NEW)
    assert is_locked_message(current_password_error(locked))


def test_the_right_current_password_starts_the_count_again(client, make, db, login):
    user = make.user(roles.COLLABORATOR)
    login(user)
    for _ in range(4):
        change(client, WRONG, NEW, NEW)
    assert change(client, PASSWORD, "password", "password").status_code == 422  # new: common
    for _ in range(4):
        change(client, WRONG, NEW, NEW)
    assert change(client, PASSWORD, NEW, NEW).status_code == 302
    query = select(AuditEntry.action).where(AuditEntry.user_id == user.id,
                                            AuditEntry.action.like("password%"))
    assert db.session.scalars(query).all() == ["password_change_failed"] * 8 + [
        "password_changed"]


def make_client(client):
    return client.application.test_client()
