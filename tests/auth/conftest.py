"""Auth-test fixtures: a login-form submitter that lets a test pick the client, the ``next``
target and the address; a poster of the account pages' forms with the page's CSRF token."""

from urllib.parse import urlencode

import pytest

from tests.conftest import csrf_token

ADDRESS = "203.0.113.7"  # a documentation address (RFC 5737), so the audit check means something


@pytest.fixture()
def submit_login(client):
    """``submit_login(username, password, via=client, next=None, address=ADDRESS)``."""

    def submit(username, password, *, via=None, next=None, address=ADDRESS):
        via = via or client
        path = "/login" if next is None else "/login?" + urlencode({"next": next})
        data = {"csrf_token": csrf_token(via, path), "username": username, "password": password}
        return via.post(path, data=data, environ_base={"REMOTE_ADDR": address})

    return submit


@pytest.fixture()
def post(client):
    """``post(path, data, page=None, on=None)`` submits a form as a browser would, with the
    CSRF token read from ``page`` (default ``path``), on client ``on`` (default ``client``)."""

    def do_post(path: str, data: dict, page: str | None = None, on=None):
        browser = on or client
        token = csrf_token(browser, page or path)
        return browser.post(path, data={"csrf_token": token, **data})

    return do_post
