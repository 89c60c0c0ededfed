"""A logged-in commune officer of 03808 and a poster that carries the page's CSRF token."""

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.places.models import Village
from tests.conftest import csrf_token


@pytest.fixture()
def officer(make, login):
    user = make.user(roles.COMMUNE_OFFICER)
    login(user)
    return user


@pytest.fixture()
def post(client, officer):
    """``post(path, htmx=False, **data)``: a form post with the token read from /villages/."""
    token = csrf_token(client, "/villages/")

    def do_post(path: str, htmx: bool = False, **data):
        headers = {"HX-Request": "true"} if htmx else {}
        return client.post(path, data={"csrf_token": token, **data}, headers=headers)

    return do_post


@pytest.fixture()
def add(post):
    """``add(name)`` adds a village through the page and returns the answer."""
    return lambda name, htmx=False: post("/villages/", htmx=htmx, name=name)


@pytest.fixture()
def villages(db):
    """``villages(commune)``: ``{code: village}`` as the database holds them now."""

    def read(commune: str = "03808") -> dict[str, Village]:
        db.session.expire_all()
        query = select(Village).where(Village.commune_code == commune).order_by(Village.code)
        return {v.code: v for v in db.session.scalars(query)}

    return read


@pytest.fixture()
def village_entries(db):
    """Audit entries about villages, oldest first."""

    def read() -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.object_type == "village")
        return list(db.session.scalars(query.order_by(AuditEntry.id)))

    return read
