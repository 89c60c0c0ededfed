"""Fixtures for the account pages: forms posted with the page's CSRF token, extra clients."""

import pytest

from fieldapp import roles
from tests.conftest import csrf_token


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
