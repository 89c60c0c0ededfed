"""Field sync under load, and what a phone downloads.

For SQLite, then (when one answers) a throwaway PostgreSQL database, with gunicorn (2 workers)
on a migrated database holding the demo commune: a collaborator's 20,000 new-child submissions
in batches of 100 from concurrent clients (rate, p50/p95 batch latency; every one accepted, the
database holding exactly that many, a resent batch all duplicates); the packet of a village of
250 children; and, in Chromium through a counting proxy, the bytes of the login page, of the
first visit of /collect (service worker and what it precaches included) and of an offline
reload; then a collector's whole journey on a fresh phone, in the order they go (/login, log
in, home, /collect until ready offline, with the packet of a 50-child village). Targets:
>= 2,000 submissions/s on SQLite (2 workers, 2 cores), first visit <= 60 KB, journey
<= 60 KB, offline reload 0 bytes. Exits non-zero only on a functional failure. BENCH_SUBMISSIONS and
BENCH_CLIENTS change the load.
"""

import gzip
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engines import on_each_engine  # noqa: E402
from bench.server import Failure, gunicorn  # noqa: E402
from bench.sync_phone import (  # noqa: E402
    BATCH,
    batches,
    breakdown,
    call,
    decoded,
    measure_journey,
    measure_phone,
    post_all,
)
from fieldapp import create_app, roles  # noqa: E402
from fieldapp.auth.accounts import create_user  # noqa: E402
from fieldapp.children import services  # noqa: E402
from fieldapp.demo import COMMUNE, DEMO_PASSWORD, seed  # noqa: E402
from fieldapp.demo_register import PEOPLE  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.places.services import create_village, load_places  # noqa: E402

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 20_000))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 4))
COLLECTOR, VILLAGES = "ctv2", ["03808-002", "03808-003"]  # the demo collaborator
PHONE_USER, BIG_USER, BIG_VILLAGE = "ctvdienthoai", "ctvnamtram", 250
JOURNEY_USER, JOURNEY_VILLAGE = "ctvnammuoi", 50
TARGET_RATE, TARGET_FIRST, TARGET_JOURNEY = 2_000, 60_000, 60_000


def prepare(url: str) -> None:
    """Migrate, load places, seed the demo commune; add villages of 250 and of 50 children and
    three collaborators (one of demo village 03808-002 for the phone, one of each new
    village)."""
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        load_places()
        officer = seed()[0]
        village = create_village(None, COMMUNE, "Bản Năm Trăm")
        _register(officer, village.code, BIG_VILLAGE, random.Random(250), date.today())
        small = create_village(None, COMMUNE, "Bản Năm Mươi")
        _register(officer, small.code, JOURNEY_VILLAGE, random.Random(50), date.today())
        for username, places in ((PHONE_USER, [VILLAGES[0]]), (BIG_USER, [village.code]),
                                 (JOURNEY_USER, [small.code])):
            user, _ = create_user(None, username=username, role=roles.COLLABORATOR,
                                  places=places, full_name="Cộng Tác Đo", password=DEMO_PASSWORD)
            user.must_change_password = False
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _register(officer, code: str, count: int, rng, today: date) -> None:
    """``count`` invented children of village ``code``, in households of two or three."""
    n = 0
    while n < count:
        family, boys, girls = PEOPLE[rng.choice(list(PEOPLE))]
        surname = rng.choice(family)
        father = f"{surname} {rng.choice(boys)}"
        mother = f"{rng.choice(family)} {rng.choice(girls)}"
        household = services.create_household(officer, {
            "head_name": father, "village_code": code, "address": f"Tổ {n % 6 + 1}",
            "poverty_status": rng.choice(["none", "none", "near_poor", "poor"])})
        for _ in range(min(rng.choice((2, 3)), count - n)):
            sex = rng.choice("12")
            born = today - timedelta(days=rng.randint(40, 15 * 365))
            child = {"full_name": f"{surname} {rng.choice(boys if sex == '1' else girls)}",
                     "sex": sex, "date_of_birth": born, "ethnicity_code": "03",
                     "village_code": code, "personal_id": None if n % 5 > 2 else
                     f"014{'2' if sex == '1' else '3'}{born.year % 100:02d}{900000 + n:06d}"}
            record = {"household_id": household.id, "child": child,
                      "caregivers": [{"relation": "father", "full_name": father},
                                     {"relation": "mother", "full_name": mother}]}
            if n % 4 == 0:
                record["circumstances"] = [{"code": "DB04", "since": born + timedelta(days=30),
                                            "detail": {"disability_type": "KT01",
                                                       "disability_level": "MD02"}}]
                record["support"] = [{"form": "TG01", "date": today - timedelta(days=10),
                                      "provider": "UBND xã", "amount_vnd": 360000}]
            services.create_child(officer, record, capture_date=today)
            n += 1


