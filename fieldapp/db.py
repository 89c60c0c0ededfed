"""The declarative base, shared column types and database-engine settings."""

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every engine (SQLite stores none of the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def upsert(session, table):
    """An ``INSERT`` into ``table`` that takes ``on_conflict_do_nothing`` / ``…_do_update``
    (``INSERT … ON CONFLICT``), in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return build(table)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL with ``synchronous=FULL``, foreign keys and a busy timeout on every connection;
    real transactions.

    ``synchronous=FULL`` syncs the WAL at every commit: a commit that answered a phone's receipt
    survives a power cut (under ``NORMAL``, SQLite's WAL default in some builds, it survives a
    crash of the program only), and the phone deletes its copy once it has the receipt.

    pysqlite's own transaction handling breaks SAVEPOINT, so the driver is put in autocommit
    and SQLAlchemy emits BEGIN itself (the recipe of the SQLAlchemy SQLite dialect docs).
    It is ``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails at once
    with "database is locked" when another connection wrote in between (the busy timeout does
    not apply to that upgrade), which lost sync requests under concurrent phones; taking the
    write lock at the start makes every transaction wait its turn instead. Work that only
    reads may say so with :func:`read_only` and begin deferred.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        deferred = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


READ_ONLY = "fieldapp_read_only"


@contextmanager
def read_only(session):
    """Run the enclosed reads in a transaction of their own that writes nothing.

    On SQLite it begins deferred, so it takes no write lock: a long read (judging a batch of
    submissions) does not make every writer wait. The transaction the request had open is
    committed first; the read one ends with a rollback.
    """
    session.commit()
    session.connection(execution_options={READ_ONLY: True})
    try:
        yield
    finally:
        session.rollback()


class DatabaseUnavailable(Exception):
    """The database cannot take the request now, and nothing of it was stored: locked longer
    than the timeout (``reason`` ``"busy"``) or out of disk (``"full"``). Answered 503 with
    ``Retry-After`` (errors.py); the phone keeps its items and tries again."""

    def __init__(self, reason: str):
        super().__init__(f"database unavailable: {reason}")
        self.reason = reason


SQLITE_REASONS = {5: "busy", 6: "busy", 13: "full"}  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL
POSTGRES_REASONS = {"55P03": "busy", "57014": "busy", "53100": "full"}  # lock_timeout,
# statement_timeout, disk full; the rest of class 53 (memory, connections) is "busy"


def unavailable_reason(error: BaseException) -> str | None:
    """``"busy"``, ``"full"`` or None for a DBAPI error of sqlite3 or psycopg."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return SQLITE_REASONS.get(code & 0xFF)  # an extended code keeps the primary in its low byte
    state = getattr(error, "sqlstate", None) or ""
    return POSTGRES_REASONS.get(state) or ("busy" if state.startswith("53") else None)


def report_unavailable(engine: Engine) -> None:
    """Raise :class:`DatabaseUnavailable` instead of a driver error that means "try later"."""

    @event.listens_for(engine, "handle_error")
    def on_error(context):
        reason = unavailable_reason(context.original_exception)
        if reason is not None:
            raise DatabaseUnavailable(reason) from context.original_exception
