from datetime import timedelta

from sqlalchemy import select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import LoginSession
from fieldapp.db import utcnow


def leave_idle(db, user, minutes: int) -> None:
    """Pretend the user's session started and was last used ``minutes`` ago."""
    then = utcnow() - timedelta(minutes=minutes)
    query = update(LoginSession).where(LoginSession.user_id == user.id)
    db.session.execute(query.values(created_at=then, last_seen_at=then))


def session_row(db, user) -> LoginSession:
    db.session.expire_all()
    return db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).one()


def test_office_session_idle_over_30_minutes_ends(client, db, login, officer):
    login(officer)
    leave_idle(db, officer, 31)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "Phiên làm việc đã hết hạn" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert session_row(db, officer).ended_at is not None
    query = select(AuditEntry.user_id).where(AuditEntry.action == "session_expired")
    assert db.session.scalars(query).all() == [officer.id]


def test_office_session_seen_10_minutes_ago_goes_on(client, db, login, officer):
    login(officer)
    leave_idle(db, officer, 10)
    assert client.get("/").status_code == 200
    row = session_row(db, officer)
    assert row.ended_at is None and utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_field_session_idle_for_2_hours_goes_on(client, make, db, login):
    head = make.user(roles.VILLAGE_HEAD)
    login(head)
    leave_idle(db, head, 120)
    assert client.get("/").status_code == 200
    assert session_row(db, head).ended_at is None
