"""Each engine's "try later" errors, raised at the statement that meets them, as the driver
would raise them (the app's own handling, from SQLAlchemy up, is real)."""

import sqlite3
from contextlib import contextmanager

import psycopg.errors
from sqlalchemy import event

from tests.fresh import POSTGRES


def _sqlite(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # as sqlite3 sets it
    return error


# (name, the driver's error, the answer's Retry-After, words of its detail)
FAULTS = [
    ("locked", lambda: _sqlite("database is locked", 5), "10", "đang bận"),
    ("full", lambda: _sqlite("database or disk is full", 13), "300", "hết chỗ lưu trữ"),
] if not POSTGRES else [
    ("lock timeout", lambda: psycopg.errors.LockNotAvailable(
        "canceling statement due to lock timeout"), "10", "đang bận"),
    ("statement timeout", lambda: psycopg.errors.QueryCanceled(
        "canceling statement due to statement timeout"), "10", "đang bận"),
    ("disk full", lambda: psycopg.errors.DiskFull(
        "could not extend file: No space left on device"), "300", "hết chỗ lưu trữ"),
]
BUSY = FAULTS[0][1]


@contextmanager
def failing(engine, text: str, error=BUSY):
    """Every statement holding ``text`` fails with ``error()`` while the block runs."""

    def fail(conn, cursor, statement, parameters, context, executemany):
        if text in statement:
            raise error()

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)
