import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import LoginSession, LoginThrottle
from fieldapp.db import utcnow
from tests.auth.conftest import ADDRESS
from tests.factories import PASSWORD

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
WRONG = "wrong-pass-2026"
UNKNOWN = "khong.co.ai"


def alert(response) -> str:
    match = re.search(r'<p class="alert" role="alert">([^<]*)</p>', response.get_data(as_text=True))
    return match.group(1) if match else ""


def is_locked_message(text: str) -> bool:
    return "tạm thời bị khóa" in text and "15 phút" in text


def fail_five_times(submit_login, username):
    return [submit_login(username, WRONG) for _ in range(5)]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, make, db, submit_login):
    user = make.user(roles.COLLABORATOR)
    fail_five_times(submit_login, user.username)
    response = submit_login(user.username, PASSWORD)
    assert response.status_code == 200 and is_locked_message(alert(response))
    assert client.get("/").headers["Location"].startswith("/login")
    query = select(LoginSession).where(LoginSession.user_id == user.id)
    assert db.session.scalars(query).all() == []


def test_unknown_username_gets_the_same_answers(make, submit_login):
    user = make.user(roles.COLLABORATOR)

    def answers(name):
        tries = fail_five_times(submit_login, name) + [submit_login(name, PASSWORD)]
        return [(r.status_code, alert(r)) for r in tries]

    known, unknown = answers(user.username), answers(UNKNOWN)
    assert known == unknown
    assert [text for _, text in known[:4]] == [BAD_CREDENTIALS] * 4
    assert is_locked_message(known[5][1])


@pytest.mark.parametrize("known", [True, False])
def test_failures_and_lock_are_audited_with_the_address(make, db, submit_login, known):
    name = make.user(roles.COLLABORATOR).username if known else UNKNOWN
    fail_five_times(submit_login, name)
    submit_login(name, PASSWORD)
    query = select(AuditEntry).where(AuditEntry.username == name).order_by(AuditEntry.id)
    entries = db.session.scalars(query).all()
    assert [e.action for e in entries] == ["login_failed"] * 5 + ["login_locked"]
    assert {e.address for e in entries} == {ADDRESS}


def test_lock_expires_and_counting_starts_again(client, make, db, submit_login):
    user = make.user(roles.COLLABORATOR)
    fail_five_times(submit_login, user.username)
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(update(LoginThrottle).values(locked_until=past))
    assert alert(submit_login(user.username, WRONG)) == BAD_CREDENTIALS  # not locked again
    assert submit_login(user.username, PASSWORD).status_code == 302
    throttle = db.session.get(LoginThrottle, user.username)
    db.session.refresh(throttle)
    assert (throttle.failures, throttle.locked_until) == (0, None)


def test_success_resets_the_failure_count(app, make, submit_login):
    user = make.user(roles.COLLABORATOR)
    for _ in range(4):
        submit_login(user.username, WRONG)
    assert submit_login(user.username, PASSWORD, via=app.test_client()).status_code == 302
    answers = [alert(submit_login(user.username, WRONG)) for _ in range(4)]
    assert answers == [BAD_CREDENTIALS] * 4