def token_for(port: int, username: str) -> str:
    body = json.dumps({"username": username, "password": DEMO_PASSWORD, "device_name": "bench"})
    status, headers, raw = call(port, "POST", "/api/v1/tokens", body.encode())
    if status != 201:
        raise Failure(f"token for {username}: HTTP {status} {raw[:200]!r}")
    return decoded(headers, raw)["token"]


def statuses(answers, uuids_of) -> list[str]:
    """Every item's status, in order; a batch that failed or answered other items fails."""
    out = []
    for answer, uuids in zip(answers, uuids_of, strict=True):
        status, headers, raw = answer
        if status != 200:
            raise Failure(f"a batch answered HTTP {status}: {raw[:300]!r}")
        results = decoded(headers, raw)["results"]
        if [r["uuid"] for r in results] != uuids:
            raise Failure("a batch's results do not match its submissions")
        out.extend(r["status"] for r in results)
    return out


def throughput(port: int, url: str) -> dict:
    rng = random.Random(2026)
    token = token_for(port, COLLECTOR)
    work = batches(SUBMISSIONS, VILLAGES, rng)  # built before the clock starts
    warm = batches(2 * CLIENTS * BATCH, ["03808-001"], rng)  # not ctv2's: invalid, not stored
    got = statuses(post_all(port, token, [b for _, b in warm], CLIENTS)[0], [u for u, _ in warm])
    if set(got) != {"invalid"}:
        raise Failure(f"warm-up submissions outside the collector's villages: {set(got)}")
    engine = sa.create_engine(url)
    with engine.connect() as conn:  # the demo's own waiting submissions are there already
        before = conn.execute(sa.text("SELECT count(*) FROM submission")).scalar_one()
    failed = []  # 5xx answers, resent
    answers, millis, seconds = post_all(port, token, [body for _, body in work], CLIENTS, failed)
    got = statuses(answers, [uuids for uuids, _ in work])
    refused = [s for s in got if s != "accepted"]
    if refused:
        raise Failure(f"{len(refused)} of {len(got)} submissions not accepted: {set(refused)}")
    warned = sum(bool(r["warnings"]) for a in answers for r in decoded(a[1], a[2])["results"])
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM submission")).scalar_one() - before
    engine.dispose()
    if stored != SUBMISSIONS:
        raise Failure(f"the database holds {stored} submissions, not {SUBMISSIONS}")
    again = statuses(post_all(port, token, [work[0][1]], CLIENTS)[0], [work[0][0]])
    if set(again) != {"duplicate"}:
        raise Failure(f"a resent batch answered {set(again)}, not all duplicate")
    return {"rate": SUBMISSIONS / seconds, "seconds": seconds, "warned": warned, "failed": failed,
            "p50": statistics.median(millis), "stored": stored, "again": len(again),
            "p95": statistics.quantiles(millis, n=20)[18] if len(millis) > 1 else millis[0]}


