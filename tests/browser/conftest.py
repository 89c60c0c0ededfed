"""A live server on its own database (real commits, demo data) and Debian's Chromium."""

import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from fieldapp import create_app
from fieldapp.demo import seed
from fieldapp.extensions import db
from tests.browser.field import Field
from tests.browser.network import Faults, Proxy
from tests.conftest import _throwaway_postgres
from tests.postgres_url import admin_url

CHROMIUM = os.environ.get("FIELDAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    if os.environ.get("FIELDAPP_TEST_ENGINE") == "postgresql":
        yield from _throwaway_postgres(admin_url())
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"


@pytest.fixture(scope="session")
def live_app(live_database):
    """The app behind the live server, with the demo commune and accounts; its WSGI callable
    goes through :class:`Faults` (off unless a test switches it on)."""
    app = create_app({
        "ENV": "test", "SECRET_KEY": "browser-test", "DATABASE_URL": live_database, "DEMO": True,
        "LOGIN_ADDRESS_LIMIT": "1000 per 15 minutes",  # every phone logs in from 127.0.0.1
    })
    with app.app_context():
        upgrade()
        seed()
        db.session.commit()
        db.session.remove()
    app.faults = Faults(app.wsgi_app)
    app.wsgi_app = app.faults
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_port(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(live_port):
    """Base URL of the app served from a thread."""
    return f"http://127.0.0.1:{live_port}"


@pytest.fixture(scope="session")
def proxy(live_app, live_port):
    proxy = Proxy(live_port)
    live_app.faults.proxy = proxy
    yield proxy
    proxy.close()


@pytest.fixture()
def field(live_app, proxy):
    """The live server as a phone in the field reaches it: through a network that a test can
    take down (``field.offline()``) and a sync API that a test can make fail."""
    proxy.up()
    live_app.faults.reset()
    yield Field(live_app, proxy)
    proxy.up()
    live_app.faults.reset()
    live_app.config.pop("OFFLINE_BUILD", None)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def phone(browser):
    """A fresh 360-px-wide phone page that records CSP violations and console errors."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    page.problems = []
    # A 422 is the expected answer to a form with errors; a test that breaks the network or
    # the server adds what it expects (field.offline adds the network errors).
    page.expected = ["status of 422"]

    def on_console(msg):
        if msg.type == "error" and not any(text in msg.text for text in page.expected):
            page.problems.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
