"""A restore brings the data back exactly, only when told ``--yes``, only with the server
stopped, only from a backup of this app whose schema the code knows; an older one is
upgraded."""

import os
import sqlite3
import subprocess
from contextlib import closing

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from fieldapp import ROOT
from fieldapp.extensions import db
from tests.backup.tools import contents, run
from tests.fresh import POSTGRES, count, migrate

HEAD = ScriptDirectory(str(ROOT / "migrations")).get_current_head()  # the code's newest


def _execute(app, sql: str) -> None:
    with app.app_context():
        db.session.execute(sa.text(sql))
        db.session.commit()
        db.session.remove()


def _backup(app, path):
    result = run(app, "backup", path)
    assert result.exit_code == 0, result.output
    return path


def test_restore_brings_the_data_back_exactly_and_only_when_told_yes(source, tmp_path):
    before = contents(source)
    backup = _backup(source, tmp_path / "exact.backup")
    _execute(source, "INSERT INTO note VALUES (2, 1, 'after the backup')")
    _execute(source, "DELETE FROM note WHERE grp = 0 AND n = 2")
    _execute(source, "UPDATE user_account SET full_name = 'Đổi Tên'")
    changed = contents(source)
    assert changed != before

    refused = run(source, "restore", backup)
    assert refused.exit_code == 1
    assert "run again with --yes" in refused.output
    assert "Stop the server" in refused.output
    assert contents(source) == changed

    result = run(source, "restore", backup, "--yes")
    assert result.exit_code == 0, result.output
    assert f"restored (schema {HEAD})" in result.output
    assert contents(source) == before


def _other_app(databases, tmp_path):
    """A backup-looking file of another app: its own tables and alembic_version."""
    app = databases.app(databases.new())
    _execute(app, "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    _execute(app, "INSERT INTO alembic_version VALUES ('0006')")
    _execute(app, "CREATE TABLE invoice (id INTEGER PRIMARY KEY, total INTEGER)")
    path = tmp_path / "other.backup"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.engine.dispose()
    if POSTGRES:
        subprocess.run(["pg_dump", "--format=custom", f"--file={path}",
                        "--dbname=" + url.replace("postgresql+psycopg", "postgresql")],
                       check=True)
    else:
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as live, \
                closing(sqlite3.connect(path)) as copy:
            live.backup(copy)
    return path


def test_restore_refuses_what_is_not_a_backup_of_this_app(databases, source, tmp_path):
    before = contents(source)
    noise = tmp_path / "noise.backup"
    noise.write_bytes(os.urandom(64 * 1024))
    other_engine = tmp_path / "other-engine.backup"  # a backup for the other engine
    if POSTGRES:
        with closing(sqlite3.connect(other_engine)) as conn:
            conn.execute("CREATE TABLE user_account (id INTEGER)")
    else:
        other_engine.write_bytes(b"PGDMP" + os.urandom(1024))
    for path, said in ((noise, "not a backup of this app"),
                       (other_engine, "not a backup of this app"),
                       (_other_app(databases, tmp_path), "another")):
        result = run(source, "restore", path, "--yes")
        assert result.exit_code == 1, (path, result.output)
        assert said in result.output, result.output
        assert "Traceback" not in result.output
    assert contents(source) == before


def test_restore_refuses_a_backup_of_a_newer_schema(source, tmp_path):
    _execute(source, "UPDATE alembic_version SET version_num = '9001'")  # from a newer code
    try:
        backup = _backup(source, tmp_path / "newer.backup")
    finally:
        _execute(source, f"UPDATE alembic_version SET version_num = '{HEAD}'")
    before = contents(source)
    result = run(source, "restore", backup, "--yes")
    assert result.exit_code == 1
    assert f"schema 9001 is newer than this code knows ({HEAD})" in result.output
    assert contents(source) == before


def test_restore_refuses_while_the_server_holds_the_database(source, tmp_path):
    backup = _backup(source, tmp_path / "busy.backup")
    _execute(source, "INSERT INTO note VALUES (3, 1, 'after the backup')")
    before = contents(source)
    url = source.config["SQLALCHEMY_DATABASE_URI"]
    server = sa.create_engine(url, poolclass=sa.NullPool)  # as a gunicorn worker holds one
    try:
        with server.connect() as conn:
            conn.execute(sa.text("SELECT count(*) FROM note"))
            result = run(source, "restore", backup, "--yes")
    finally:
        server.dispose()
    assert result.exit_code == 1
    assert "stop the server, then restore" in result.output
    assert contents(source) == before


def test_an_older_backup_is_restored_and_upgraded(databases, tmp_path):
    old = databases.app(databases.new())
    migrate(old, "0005")
    backup = _backup(old, tmp_path / "old.backup")
    copy = databases.app(databases.new())
    result = run(copy, "restore", backup, "--yes")
    assert result.exit_code == 0, result.output
    assert f"schema 0005 upgraded to {HEAD}" in result.output
    assert count(copy, "SELECT version_num FROM alembic_version") == HEAD
    assert count(copy, "SELECT count(*) FROM device") == 0  # the table of 0006 is there
