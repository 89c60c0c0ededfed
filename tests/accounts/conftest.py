"""Fixtures for the account pages: forms posted with the page's CSRF token, extra clients."""

import pytest

from fieldapp.auth import roles
from tests.conftest import OwnContextClient, csrf_token


@pytest.fixture()
def officer(make):
    """A commune officer of commune 03808."""
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def post(client):
    """``post(path, data, page=None, on=None)`` submits a form as a browser would, with the
    CSRF token read from ``page`` (default ``path``), on client ``on`` (default ``client``)."""

    def do_post(path: str, data: dict, page: str | None = None, on=None):
        browser = on or client
        token = csrf_token(browser, page or path)
        return browser.post(path, data={"csrf_token": token, **data})

    return do_post


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
