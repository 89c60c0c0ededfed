"""gunicorn on a prepared database, for the benches that talk HTTP (sync.py, load.py)."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Failure(Exception):
    """Something that must work did not: the bench exits non-zero."""


@contextmanager
def gunicorn(url: str, tmp: Path, workers: int = 2, access_log: bool = False, **settings: str):
    """Serve the app on a free loopback port with ``workers`` sync workers; yields the port.
    ``settings`` are extra ``FIELDAPP_*`` variables (without the prefix). The log goes to
    ``tmp/gunicorn.log``; its last lines are printed when something fails. With
    ``access_log``, ``tmp/access.log`` has a line per request: method, path, status and the
    milliseconds the worker spent on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env.update(FIELDAPP_ENV="production", FIELDAPP_SECRET_KEY=secrets.token_urlsafe(32),
               FIELDAPP_DATABASE_URL=url, FIELDAPP_SESSION_COOKIE_SECURE="false")
    env.update({f"FIELDAPP_{name}": value for name, value in settings.items()})
    log_path = tmp / "gunicorn.log"
    access = ["--access-logfile", str(tmp / "access.log"),
              "--access-logformat", "%(m)s %(U)s %(s)s %(M)s"] if access_log else []
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", *access, "wsgi:app"],  # no socket in ~/.gunicorn
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_ready(port, server)
            yield port
        except BaseException:
            print("  gunicorn log (last lines):\n    " + "\n    ".join(
                log_path.read_text(errors="replace").splitlines()[-15:]))
            raise
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _wait_ready(port: int, server) -> None:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if server.poll() is not None:
            raise Failure("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise Failure("gunicorn did not answer within 30 s")
