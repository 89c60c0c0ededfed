"""Fixtures for the command line: a CLI runner inside the test's transaction, logins."""

import pytest

from tests.conftest import OwnContextClient, csrf_token


@pytest.fixture()
def runner(app, db):
    """Commands run in the test's app context, so their commits stay in its transaction."""
    return app.test_cli_runner()


@pytest.fixture()
def demo_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", True)


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
