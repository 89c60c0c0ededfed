"""Register fixtures: a request context, a re-login and the list's filter form (the officer,
villages and ``add_child`` are tests/conftest.py's)."""

import pytest

from tests.conftest import csrf_token


@pytest.fixture()
def ctx(app, db):
    """A request context on the test database: code lists are read from it (cached in ``g``)."""
    with app.test_request_context():
        yield db


@pytest.fixture()
def relogin(client, login):
    """``relogin(user)``: log the current user out (through the form), then ``user`` in."""

    def switch(user):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        return login(user)

    return switch


@pytest.fixture()
def listing(client):
    """``listing(**fields)`` posts the register's filter form (CSRF token read from the page)
    and returns the HTML; call it after logging in."""
    token = {}

    def post(headers=None, expect=200, **fields):
        if "value" not in token:
            token["value"] = csrf_token(client, "/children/")
        response = client.post("/children/", data={"csrf_token": token["value"], **fields},
                               headers=headers or {})
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
        return response.get_data(as_text=True)

    return post
