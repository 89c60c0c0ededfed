"""No ``Server`` banner: a real gunicorn, started from the repository as ``make run`` starts
it (reading ``gunicorn.conf.py``), answers without one; started elsewhere, without that
file, it still says ``Server: gunicorn`` (so this test would see the banner come back)."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(cwd: Path, tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env.update(FIELDAPP_ENV="production", FIELDAPP_SECRET_KEY=secrets.token_urlsafe(32),
               FIELDAPP_DATABASE_URL=f"sqlite:///{tmp_path / 'banner.db'}",
               FIELDAPP_SESSION_COOKIE_SECURE="false")
    log = open(tmp_path / "gunicorn.log", "w")  # closed in finally
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
         "--no-control-socket", "wsgi:app"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(port, server, tmp_path)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _wait(port: int, server, tmp_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail((tmp_path / "gunicorn.log").read_text())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start")


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
