"""The indicators at commune and province scale (issue 15 §4).

SQLite: a commune of 5,000 children. PostgreSQL (when one answers): a province of 1,000,000
children in 200 communes (BENCH_REPORT_CHILDREN for a smaller one), and a commune of it.
Both with circumstances, support, verification and two years of history (bench/report_data.py);
the load time is printed. Measured: ``reports.services.report`` (commune: median of 5 runs
after a warm-up; province: median of 3), against a baseline, a plain count of the place's
known child periods. Targets (README): the commune under 100 ms on SQLite, the province
under 2 s on PostgreSQL. Checked: every indicator's total and breakdowns against a
straightforward recount in Python (bench.report_check) of the commune, 5 communes of the
province and the province's commune breakdown, today and 200 days ago. Exits non-zero when
a target is missed or a number differs.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report_check  # noqa: E402
from bench.engines import Failure, run_on_each_engine  # noqa: E402
from bench.report_data import Register, places  # noqa: E402
from fieldapp import create_app, roles  # noqa: E402
from fieldapp.auth.accounts import create_user  # noqa: E402
from fieldapp.children.models import ChildPeriod  # noqa: E402
from fieldapp.children.periods import end_of_day, known_at  # noqa: E402
from fieldapp.clock import today as vietnam_today  # noqa: E402
from fieldapp.db import utcnow  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.places.models import Commune  # noqa: E402
from fieldapp.places.services import load_places  # noqa: E402

COMMUNE, COMMUNE_CHILDREN = "03808", 5_000
PROVINCE_CHILDREN = int(os.environ.get("BENCH_REPORT_CHILDREN", 1_000_000))
PROVINCE_COMMUNES, VILLAGES, SAMPLE = 200, 6, 5
TARGETS = {"commune": 100.0, "province": 2000.0}  # milliseconds
PAST = 200  # days: the second date checked, where the history matters


def period_start(day: date) -> date:
    """The day after 15/11 before ``day``: the bench's own period (the app reads the
    province's calendar; a period fixed here keeps the recount independent of it)."""
    cut = date(day.year, 11, 15)
    return (cut if cut < day else date(day.year - 1, 11, 15)) + timedelta(days=1)


def prepare(url: str, communes: list[str] | None, per_commune: int, count: int = 1):
    """An app on a fresh database holding ``per_commune`` children in each of the communes
    (``None``: the ``count`` communes of the province with most, invented ones added);
    the app and its commune codes. Prints what was loaded and how long it took."""
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        load_places()
        db.session.commit()
        if communes is None:
            communes = _province_communes(count)
        province = db.session.scalar(sa.select(Commune.province_code)
                                     .where(Commune.code == communes[0])) or communes[0][:2]
        start = time.perf_counter()
        villages = places(db.session.connection(), communes, province, VILLAGES)
        user, _ = create_user(None, username="canbo", role=roles.COMMUNE_OFFICER,
                              places=[communes[0]], password="bench-password")
        db.session.commit()
        register = Register(vietnam_today(), utcnow(), 2026, user.id)
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql:  # no foreign key triggers while loading: SQLite's run checks them
            db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for n, commune in enumerate(communes, 1):
            register.commune(commune, province, villages[commune], per_commune)
            register.flush(db.session.connection())
            if n % 10 == 0 or n == len(communes):
                db.session.commit()
                if postgresql and n < len(communes):
                    db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        seconds = time.perf_counter() - start
        print(f"  loaded {register.count['children']:,} children in {len(communes)} commune(s)"
              f" in {seconds:.1f} s ({register.count['children'] / seconds:,.0f} a second): "
              f"{register.count['periods']:,} child periods, "
              f"{register.count['memberships']:,} circumstance and support rows, "
              f"{register.count['membership_periods']:,} membership periods")
        if postgresql:
            start = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
            print(f"  VACUUM ANALYZE in {time.perf_counter() - start:.1f} s")
    return app, communes


