"""The database locked longer than the timeout (300 ms on the test server): a JSON 503 with
``Retry-After`` for the phone, which keeps its items, a Vietnamese 503 page for a person; once
the lock is gone the same batch is stored, once."""

import re
import sqlite3
from contextlib import contextmanager

import sqlalchemy as sa

from tests.fresh import POSTGRES
from tests.submissions import make_item


@contextmanager
def locked(live):
    """Another program holds the database's write lock (SQLite) or the tables' locks
    (PostgreSQL) while the block runs."""
    if POSTGRES:
        engine = sa.create_engine(live.url, poolclass=sa.NullPool)
        with engine.connect() as conn, conn.begin():
            conn.execute(sa.text("LOCK TABLE submission, user_account IN ACCESS EXCLUSIVE MODE"))
            yield
        engine.dispose()
        return
    conn = sqlite3.connect(live.url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def test_a_locked_database_answers_503_with_retry_after_and_the_retry_stores_it(live):
    batch = [make_item(live.village) for _ in range(3)]
    with locked(live):
        status, headers, body = live.submit(batch)
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert headers["Content-Type"] == "application/problem+json"
    assert body["title"] == "Máy chủ tạm thời chưa phục vụ được"
    assert "Cơ sở dữ liệu đang bận" in body["detail"]
    assert live.stored(batch) == (0, 0)

    status, _, body = live.submit(batch)  # the phone, later
    assert status == 200
    assert [r["status"] for r in body["results"]] == ["accepted"] * 3
    assert live.stored(batch) == (3, 3)


def test_a_locked_database_answers_a_vietnamese_503_page(live):
    status, headers, raw = live.call("GET", "/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', raw.decode()).group(1)
    form = f"csrf_token={token}&username=ai.do&password=sai-mat-khau".encode()
    with locked(live):
        status, headers, raw = live.call("POST", "/login", form, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    page = raw.decode()
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="vi"' in page
    assert "Cơ sở dữ liệu đang bận nên chưa lưu được" in page
