"""Databases of their own, with real commits, for tests that look at the database from outside
the app (backups, a live gunicorn): new empty ones of the engine under test, apps on them, and
a small commune to work in."""

import os
import uuid
from contextlib import ExitStack

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from fieldapp import create_app, roles
from fieldapp.auth import tokens
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province
from tests.conftest import _throwaway_postgres
from tests.factories import COMMUNE_A, Factory
from tests.postgres_url import admin_url

POSTGRES = os.environ.get("FIELDAPP_TEST_ENGINE") == "postgresql"


class Databases:
    """``new()`` gives the URL of a new empty database; ``close()`` disposes the apps made
    with ``app()`` and drops every PostgreSQL database made."""

    def __init__(self, folder):
        self.folder = folder
        self.stack = ExitStack()
        self.apps = []

    def new(self, folder=None) -> str:
        if not POSTGRES:
            return f"sqlite:///{(folder or self.folder) / f'{uuid.uuid4().hex[:8]}.db'}"
        admin = admin_url()
        if admin is None:
            pytest.fail("FIELDAPP_TEST_ENGINE=postgresql but no PostgreSQL answers")
        made = _throwaway_postgres(admin)
        url = next(made)
        self.stack.callback(made.close)  # drops it
        return url

    def app(self, url: str, **config):
        app = create_app({"ENV": "test", "TESTING": True, "SECRET_KEY": "fresh",
                          "DATABASE_URL": url, **config})
        self.apps.append(app)
        return app

    def dispose(self) -> None:
        """Close the connections of the apps made here (their databases stay)."""
        for app in self.apps:
            with app.app_context():
                db.engine.dispose()

    def close(self) -> None:
        self.dispose()
        self.stack.close()


def migrate(app, revision: str = "head") -> None:
    with app.app_context():
        upgrade(revision=revision)
        db.session.remove()


def commune(app, collectors: int = 1) -> dict:
    """One commune, a village, ``collectors`` collaborators each with a bearer token.

    :returns: ``{"village": code, "tokens": [secret, ...], "usernames": [...]}``
    """
    with app.app_context():
        db.session.add(Province(code="14", name="Tỉnh Sơn La", division_type="Tỉnh"))
        db.session.add(Commune(code=COMMUNE_A, name="Xã Mường La", division_type="Xã",
                               province_code="14"))
        make = Factory(db)
        village = make.village()
        out = {"village": village.code, "tokens": [], "usernames": []}
        for _ in range(collectors):
            user = make.user(roles.COLLABORATOR, [village])
            out["tokens"].append(tokens.issue(user, "Máy thử")[1])
            out["usernames"].append(user.username)
        db.session.commit()
        db.session.remove()
    return out


def count(app, sql: str) -> int:
    with app.app_context():
        value = db.session.execute(sa.text(sql)).scalar()
        db.session.remove()
    return value
