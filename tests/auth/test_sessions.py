import hashlib

from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import LoginSession
from tests.conftest import csrf_token
from tests.factories import PASSWORD

COOKIE = "fieldapp_session"


def session_data(client) -> dict:
    """The signed cookie's content, as the app reads it."""
    app = client.application
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie(COOKIE).value)


def rows_of(db, user) -> list[LoginSession]:
    query = select(LoginSession).where(LoginSession.user_id == user.id)
    db.session.expire_all()  # the requests changed these rows in their own sessions
    return list(db.session.scalars(query.order_by(LoginSession.created_at)))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def logout(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_login_regenerates_the_session(client, make, db, submit_login):
    user = make.user(roles.COMMUNE_OFFICER)
    anonymous_token = csrf_token(client, "/login")
    before = client.get_cookie(COOKIE).value
    assert "_user_id" not in session_data(client)
    submit_login(user.username, PASSWORD)
    assert client.get_cookie(COOKIE).value != before
    [row] = rows_of(db, user)
    assert row.token_hash == digest(session_data(client)["_user_id"]) and row.ended_at is None
    # The CSRF token of the anonymous session is gone with it.
    assert csrf_token(client, "/") != anonymous_token
    assert client.post("/logout", data={"csrf_token": anonymous_token}).status_code == 400


def test_each_login_gets_a_new_token(client, make, db, submit_login):
    user = make.user(roles.COMMUNE_OFFICER)
    submit_login(user.username, PASSWORD)
    first = session_data(client)["_user_id"]
    logout(client)
    submit_login(user.username, PASSWORD)
    second = session_data(client)["_user_id"]
    assert first != second
    old, new = rows_of(db, user)
    assert (old.token_hash, new.token_hash) == (digest(first), digest(second))
    assert old.ended_at is not None and new.ended_at is None


def test_logout_is_post_only(client, make, login):
    login(make.user(roles.COLLABORATOR))
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_logout_ends_the_session_for_good(client, make, db, login):
    user = make.user(roles.COLLABORATOR)
    login(user)
    old_cookie = client.get_cookie(COOKIE).value
    response = logout(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    [row] = rows_of(db, user)
    assert row.ended_at is not None
    query = select(AuditEntry.user_id).where(AuditEntry.action == "logout")
    assert db.session.scalars(query).all() == [user.id]
    assert client.get("/").headers["Location"].startswith("/login")
    client.set_cookie(COOKIE, old_cookie)  # a copied cookie does not bring the session back
    assert client.get("/").headers["Location"].startswith("/login")
