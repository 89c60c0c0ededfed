"""A backup taken while the server runs is consistent and holds every commit, the ones still
in SQLite's ``-wal`` file too."""

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from fieldapp.extensions import db
from tests.backup.tools import restored_elsewhere, run
from tests.fresh import POSTGRES, count


class Writer(threading.Thread):
    """Commits pairs of rows into ``note`` (one group per transaction) as fast as it can."""

    def __init__(self, app):
        super().__init__(daemon=True)
        with app.app_context():
            self.url = db.engine.url
        self.committed = 0
        self.stop = threading.Event()
        self.error = None

    def run(self):
        engine = sa.create_engine(self.url, poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                group = 1000
                while not self.stop.is_set():
                    group += 1
                    with conn.begin():
                        for n in (1, 2):
                            conn.execute(sa.text("INSERT INTO note VALUES (:g, :n, 'pair')"),
                                         {"g": group, "n": n})
                    self.committed += 1
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error
        finally:
            engine.dispose()


def test_a_backup_taken_while_another_connection_writes_is_consistent(databases, source,
                                                                      tmp_path):
    writer = Writer(source)
    writer.start()
    try:
        while writer.committed < 20 and writer.is_alive():
            threading.Event().wait(0.01)
        before = writer.committed
        result = run(source, "backup", tmp_path / "during.backup")
        after = writer.committed
    finally:
        writer.stop.set()
        writer.join(10)
    assert writer.error is None
    assert result.exit_code == 0, result.output
    assert "backup:" in result.output

    copy = restored_elsewhere(databases, tmp_path / "during.backup")
    half = count(copy, "SELECT count(*) FROM (SELECT grp FROM note WHERE body = 'pair' "
                       "GROUP BY grp HAVING count(*) <> 2) AS broken")
    groups = count(copy, "SELECT count(DISTINCT grp) FROM note WHERE body = 'pair'")
    assert half == 0  # no transaction is in the backup by half
    assert before <= groups <= after + 1  # what was committed when it was taken
    assert count(copy, "SELECT count(*) FROM user_account") == 2


@pytest.mark.skipif(POSTGRES, reason="SQLite's -wal file")
def test_the_commits_still_in_the_wal_are_in_the_backup(databases, source, tmp_path):
    path = Path(source.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    held = sqlite3.connect(path, isolation_level=None)  # kept open: no last-close checkpoint
    try:
        held.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what came before: in the main file
        held.execute("PRAGMA wal_autocheckpoint=0")
        for n in range(30):
            held.execute("INSERT INTO note VALUES (7, ?, 'only in the wal')", (n,))
        assert path.with_name(path.name + "-wal").stat().st_size > 0

        shutil.copy(path, tmp_path / "naive.db")  # what a plain copy of the file gets
        with closing(sqlite3.connect(tmp_path / "naive.db")) as naive:
            assert naive.execute("SELECT count(*) FROM note").fetchone()[0] > 0
            assert naive.execute("SELECT count(*) FROM note WHERE grp = 7").fetchone()[0] == 0

        result = run(source, "backup", tmp_path / "wal.backup")
        assert result.exit_code == 0, result.output
    finally:
        held.close()
    copy = restored_elsewhere(databases, tmp_path / "wal.backup")
    assert count(copy, "SELECT count(*) FROM note WHERE grp = 7") == 30
    with closing(sqlite3.connect(tmp_path / "wal.backup")) as backup:  # one file, no -wal
        assert backup.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert (tmp_path / "wal.backup").stat().st_mode & 0o777 == 0o600
