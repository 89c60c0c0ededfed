"""SQLite: a transaction takes the write lock when it begins (a read then a write cannot fail
half-way with "database is locked"); a read-only one takes none, so writers go on."""

import os
import sqlite3

import pytest
from sqlalchemy import text

from fieldapp import create_app
from fieldapp.db import read_only
from fieldapp.extensions import db

pytestmark = pytest.mark.skipif(os.environ.get("FIELDAPP_TEST_ENGINE") == "postgresql",
                                reason="SQLite's locking; PostgreSQL has row locks")


@pytest.fixture()
def sqlite_app(tmp_path):
    path = tmp_path / "locks.db"
    app = create_app({"ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        db.session.execute(text("CREATE TABLE note (body TEXT)"))
        db.session.commit()
        yield app, path
        db.session.remove()
        db.engine.dispose()


def another_writer_gets_in(path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO note VALUES ('from the other connection')")
        other.execute("COMMIT")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def test_a_transaction_holds_the_write_lock_from_its_first_read(sqlite_app):
    _, path = sqlite_app
    db.session.execute(text("SELECT count(*) FROM note"))
    assert not another_writer_gets_in(path)
    db.session.execute(text("INSERT INTO note VALUES ('mine')"))  # no upgrade left to fail
    db.session.commit()
    assert another_writer_gets_in(path)


def test_a_read_only_transaction_lets_writers_in(sqlite_app):
    _, path = sqlite_app
    with read_only(db.session):
        assert db.session.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
        assert another_writer_gets_in(path)
    assert db.session.execute(text("SELECT count(*) FROM note")).scalar_one() == 1
