"""Backups of a PostgreSQL database with PostgreSQL's own tools (see backup.py).

``pg_dump`` must be of the server's major version or newer (it refuses an older one): Debian's
``postgresql-client-NN`` of the server's version gives ``pg_dump``, ``pg_restore`` and
``psql``. The password goes to them in ``PGPASSWORD``, never on a command line that ``ps``
shows.
"""

import os
import re
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa
from sqlalchemy.engine import URL

DROP_ALL = ("SET client_min_messages = warning;\n"
            "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")


def dump(url: URL, target: Path) -> None:
    """``pg_dump --format=custom`` of the database into ``target``."""
    _check_versions(url)
    _run(["pg_dump", "--format=custom", f"--file={target}", f"--dbname={_libpq(url)}"], url)


def check_backup(path: Path, app_tables: set[str]) -> str:
    """The schema revision of a custom-format dump of this app, or refuse."""
    listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True,
                             text=True)
    if listing.returncode != 0:
        raise click.ClickException(f"{path} is not a PostgreSQL custom-format dump "
                                   f"(pg_dump --format=custom): not a backup of this app")
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE DATA public (\S+) ", listing.stdout, re.M))
    missing = (app_tables | {"alembic_version"}) - tables
    if missing:
        raise click.ClickException(f"{path} is a dump of another database: no "
                                   f"{', '.join(sorted(missing))}")
    data = subprocess.run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-",
                           str(path)], capture_output=True, text=True, check=True).stdout
    rows = re.search(r"^COPY public\.alembic_version .*?;\n(.*?)^\\\.$", data, re.M | re.S)
    revisions = rows.group(1).split() if rows else []
    if len(revisions) != 1:
        raise click.ClickException(f"{path} has {len(revisions)} schema revisions, not one")
    return revisions[0]


def restore(url: URL, backup: Path) -> None:
    """Replace the database's content with the dump's, in one transaction: the schema dropped,
    then pg_restore's script run by psql, which stops at the first error (nothing changed)."""
    others = _other_connections(url)
    if others:
        raise click.ClickException(
            f"{others} other connection(s) to database {url.database} are open (is the server "
            "running?): stop the server, then restore")
    script = subprocess.Popen(["pg_restore", "--no-owner", "--no-acl", "--file=-", str(backup)],
                              stdout=subprocess.PIPE)
    with script:
        psql = subprocess.Popen(
            ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
             "--output=/dev/null", "--file=-", f"--dbname={_libpq(url)}"],
            stdin=subprocess.PIPE, env=_env(url))
        psql.stdin.write(DROP_ALL.encode())
        for chunk in iter(lambda: script.stdout.read(1 << 16), b""):
            psql.stdin.write(chunk)
        psql.stdin.close()
        failed = psql.wait()
    if script.returncode or failed:
        raise click.ClickException("the restore failed; the database was left as it was")


def _check_versions(url: URL) -> None:
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True,
                            check=True).stdout
    client_major = int(re.search(r"(\d+)(?:\.\d+)?", client).group(1))
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        server_major = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
    engine.dispose()
    if client_major < server_major:
        raise click.ClickException(
            f"pg_dump {client_major} cannot dump a PostgreSQL {server_major} server: install "
            f"postgresql-client-{server_major}")


def _other_connections(url: URL) -> int:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        count = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'").scalar()  # not autovacuum
    engine.dispose()
    return count


def _run(command: list[str], url: URL) -> None:
    done = subprocess.run(command, env=_env(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"{command[0]} failed: {done.stderr.strip()}")


def _libpq(url: URL) -> str:
    """The URL as libpq reads it: no driver name, no password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _env(url: URL) -> dict:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env
