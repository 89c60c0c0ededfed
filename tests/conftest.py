"""Fixtures: a real database (SQLite file, or a throwaway PostgreSQL database when
``FIELDAPP_TEST_ENGINE=postgresql``) migrated once per run; each test runs inside a transaction
that is rolled back, the app's own commits becoming SAVEPOINT releases. Then the clients and
logins, and one test commune every folder shares: its villages, officer, collector, children
(``add_child``) and API callers; a folder adds only what it alone needs."""

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from fieldapp import create_app, roles
from fieldapp.auth import tokens
from fieldapp.auth.models import ApiToken
from fieldapp.children import services as register
from fieldapp.extensions import db as _db
from fieldapp.places.services import load_places
from tests import factories
from tests.factories import COMMUNE_B
from tests.postgres_url import admin_url
from tests.submissions import make_item

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
def runner(app, db):
    """Commands run in the test's app context, so their commits stay in its transaction."""
    return app.test_cli_runner()


@pytest.fixture()
def make(db):
    """Factories for villages, users and children (see tests/factories.py)."""
    return factories.Factory(db)


# The test commune (COMMUNE_A): two villages, its officer and a collaborator of the first
# village; and a village and officer of another commune (COMMUNE_B).


@pytest.fixture()
def village(make):
    return make.village(name="Bản Nà Sàng")


@pytest.fixture()
def village2(make, village):
    return make.village(name="Bản Pá Múa")


@pytest.fixture()
def far_village(make):
    return make.village(COMMUNE_B, name="Thôn Trung An")


@pytest.fixture()
def officer(make):
    """The commune officer of the test commune."""
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def far_officer(make):
    """The commune officer of the other commune."""
    return make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])


@pytest.fixture()
def collector(make, village):
    """A collaborator of ``village``."""
    return make.user(roles.COLLABORATOR, [village])


@pytest.fixture()
def add_child(request, make, officer, village):
    """``add_child(name, place=village, actor=None, **fields)``: a child in the register, made
    by ``actor`` (default: the officer of the place's commune); see ``Factory.child``."""

    def build(full_name="Lò Văn Thanh", *, place=None, actor=None, **fields):
        place = place or village
        if actor is None:
            mine = place.commune_code == officer.commune_code
            actor = officer if mine else request.getfixturevalue("far_officer")
        return make.child(actor, place, full_name, **fields)

    return build


@pytest.fixture()
def officer_does(app, db, officer):
    """``officer_does(service_name, *args, **kwargs)``: run a register service as the officer
    (in a request context: code lists are cached per request)."""

    def run(name: str, *args, **kwargs):
        with app.test_request_context():
            out = getattr(register, name)(officer, *args, **kwargs)
            db.session.flush()
        return out

    return run


class Api:
    """The test client with a caller's ``Authorization`` header on every request."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, headers

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers={**self.headers, **kwargs.pop("headers", {})},
                               **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers={**self.headers, **kwargs.pop("headers", {})},
                                **kwargs)

    def delete(self, path: str, **kwargs):
        return self.client.delete(path, headers={**self.headers, **kwargs.pop("headers", {})},
                                  **kwargs)

    def submit(self, *items, expect: int = 200) -> list[dict]:
        """Post ``items`` as one batch; the per-item results."""
        answer = self.post("/api/v1/submissions", json={"submissions": list(items)})
        assert answer.status_code == expect, answer.get_data(as_text=True)
        return answer.get_json()["results"]


@pytest.fixture()
def issue(db):
    """``issue(user)``: a new token of ``user`` and its ``Authorization`` header."""

    def make_token(user, device: str = "Điện thoại thử") -> tuple[ApiToken, dict]:
        token, secret = tokens.issue(user, device)
        db.session.flush()
        return token, {"Authorization": f"Bearer {secret}"}

    return make_token


@pytest.fixture()
def api_as(client, issue):
    """``api_as(user)``: an :class:`Api` calling with a fresh token of ``user``."""
    return lambda user: Api(client, issue(user)[1])


@pytest.fixture()
def api(api_as, collector):
    """The collaborator of ``village``, with a bearer token."""
    return api_as(collector)


@pytest.fixture()
def item(village):
    """``item(**top)``: a valid new-child submission for ``village``."""
    return lambda **top: make_item(village.code, **top)


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
