"""Backups and restores: ``flask --app wsgi backup PATH`` and ``restore PATH --yes``.

SQLite: the online backup API copies one consistent snapshot, the commits still in the
``-wal`` file included, while the server runs; the copy is one self-contained file. A restore
writes the backup into the database file through the same API (never a file copy, which a
stale ``-wal`` beside it would corrupt). PostgreSQL: ``pg_dump --format=custom``; a restore
runs pg_restore's script in one psql transaction after dropping the schema, so it is all or
nothing and leaves no table of a newer schema behind (backup_postgres.py).

A restore wants the server stopped (it refuses while other connections hold the database),
refuses a file that is not a backup of this app or whose schema is newer than the code, and
upgrades an older one to the code's schema.
"""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from fieldapp import backup_postgres as postgres
from fieldapp.extensions import db

# Tables every revision of this app has had (migration 0001), beside alembic_version.
APP_TABLES = {"user_account", "village", "audit_entry"}
SQLITE_MAGIC = b"SQLite format 3\x00"


class Refused(click.ClickException):
    """A backup or restore that must not go on; the message says why and what to do."""


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Sao lưu cơ sở dữ liệu vào tệp PATH (khi máy chủ đang chạy)."""
    url = db.engine.url
    if not path.parent.is_dir():
        raise Refused(f"no folder {path.parent}: create it first")
    partial = path.with_name(path.name + ".part")
    _private_file(partial)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(Path(url.database), partial, into_backup=True)
        else:
            postgres.dump(url, partial)
        revision = check_backup(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"backup: {path} ({path.stat().st_size:,} bytes, schema {revision})")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Thay toàn bộ dữ liệu hiện có bằng bản sao lưu.")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Khôi phục cơ sở dữ liệu từ tệp PATH (dừng máy chủ trước)."""
    url = db.engine.url
    revision = check_backup(path)
    older = _check_revision(revision)
    if not yes:
        raise Refused(
            f"{path} is a backup of this app (schema {revision}); restoring it replaces every "
            f"row of {url.render_as_string(hide_password=True)}. Stop the server (gunicorn), "
            "then run again with --yes.")
    db.session.remove()
    db.engine.dispose()  # this process holds no connection: only the server's would count
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(path, Path(url.database))
    else:
        postgres.restore(url, path)
    db.engine.dispose()
    click.echo(f"restore: {path} restored (schema {revision})")
    if older:
        upgrade()
        click.echo(f"restore: schema {revision} upgraded to {_heads()}")
    click.echo("restore: done; start the server again")


def check_backup(path: Path) -> str:
    """The schema revision of a backup of this app (for this database's engine), or refuse."""
    if db.engine.url.get_backend_name() != "sqlite":
        return postgres.check_backup(path, APP_TABLES)
    with open(path, "rb") as file:
        if file.read(16) != SQLITE_MAGIC:
            raise Refused(f"{path} is not an SQLite database: not a backup of this app")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = (APP_TABLES | {"alembic_version"}) - tables
            if missing:
                raise Refused(f"{path} is an SQLite database of another app: no "
                              f"{', '.join(sorted(missing))}")
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise Refused(f"{path} cannot be read as an SQLite database: {error}") from error
    if len(rows) != 1:
        raise Refused(f"{path} has {len(rows)} schema revisions, not one")
    return rows[0][0]


def _check_revision(revision: str) -> bool:
    """True when ``revision`` is older than the code's (to upgrade after the restore); refuse
    one the code does not know (a newer schema)."""
    scripts = _scripts()
    known = {script.revision for script in scripts.walk_revisions()}
    if revision in scripts.get_heads():
        return False
    if revision in known:
        return True
    raise Refused(f"the backup's schema {revision} is newer than this code knows "
                  f"({_heads()}): install the version of fieldapp that made it")


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _heads() -> str:
    return ", ".join(sorted(_scripts().get_heads()))


def _sqlite_copy(source: Path, target: Path, *, into_backup: bool) -> None:
    """Copy ``source`` into ``target`` with the online backup API, in one step (one read
    transaction: a consistent snapshot, however busy the writers)."""
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(target, timeout=2, isolation_level=None)) as dst:
        src.backup(dst)
        if into_backup:
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise Refused("the copy failed its integrity check; the database needs repair")


def _sqlite_restore(backup: Path, database: Path) -> None:
    """Write ``backup`` into ``database`` through the backup API, the server stopped.

    Leaving WAL mode needs the only connection to the file: if the server still holds one,
    SQLite says the database is locked and nothing is written.
    """
    with closing(sqlite3.connect(database, timeout=2, isolation_level=None)) as probe:
        try:
            mode = probe.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as error:
            mode = str(error)
        if mode != "delete":
            raise Refused(f"{database} is in use (is the server running?): stop the server, "
                          "then restore")
    _sqlite_copy(backup, database, into_backup=False)
    with closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


def _private_file(path: Path) -> None:
    """An empty file only its owner reads: a backup holds children's personal data."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
