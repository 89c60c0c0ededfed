"""Readers of the account pages and the database."""

import re

from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import User

NEW_PASSWORD = "mat-khau-rieng-2026"


def one_time_password(answer) -> str:
    match = re.search(r'class="secret">([^<]+)<', answer.get_data(as_text=True))
    assert match, "no one-time password on the page"
    return match.group(1)


def user_named(db, username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def assert_audited(db, action: str, user: User, actor: User) -> None:
    """Exactly one ``action`` entry on ``user``, by ``actor``, filed under the user's commune."""
    query = select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.object_id == str(user.id)
    )
    entry = db.session.scalars(query).one()
    assert (entry.user_id, entry.username) == (actor.id, actor.username)
    assert entry.commune_code == user.commune_code
