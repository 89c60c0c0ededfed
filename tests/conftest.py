"""Fixtures: a real database (SQLite file, or a throwaway PostgreSQL database when
``FIELDAPP_TEST_ENGINE=postgresql``) migrated once per run; each test runs inside a transaction
that is rolled back, the app's own commits becoming SAVEPOINT releases."""

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.extensions import db as _db
from fieldapp.places.services import load_places
from tests import factories
from tests.postgres_url import admin_url

DEMO_PASSWORD = factories.PASSWORD


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    admin = admin_url()
    if admin is None:
        pytest.fail("FIELDAPP_TEST_ENGINE=postgresql but no PostgreSQL answers")
    yield from _throwaway_postgres(admin)


def _throwaway_postgres(admin: str):
    name = f"fieldapp_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", admin)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(
        {"ENV": "test", "TESTING": True, "SECRET_KEY": "test-only", "DATABASE_URL": database_url}
    )
    with app.app_context():
        upgrade()
        load_places()
        _db.session.commit()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database inside one transaction, rolled back after the test."""
    with app.app_context():
        engine = _db.engine
        connection = engine.connect()
        outer = connection.begin()
        engines = _db._app_engines[app]
        engines[None] = connection  # every session of this test binds to this connection
        factory = _db.session.session_factory
        previous = dict(factory.kw)
        factory.configure(join_transaction_mode="create_savepoint")
        try:
            yield _db
        finally:
            _db.session.remove()
            factory.kw.clear()
            factory.kw.update(previous)
            engines[None] = engine
            outer.rollback()
            connection.close()


class OwnContextClient(FlaskClient):
    """Run every request in a fresh application context, as a server does.

    The ``db`` fixture keeps an app context pushed for the whole test and a request would
    reuse it: ``g`` (Flask-Login's user, Flask-WTF's CSRF token) and the database session would
    outlive the request and hide bugs such as an ended login session still being honoured.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def client(app, db, monkeypatch):
    monkeypatch.setattr(app, "test_client_class", OwnContextClient)  # app.test_client() too
    return app.test_client()


@pytest.fixture()
def sign_in(app, db):
    """``sign_in(username, password)`` logs a new test client in; returns it and the answer."""

    def do_sign_in(username: str, password: str):
        browser = OwnContextClient(app, app.response_class, use_cookies=True)
        token = csrf_token(browser, "/login")
        answer = browser.post(
            "/login", data={"csrf_token": token, "username": username, "password": password}
        )
        return browser, answer

    return do_sign_in


@pytest.fixture()
def make(db):
    """Factories for places, villages and users (see tests/factories.py)."""
    return factories.Factory(db)


@pytest.fixture()
def login(client):
    """``login(user)`` logs the test client in through the real login form."""

    def do_login(user, password: str = DEMO_PASSWORD):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"csrf_token": token, "username": user.username, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


def csrf_token(client, path: str) -> str:
    """Read the CSRF token from a page, as a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)
