"""Names that pages show instead of ids: people by user id, children by record id (only
those the reader may open), for pages of several features (audit log, child history)."""

import uuid

from sqlalchemy import select

from fieldapp import access
from fieldapp.auth.models import User
from fieldapp.children.models import Child
from fieldapp.extensions import db


def users(user_ids) -> dict[int, User]:
    """The accounts by id, read at once (ids of ``None`` skipped)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def people(user_ids) -> dict[int, str]:
    """"Nguyễn Văn An (an.nv)" by user id: who did something is part of the record it left."""
    return {key: user.shown_name for key, user in users(user_ids).items()}


def children(reader: User, child_ids) -> dict[str, str]:
    """Children's names by id (as text), for those in ``reader``'s scope; other ids (not a
    child's, or out of scope) are left out, so that the page shows the id alone."""
    ids = set()
    for text in child_ids:
        try:
            ids.add(uuid.UUID(str(text)))
        except ValueError:
            continue
    if not ids:
        return {}
    return {str(c.id): c.full_name
            for c in db.session.scalars(access.children(reader).where(Child.id.in_(ids)))}
