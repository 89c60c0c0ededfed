"""Auth-test fixtures: a login-form submitter that lets a test pick the client, the ``next``
target and the address."""

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