def packet(port: int) -> dict:
    token = token_for(port, BIG_USER)
    start = time.perf_counter()
    status, headers, raw = call(port, "GET", "/api/v1/packet", token=token)
    millis = (time.perf_counter() - start) * 1000
    if status != 200 or headers.get("Content-Encoding") != "gzip":
        raise Failure(f"packet: HTTP {status}, Content-Encoding {headers.get('Content-Encoding')}")
    plain = gzip.decompress(raw)
    children = len(json.loads(plain)["children"])
    if children != BIG_VILLAGE:
        raise Failure(f"the packet holds {children} children, not {BIG_VILLAGE}")
    return {"gzip": len(raw), "plain": len(plain), "ms": millis}


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def measure(engine_name: str, url: str, tmp: Path, summary: list[str]) -> None:
    """Print one engine's figures; add its line to the targets summary."""
    start, problems = time.perf_counter(), []
    prepare(url)
    print(f"{engine_name}: database ready in {time.perf_counter() - start:.1f} s; gunicorn "
          f"--workers 2, {CLIENTS} client threads, {SUBMISSIONS:,} submissions in batches "
          f"of {BATCH}")
    with gunicorn(url, tmp) as port:
        t = throughput(port, url)
        rate_note = (f"target >= {TARGET_RATE:,}/s: {verdict(t['rate'] >= TARGET_RATE)}"
                     if engine_name == "SQLite" else "(the target is for SQLite)")
        print(f"  throughput     {t['rate']:8,.0f} submissions/s ({t['seconds']:.1f} s)   "
              f"{rate_note}")
        print(f"  batch latency  p50 {t['p50']:7.1f} ms   p95 {t['p95']:7.1f} ms")
        print(f"  all {SUBMISSIONS:,} accepted ({t['warned']:,} with warnings); the database "
              f"holds {t['stored']:,}; a resent batch: {t['again']} duplicate")
        if t["failed"]:
            problems.append(f"{len(t['failed'])} batch answers were HTTP 5xx")
            causes = Counter(line.strip()[:110] for line in (tmp / "gunicorn.log").read_text(
                errors="replace").splitlines() if line.startswith(("sqlalchemy.exc", "psycopg")))
            print(f"  !! {len(t['failed'])} batch answers were HTTP "
                  f"{sorted({f[0] for f in t['failed']})} (after a median "
                  f"{statistics.median(f[1] for f in t['failed']):.0f} ms) and were sent again; "
                  f"the gunicorn log says: {dict(causes) or 'nothing'}")
        p = packet(port)
        print(f"  packet of a {BIG_VILLAGE}-child village: {p['gzip']:,} B gzip "
              f"({p['plain']:,} B uncompressed), {p['ms']:.0f} ms")
        try:
            phone = measure_phone(port, PHONE_USER, DEMO_PASSWORD)
            journey = measure_journey(port, JOURNEY_USER, DEMO_PASSWORD)
        except (PlaywrightError, AssertionError) as error:
            raise Failure(f"the phone in Chromium: {error}") from error
    login = sum(r["down"] for r in phone["login"])
    first = sum(r["down"] for r in phone["first"])
    detail = engine_name == "SQLite"  # the same requests on every engine: listed once
    print(f"  login page (/login?next=/collect, what it loads, the POST): {login:,} B to the "
          f"phone, headers included ({len(phone['login'])} requests)")
    print("\n".join(breakdown(phone["login"])) if detail else "      (requests as above)")
    print(f"  first visit of /collect: {first:,} B to the phone, headers included "
          f"({len(phone['first'])} requests, {sum(r['up'] for r in phone['first']):,} B from "
          f"it; the page alone without its worker, by CDP: {phone['cdp_first']:,} B)   "
          f"target <= {TARGET_FIRST:,} B: {verdict(first <= TARGET_FIRST)}")
    print("\n".join(breakdown(phone["first"])) if detail else "      (requests as above)")
    offline = phone["offline_bytes"]
    print(f"  offline reload: {offline} B crossed the network ({phone['offline_attempts']} "
          f"connection attempts, refused by the proxy); #sync-status shown: "
          f"{phone['offline_shown']} ({phone['offline_children']})   "
          f"target 0 B: {verdict(offline == 0)}")
    if not phone["offline_shown"]:
        problems.append("the offline reload of /collect did not show its content")
    total = print_journey(journey, detail)
    if not journey["offline_shown"]:
        problems.append("the offline reload after the journey did not show /collect")
    summary.append(
        f"  {engine_name:<10} throughput {t['rate']:,.0f}/s: "
        f"{verdict(t['rate'] >= TARGET_RATE) if engine_name == 'SQLite' else 'no target'}"
        f" | first visit {first:,} B: {verdict(first <= TARGET_FIRST)}"
        f" | journey {total:,} B: {verdict(total <= TARGET_JOURNEY)}"
        f" | offline reload {offline} B: {verdict(offline == 0)}")
    if problems:
        raise Failure("; ".join(problems))


def print_journey(journey: dict, detail: bool = True) -> int:
    """Print the collector's journey (bytes to the phone, headers included, step by step and,
    with ``detail``, request by request) and its offline reload; returns the journey's bytes."""
    steps = journey["steps"]
    total = sum(r["down"] for records in steps.values() for r in records)
    count = sum(len(records) for records in steps.values())
    print(f"  journey of a collector of a {JOURNEY_VILLAGE}-child village, fresh phone: "
          f"/login, log in, home, /collect until ready offline: {total:,} B to the phone, "
          f"headers included ({count} requests, the service worker's too)   "
          f"target <= {TARGET_JOURNEY:,} B: {verdict(total <= TARGET_JOURNEY)}")
    for name, records in steps.items():
        print(f"    {sum(r['down'] for r in records):>8,} B  {name} ({len(records)} requests)")
        if detail:
            print("\n".join(breakdown(records)))
    offline = journey["offline_bytes"]
    print(f"  offline reload after the journey: {offline} B crossed the network; /collect "
          f"shown: {journey['offline_shown']}; console errors: "
          f"{journey['offline_errors'] or 'none'}   target 0 B: {verdict(offline == 0)}")
    if journey["errors"]:
        print(f"  !! console errors on the journey: {journey['errors']}")
    return total


def main() -> int:
    summary: list[str] = []
    failures = on_each_engine(lambda name, url, tmp: measure(name, url, tmp, summary))
    print("Targets:\n" + "\n".join(summary))
    if failures:
        print(f"Functional failures on: {', '.join(failures)} (see FAILED above)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
