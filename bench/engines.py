"""Running a benchmark on each engine: the embedded SQLite in a temporary folder and, when
one answers at 127.0.0.1:5432, a throwaway PostgreSQL database."""

import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from bench.server import Failure
from tests.conftest import _throwaway_postgres
from tests.postgres_url import admin_url


def on_each_engine(measure: Callable[[str, str, Path], None]) -> list[str]:
    """Call ``measure(engine name, database URL, temporary folder)`` on each engine; the
    names of those where it raised :class:`Failure` (said as it happened). BENCH_ENGINES
    (``sqlite``, ``postgresql`` or both, comma-separated) limits them."""
    failures = []
    wanted = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").lower().split(",")
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("SQLite", lambda: _sqlite(Path(tmp)))] if "sqlite" in wanted else []
        admin = admin_url() if "postgresql" in wanted else ""
        if admin:
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


def run_on_each_engine(measure: Callable[[str, str], None]) -> int:
    """A benchmark's main: ``measure(engine name, database URL)`` on each engine, the time it
    all took; the exit status (1 when a target was missed)."""
    start = time.perf_counter()
    failures = on_each_engine(lambda name, url, _tmp: measure(name, url))
    print(f"({time.perf_counter() - start:.0f} s in all)")
    return 1 if failures else 0


@contextmanager
def _sqlite(tmp: Path):
    yield f"sqlite:///{tmp / 'bench.db'}"
