"""SQLite runs in WAL mode with ``synchronous=FULL`` whatever the build's default: a commit the
phone got a receipt for (and then deleted its copy) survives a power cut."""

import sqlite3

import pytest
from sqlalchemy import text

from fieldapp import create_app
from fieldapp.extensions import db
from tests.fresh import POSTGRES

pytestmark = pytest.mark.skipif(POSTGRES, reason="SQLite's settings")


def test_every_connection_syncs_each_commit_even_where_the_build_says_normal(tmp_path):
    path = tmp_path / "durable.db"

    def connect():  # a build whose WAL default is NORMAL, as some distributions compile it
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    app = create_app({"ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"creator": connect}})
    with app.app_context():
        try:
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        finally:
            db.session.remove()
            db.engine.dispose()
