"""Answers with personal data are kept by no cache; a 405 says what the address takes."""

import re

import pytest

from fieldapp import roles
from tests.conftest import csrf_token
from tests.web.conftest import PAGES

SIGNED_IN = {path: role for path, role in PAGES.items() if role is not None}


@pytest.mark.parametrize(("path", "role"), SIGNED_IN.items())
def test_every_page_of_a_logged_in_user_is_no_store(page, path, role):
    answer = page(path, role)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_fragment_an_error_page_and_json_too(page, client):
    assert page("/audit/", roles.COMMUNE_OFFICER,
                headers={"HX-Request": "true"}).headers["Cache-Control"] == "no-store"
    missing = client.get("/children/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    session = client.get("/api/v1/session")
    assert session.status_code == 200 and session.headers["Cache-Control"] == "no-store"


def test_what_says_how_it_is_kept_keeps_it(page, client):
    """Static files and the worker's scripts are no one's data; /collect is an app shell
    whose lists come from the phone's own storage, revalidated by its ETag (a 304)."""
    home = page("/", roles.COLLABORATOR).get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[^"]+)"', home).group(1)
    with client.get(css) as static:
        assert static.headers["Cache-Control"].startswith("public, max-age=")
    with client.get("/sw.js") as worker:
        assert worker.headers["Cache-Control"] == "no-cache"
    shell = client.get("/collect")
    assert shell.status_code == 200 and shell.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/collect", headers={"If-None-Match": shell.headers["ETag"]})
    assert again.status_code == 304


def test_the_login_page_is_not_a_logged_in_users(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


@pytest.mark.parametrize(("method", "path", "allowed", "mimetype"), [
    ("put", "/login", "GET, HEAD, OPTIONS, POST", "text/html"),
    ("delete", "/api/v1/tokens", "GET, HEAD, OPTIONS, POST", "application/problem+json"),
    ("post", "/api/v1/session", "GET, HEAD, OPTIONS", "application/problem+json"),
])
def test_a_405_says_what_the_address_takes(client, method, path, allowed, mimetype):
    answer = getattr(client, method)(path)
    assert answer.status_code == 405 and answer.mimetype == mimetype
    assert answer.headers["Allow"] == allowed


def test_a_405_to_a_logged_in_form_too(client, make, login):
    login(make.user(roles.COMMUNE_OFFICER))
    answer = client.put("/villages/", data={"csrf_token": csrf_token(client, "/villages/")})
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]