def _province_communes(count: int) -> list[str]:
    """The province with most communes: its communes, then invented codes (9xxxx) to
    ``count``."""
    province = db.session.execute(
        sa.select(Commune.province_code).group_by(Commune.province_code)
        .order_by(sa.func.count().desc(), Commune.province_code).limit(1)).scalar_one()
    codes = list(db.session.scalars(sa.select(Commune.code).where(
        Commune.province_code == province).order_by(Commune.code).limit(count)))
    return codes + [f"9{n:04d}" for n in range(count - len(codes))]


def timed(fn, runs: int) -> float:
    """The median milliseconds of ``runs`` calls after one warm-up."""
    fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return statistics.median(out)


def baseline(place: str, day: date) -> int:
    column = ChildPeriod.commune_code if len(place) == 5 else ChildPeriod.province_code
    return db.session.scalar(sa.select(sa.func.count()).select_from(ChildPeriod).where(
        column == place, known_at(end_of_day(day))))


def judge(label: str, place: str, runs: int, target: float | None, failures: list) -> None:
    """Time the report of ``place`` today and the baseline; print them against ``target``."""
    from fieldapp.reports.services import report

    day = vietnam_today()
    millis = timed(lambda: report(place, day, start=period_start(day)), runs)
    base = timed(lambda: baseline(place, day), runs)
    verdict = "" if target is None else \
        f"; target < {target:.0f} ms: {'met' if millis < target else 'NOT MET'}"
    print(f"  {label:<34} p50 {millis:8.1f} ms (median of {runs}){verdict}")
    print(f"  {'  baseline: count of known periods':<34} p50 {base:8.1f} ms; "
          f"the report is {millis / base:.0f}× the baseline")
    if target is not None and millis >= target:
        failures.append(f"the {label} took {millis:.0f} ms, over {target:.0f} ms")


def check(places_: list[str], province: str | None, failures: list) -> None:
    """The report against the recount at today and ``PAST`` days ago."""
    from fieldapp.reports.services import report

    today = vietnam_today()
    for day in (today, today - timedelta(days=PAST)):
        start = period_start(day)
        counted = {p: report_check.recount(db.session, p, day, start) for p in places_}
        shown = {p: report_check.results(report(p, day, start=start)) for p in places_}
        whole = report_check.results(report(province, day, start=start)) if province else None
        failures += report_check.table(f"at {day:%d/%m/%Y} (period from {start:%d/%m/%Y})",
                                       shown, counted, whole)
        db.session.rollback()


def measure(engine_name: str, url: str) -> None:
    failures: list[str] = []
    if engine_name == "SQLite":
        print(f"{engine_name}: a commune of {COMMUNE_CHILDREN:,} children")
        app, _ = prepare(url, [COMMUNE], COMMUNE_CHILDREN)
        with app.app_context():
            check([COMMUNE], None, failures)
            judge(f"commune report ({COMMUNE})", COMMUNE, 5, TARGETS["commune"], failures)
            db.session.execute(sa.text("ANALYZE"))  # the app never runs it: not judged
            db.session.commit()
            judge("  the same after ANALYZE", COMMUNE, 5, None, failures)
            db.engine.dispose()
    else:
        per = max(PROVINCE_CHILDREN // PROVINCE_COMMUNES, 1)
        print(f"{engine_name}: a province of {per * PROVINCE_COMMUNES:,} children in "
              f"{PROVINCE_COMMUNES} communes")
        app, communes = prepare(url, None, per, PROVINCE_COMMUNES)
        province = _province_of(app, communes[0])
        sample = communes[:: len(communes) // SAMPLE][:SAMPLE]
        with app.app_context():
            check(sample, province, failures)
            judge(f"province report ({province})", province, 3, TARGETS["province"],
                  failures)
            judge(f"commune report ({sample[0]}, {per:,})", sample[0], 5, None, failures)
            db.engine.dispose()
    if failures:
        raise Failure("; ".join(failures))


def _province_of(app, commune: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Commune.province_code).where(
            Commune.code == commune))


if __name__ == "__main__":
    sys.exit(run_on_each_engine(measure))
