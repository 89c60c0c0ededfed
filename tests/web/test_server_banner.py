"""No ``Server`` banner: a real gunicorn, started from the repository as ``make run`` starts
it (reading ``gunicorn.conf.py``), answers without one; started elsewhere, without that
file, it still says ``Server: gunicorn`` (so this test would see the banner come back)."""

import http.client
import secrets

from tests.gunicorn import ROOT, Gunicorn


def gunicorn(cwd, tmp_path) -> Gunicorn:
    return Gunicorn({"FIELDAPP_ENV": "production", "FIELDAPP_SECRET_KEY": secrets.token_urlsafe(32),
                     "FIELDAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'banner.db'}",
                     "FIELDAPP_SESSION_COOKIE_SECURE": "false"},
                    tmp_path / "gunicorn.log", cwd=cwd)


def _headers(port: int, path: str) -> dict[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.read()
        return {name.lower(): value for name, value in answer.getheaders()}
    finally:
        connection.close()


def test_gunicorn_sends_no_server_banner(tmp_path):
    with gunicorn(ROOT, tmp_path) as port:
        for path in ("/login", "/static/css/app.css", "/nowhere"):
            headers = _headers(port, path)
            assert "server" not in headers, path
            assert "date" in headers and "content-type" in headers  # the rest as before


def test_without_the_settings_file_gunicorn_says_its_name(tmp_path):
    with gunicorn(tmp_path, tmp_path) as port:
        assert _headers(port, "/login")["server"] == "gunicorn"
