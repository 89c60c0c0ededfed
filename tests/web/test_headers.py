"""Security headers and the session cookie (ARCHITECTURE §8)."""

import pytest

from fieldapp import roles
from tests.web.conftest import PAGES


@pytest.mark.parametrize(("path", "role"), [*PAGES.items(), ("/nowhere", None),
                                            ("/villages/", roles.POLICE)])
def test_every_html_answer_carries_the_security_headers(page, path, role):
    answer = page(path, role)
    assert answer.mimetype == "text/html"
    csp = answer.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin",
                                                 "no-referrer")
    assert "HX-Request" in answer.vary


def test_redirects_vary_on_htmx_too(client):
    answer = client.get("/")
    assert answer.status_code == 302 and "HX-Request" in answer.vary


def test_session_cookie_is_httponly_and_lax(client, make, login):
    answer = login(make.user(roles.COMMUNE_OFFICER))
    cookie = next(c for c in answer.headers.getlist("Set-Cookie")
                  if c.startswith("fieldapp_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; production turns it on


def test_production_cookie_is_secure(other_app):
    app = other_app(ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    answer = app.test_client().get("/login")  # the CSRF token puts something in the session
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_without_secret_key_refuses_to_start(other_app, monkeypatch):
    monkeypatch.delenv("FIELDAPP_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        other_app(ENV="production", SECRET_KEY=None)


def test_answers_carry_no_header_they_do_not_need(client):
    """On a phone every header byte is paid for: a 304 confirms, a redirect is followed, a
    static file is validated by its ETag."""
    with client.get("/sw.js") as worker:
        assert "script-src 'self'" in worker.headers["Content-Security-Policy"]
    with client.get("/sw.js", headers={"If-None-Match": worker.headers["ETag"]}) as again:
        assert again.status_code == 304 and "Content-Security-Policy" not in again.headers
        assert again.headers["Cache-Control"] == "no-cache" and again.headers["ETag"]
    with client.get("/") as redirect:
        assert redirect.status_code == 302 and "Content-Security-Policy" not in redirect.headers
    with client.get("/static/css/app.css") as static:
        assert static.headers["ETag"] and static.headers["X-Content-Type-Options"] == "nosniff"
        assert "Last-Modified" not in static.headers and "Referrer-Policy" not in static.headers
