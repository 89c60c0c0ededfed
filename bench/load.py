"""The server under load: 200 collectors' phones and 5 officers at once, for a bounded time.

For SQLite, then (when one answers) a throwaway PostgreSQL database, with gunicorn on a
migrated database holding the demo commune, 200 collaborators (50 in each demo village, their
phones logged in already) and 5 commune officers: locust, headless, on the loopback, runs
bench/load_users.py (200 collectors syncing batches of 1–10 new children and fetching the
packet and their feed, 5 officers reading the inbox and the register) for BENCH_LOAD_SECONDS
(120). It prints p50, p95 and p99 per endpoint, requests and errors, CPU, the submissions
stored, and checks against the database that every receipt the clients got is stored exactly
once. Targets: p95 under 500 ms for POST /api/v1/submissions and under 300 ms for
GET /api/v1/submissions, 0 errors. Exits non-zero on an error or a receipt not stored once
(a missed latency target is reported, not a failure: it moves with the machine's load).
BENCH_LOAD_USERS (205) and BENCH_WORKERS (gunicorn's, 4) change the load,
BENCH_LOAD_WAIT_MIN/MAX a collector's pause (5–15 s), BENCH_ENGINES the engines.
"""

import csv
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engines import on_each_engine  # noqa: E402
from bench.server import Failure, gunicorn  # noqa: E402
from fieldapp import create_app, roles  # noqa: E402
from fieldapp.auth import tokens  # noqa: E402
from fieldapp.auth.accounts import create_user  # noqa: E402
from fieldapp.auth.models import User  # noqa: E402
from fieldapp.children.models import Child, ChildChange, Household  # noqa: E402
from fieldapp.collection.models import Submission, SubmissionConflict  # noqa: E402
from fieldapp.demo import COMMUNE, DEMO_PASSWORD, seed  # noqa: E402
from fieldapp.extensions import db  # noqa: E402

# Not imported from the locustfile: importing locust monkey-patches this process (gevent).
COLLECTORS = [f"ctvtai{n:03d}" for n in range(1, 201)]
OFFICERS = ["canbo"] + [f"canbotai{n}" for n in range(1, 5)]  # canbo is the demo's
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", 120))
USERS = int(os.environ.get("BENCH_LOAD_USERS", len(COLLECTORS) + len(OFFICERS)))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
LOCUST = Path(sys.executable).parent / "locust"
SERVER_SIDE = ("POST /api/v1/submissions", "GET /api/v1/submissions", "GET /api/v1/packet",
               "GET /review", "GET /children/")
TARGETS = {"POST /api/v1/submissions": 500, "GET /api/v1/submissions": 300}


def prepare(url: str) -> dict[str, str]:
    """Migrate, load places, seed the demo commune, add the collectors and officers; each
    collector's phone is logged in already (phones stay logged in): their bearer tokens."""
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        seed()
        villages = [f"{COMMUNE}-{n:03d}" for n in range(1, 5)]  # the demo's four
        secrets = {}
        for n, username in enumerate(COLLECTORS):
            user = _account(username, roles.COLLABORATOR, [villages[n % len(villages)]])
            secrets[username] = tokens.issue(user, "Điện thoại đo tải")[1]
        for username in OFFICERS[1:]:  # the first is the demo's canbo
            _account(username, roles.COMMUNE_OFFICER, [COMMUNE])
        # The register as of yesterday: just seeded, every child would count as changed in
        # the packet's deltas (the cursor lags two minutes) for the first minutes of the run.
        for model, column in ((Child, "updated_at"), (Household, "updated_at"),
                              (ChildChange, "at")):
            for row in db.session.scalars(sa.select(model)):
                setattr(row, column, getattr(row, column) - timedelta(days=1))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return secrets


def _account(username: str, role: str, places: list[str]):
    user, _ = create_user(None, username=username, role=role, places=places,
                          full_name="Người Đo Tải", password=DEMO_PASSWORD)
    user.must_change_password = False
    return user


