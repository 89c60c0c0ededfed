"""Running a benchmark on each engine: the embedded SQLite in a temporary folder and, when
one answers at 127.0.0.1:5432, a throwaway PostgreSQL database."""

import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import _throwaway_postgres
from tests.postgres_url import admin_url


class Failure(Exception):
    """Something that must work did not: the bench exits non-zero."""


def on_each_engine(measure: Callable[[str, str, Path], None]) -> list[str]:
    """Call ``measure(engine name, database URL, temporary folder)`` on each engine; the
    names of those where it raised :class:`Failure` (said as it happened)."""
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("SQLite", lambda: _sqlite(Path(tmp)))]
        admin = admin_url()
        if admin is not None:
            engines.append(("PostgreSQL", lambda: contextmanager(_throwaway_postgres)(admin)))
        for name, database in engines:
            try:
                with database() as url:
                    measure(name, url, Path(tmp))
            except Failure as failure:
                print(f"FAILED ({name}): {failure}")
                failures.append(name)
        if admin is None:
            print("PostgreSQL: not reachable at 127.0.0.1:5432, skipped")
    return failures


@contextmanager
def _sqlite(tmp: Path):
    yield f"sqlite:///{tmp / 'bench.db'}"
