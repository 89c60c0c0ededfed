"""Fixtures for the command line: a CLI runner inside the test's transaction, logins."""

import pytest


@pytest.fixture()
def runner(app, db):
    """Commands run in the test's app context, so their commits stay in its transaction."""
    return app.test_cli_runner()


@pytest.fixture()
def demo_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", True)