def run_locust(port: int, tmp: Path, secrets: dict[str, str]) -> dict:
    """Run locust headless against ``port``; its stats rows, receipts and CPU seconds."""
    receipts = tmp / "receipts.json"
    accounts = json.dumps({"collectors": secrets, "officers": OFFICERS})
    env = {**os.environ, "BENCH_LOAD_RECEIPTS": str(receipts), "BENCH_LOAD_ACCOUNTS": accounts,
           "BENCH_LOAD_PASSWORD": DEMO_PASSWORD, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(LOCUST), "-f", str(ROOT / "bench" / "load_users.py"), "--headless",
         "-u", str(USERS), "-r", "50", "-t", f"{SECONDS}s", "--stop-timeout", "10",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(tmp / "locust"),
         "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not receipts.exists():
        raise Failure(f"locust exited {done.returncode}: {done.stderr[-1500:]}")
    warnings = [line for line in done.stderr.splitlines() if "CPU usage" in line]
    with open(tmp / "locust_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    with open(tmp / "locust_failures.csv") as failures:
        errors = list(csv.DictReader(failures))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"rows": rows, "errors": errors, "receipts": json.loads(receipts.read_text()),
            "wall": wall, "cpu": cpu, "warnings": warnings}


def server_times(path: Path) -> dict[str, list[float]]:
    """The worker's milliseconds per endpoint, from gunicorn's access log (ids as <id>)."""
    times: dict[str, list[float]] = {}
    for line in path.read_text().splitlines():
        method, url, _status, ms = line.split()
        name = f"{method} {re.sub(r'/[0-9a-f-]{36}', '/<id>', url)}"
        times.setdefault(name, []).append(float(ms))
    return times


def check_stored(url: str, receipts: dict[str, str]) -> dict:
    """Compare the collectors' stored submissions with the receipts the clients got."""
    engine = sa.create_engine(url)
    users = sa.select(User.id).where(User.username.in_(COLLECTORS))
    with engine.connect() as conn:
        ids = [str(i) for i in conn.scalars(
            sa.select(Submission.id).where(Submission.user_id.in_(users)))]
        conflicts = conn.scalar(sa.select(sa.func.count()).select_from(SubmissionConflict))
    engine.dispose()
    stored = set(ids)
    return {"stored": len(ids), "receipts": len(receipts),
            "twice": len(ids) - len(stored), "conflicts": conflicts,
            "missing": sorted(set(receipts) - stored), "unreceipted": len(stored - set(receipts))}


def report(engine_name: str, figures: dict, check: dict, summary: list[str]) -> list[str]:
    """Print the table and the check; the problems found."""
    rows = [r for r in figures["rows"] if r["Name"] != "Aggregated"]
    total = next(r for r in figures["rows"] if r["Name"] == "Aggregated")
    print(f"  {'endpoint':<40} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6} ms")
    for r in sorted(rows, key=lambda r: r["Name"]):
        print(f"  {r['Name']:<40} {int(r['Request Count']):>8,} {int(r['Failure Count']):>6} "
              f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6}")
    count, failed = int(total["Request Count"]), int(total["Failure Count"])
    print(f"  {'all':<40} {count:>8,} {failed:>6} {total['50%']:>6} {total['95%']:>6} "
          f"{total['99%']:>6}   {count / SECONDS:.0f} requests/s")
    for line, times in figures["server_errors"].items():
        print(f"  !! gunicorn's log, {times} ×: {line}")
    for error in figures["errors"]:
        print(f"  !! {error['Occurrences']} × {error['Method']} {error['Name']}: "
              f"{error['Error'][:200]}")
    wall = figures["wall"]
    print(f"  CPU: load generator {figures['cpu']:.0f} s, gunicorn {figures['server_cpu']:.0f} s "
          f"in {wall:.0f} s ({100 * figures['cpu'] / wall:.0f}% and "
          f"{100 * figures['server_cpu'] / wall:.0f}% of one core; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
          + (f"; locust warned: {figures['warnings'][0]}" if figures["warnings"] else ""))
    print("  time in the worker (gunicorn's access log), p50 / p95: " + "; ".join(
        f"{name} {statistics.median(ms):.0f} / {_p95(ms):.0f} ms"
        for name, ms in sorted(figures["server_ms"].items()) if name in SERVER_SIDE))
    print(f"  receipts: {check['receipts']:,}; stored for the collectors: {check['stored']:,} "
          f"({check['twice']} twice, {len(check['missing'])} receipted but missing, "
          f"{check['unreceipted']} stored without a receipt, {check['conflicts']} conflicts)")
    problems, verdicts = [], []
    if failed:
        problems.append(f"{failed} requests failed")
    if check["missing"] or check["twice"]:
        problems.append(f"{len(check['missing'])} receipts not stored, {check['twice']} twice")
    for prefix, limit in TARGETS.items():
        worst = max((int(r["95%"]) for r in rows if r["Name"].startswith(prefix)), default=0)
        verdicts.append(f"{prefix} p95 {worst} ms (< {limit}): "
                        f"{'met' if worst < limit else 'MISSED'}")
    once = not check["missing"] and not check["twice"]
    summary.append(f"  {engine_name:<10} " + " | ".join(verdicts) +
                   f" | errors {failed} | every receipt stored once: {'yes' if once else 'NO'}")
    return problems


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def measure(engine_name: str, url: str, tmp: Path, summary: list[str]) -> None:
    start = time.perf_counter()
    secrets = prepare(url)
    print(f"{engine_name}: database ready in {time.perf_counter() - start:.1f} s; gunicorn "
          f"--workers {WORKERS}; locust {USERS} users ({len(OFFICERS)} officers) for "
          f"{SECONDS} s, spawned 50/s; load average {os.getloadavg()[0]:.1f}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The per-address limit on logins stays on, as in production: it counts failures only,
    # and the officers' logins succeed.
    with gunicorn(url, tmp, WORKERS, access_log=True) as port:
        figures = run_locust(port, tmp, secrets)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["server_cpu"] = (after.ru_utime + after.ru_stime - before.ru_utime
                             - before.ru_stime - figures["cpu"])
    figures["server_ms"] = server_times(tmp / "access.log")
    figures["server_errors"] = Counter(
        line.strip()[:150] for line in (tmp / "gunicorn.log").read_text(errors="replace")
        .splitlines() if line.startswith(("sqlalchemy.exc", "psycopg", "sqlite3")))
    problems = report(engine_name, figures, check_stored(url, figures["receipts"]), summary)
    if problems:
        raise Failure("; ".join(problems))


def main() -> int:
    summary: list[str] = []
    failures = on_each_engine(lambda name, url, tmp: measure(name, url, tmp, summary))
    print("Targets:\n" + "\n".join(summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
