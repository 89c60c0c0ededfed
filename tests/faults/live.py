"""A real gunicorn (2 workers) on a database of its own, and a phone's calls to it.

The server runs with ``FIELDAPP_ENV=test``, a 300 ms lock timeout on either engine and the
fault pause of ``fieldapp/faults.py`` pointed at a folder of the test's. On SQLite the database
lives on a small tmpfs when the tests may mount one (root), so that a test can fill the disk.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Live:
    def __init__(self, url: str, pause: Path, village: str, token: str, disk: Path | None):
        self.url, self.pause, self.village, self.token = url, pause, village, token
        self.disk = disk  # the tmpfs holding the SQLite file, if one could be mounted
        self.port = 0
        self.server = None

    def start(self, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
        env.update(FIELDAPP_ENV="test", FIELDAPP_SECRET_KEY="faults",
                   FIELDAPP_DATABASE_URL=self.url,
                   FIELDAPP_FAULT_PAUSE=str(self.pause), FIELDAPP_SQLITE_BUSY_TIMEOUT_MS="300",
                   FIELDAPP_POSTGRES_LOCK_TIMEOUT_MS="300")
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.server = subprocess.Popen(
            [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--no-control-socket", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            assert self.server.poll() is None, "gunicorn exited while starting"
            try:
                if self.call("GET", "/login")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer within 30 s")

    def stop(self) -> None:
        if self.server is not None:
            self.server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
            self.log.close()

    def workers(self) -> set[int]:
        """The pids of gunicorn's workers (the children of its arbiter)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == self.server.pid:
                pids.add(int(stat.parent.name))
        return pids

    def call(self, method: str, path: str, body: bytes | None = None, headers=None):
        """One request on a new connection: ``(status, headers, body bytes)``."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return answer.status, answer.headers, answer.read()
        finally:
            conn.close()

    def submit(self, items: list[dict]):
        """The phone's POST of a batch: ``(status, headers, decoded JSON or None)``."""
        status, headers, raw = self.call(
            "POST", "/api/v1/submissions", json.dumps({"submissions": items}).encode(),
            {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        body = json.loads(raw) if "json" in headers.get("Content-Type", "") else None
        return status, headers, body

    def read(self, query):
        """Run ``query`` on what is committed, from outside the app (no write lock asked)."""
        engine = sa.create_engine(self.url, poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(query) if isinstance(query, str) else query).scalar()
        finally:
            engine.dispose()

    def stored(self, items: list[dict]) -> tuple[int, int]:
        """How many submissions, and audit entries of their receipt, hold these items."""
        keys = [uuid.UUID(item["uuid"]) for item in items]
        submissions = self.read(sa.select(sa.func.count()).select_from(SUBMISSION)
                                .where(SUBMISSION.c.id.in_(keys)))
        audits = self.read(sa.select(sa.func.count()).select_from(AUDIT).where(
            AUDIT.c.action == "submission_received",
            AUDIT.c.object_id.in_([str(k) for k in keys])))
        return submissions, audits


SUBMISSION = sa.table("submission", sa.column("id", sa.Uuid))
AUDIT = sa.table("audit_entry", sa.column("action", sa.String), sa.column("object_id", sa.String))
