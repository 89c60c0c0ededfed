"""A gunicorn worker killed in the middle of a batch (its rows written, not committed) leaves
nothing half-stored; the phone, which heard no answer, sends the batch again and every
submission is stored exactly once."""

import os
import signal
import sqlite3
import threading
import time

from tests.fresh import POSTGRES
from tests.submissions import make_item


def _held(live, point: str, timeout: float = 20) -> int:
    """The pid of the worker paused at ``point``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        taken = [p for p in live.pause.iterdir() if p.name.startswith(f"{point}.")]
        if taken:
            return int(taken[0].name.rsplit(".", 1)[1])
        time.sleep(0.05)
    raise AssertionError(f"no worker reached {point}")


def _writing(live) -> bool:
    """Whether another connection holds an open transaction that wrote submissions."""
    if POSTGRES:
        return live.read(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'submission' AND l.mode = 'RowExclusiveLock' AND l.granted") > 0
    conn = sqlite3.connect(live.url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        conn.close()


def test_a_worker_killed_in_the_middle_of_a_batch_stores_nothing_and_the_retry_stores_it_once(
        live):
    batch = [make_item(live.village) for _ in range(5)]
    (live.pause / "submissions_stored").touch()
    heard = {}

    def phone():
        try:
            heard["answer"] = live.submit(batch)
        except OSError as error:  # the connection dropped with the worker
            heard["error"] = error

    sending = threading.Thread(target=phone)
    sending.start()
    pid = _held(live, "submissions_stored")
    assert pid in live.workers()
    assert _writing(live)  # the batch's rows are written, in a transaction still open
    os.kill(pid, signal.SIGKILL)
    sending.join(20)
    assert "answer" not in heard, heard  # the phone heard nothing: it keeps the items
    assert live.stored(batch) == (0, 0)  # nothing half-stored

    status, _, body = live.submit(batch)  # the phone's retry
    assert status == 200, body
    assert [r["status"] for r in body["results"]] == ["accepted"] * 5
    status, _, body = live.submit(batch)  # and once more, as if that answer were lost too
    assert [r["status"] for r in body["results"]] == ["duplicate"] * 5
    assert live.stored(batch) == (5, 5)  # each exactly once, with its receipt's audit entry
    end = time.monotonic() + 10
    while pid in live.workers() and time.monotonic() < end:  # reaped by gunicorn's arbiter
        time.sleep(0.1)
    assert pid not in live.workers()
