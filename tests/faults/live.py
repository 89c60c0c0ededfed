"""A real gunicorn (2 workers) on a database of its own, and a phone's calls to it.

The server runs with ``FIELDAPP_ENV=test``, a 300 ms lock timeout on either engine and the
fault pause of ``fieldapp/faults.py`` pointed at a folder of the test's. On SQLite the database
lives on a small tmpfs when the tests may mount one (root), so that a test can fill the disk.
"""

import http.client
import json
import uuid
from pathlib import Path

import sqlalchemy as sa

from tests.gunicorn import Gunicorn


class Live:
    def __init__(self, url: str, pause: Path, village: str, token: str, disk: Path | None):
        self.url, self.pause, self.village, self.token = url, pause, village, token
        self.disk = disk  # the tmpfs holding the SQLite file, if one could be mounted
        self.port = 0
        self.server = None

    def start(self, log: Path) -> None:
        self.server = Gunicorn({
            "FIELDAPP_ENV": "test", "FIELDAPP_SECRET_KEY": "faults",
            "FIELDAPP_DATABASE_URL": self.url, "FIELDAPP_FAULT_PAUSE": str(self.pause),
            "FIELDAPP_SQLITE_BUSY_TIMEOUT_MS": "300", "FIELDAPP_POSTGRES_LOCK_TIMEOUT_MS": "300",
        }, log, workers=2)
        self.port = self.server.start()
        assert self.call("GET", "/login")[0] == 200, "the app did not answer"

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def workers(self) -> set[int]:
        """The pids of gunicorn's workers (the children of its arbiter)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == self.server.process.pid:
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
