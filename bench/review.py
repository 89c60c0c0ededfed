"""The officer's inbox under load: 5,000 waiting submissions, and a bulk approval of 500.

For SQLite, then (when one answers) a throwaway PostgreSQL database: one commune of 10
villages with a register of 3,000 children (bulk inserted, with households and caregivers)
and 5,000 submissions waiting from 5 collaborators, stored through the collection service
(mostly new children, some updates of register children, some of them stale, some received
more than a week ago, a few probable duplicates of register children on purpose). Prints the
median of a few runs of: opening the inbox as the officer (counts + first page; and GET
/review through the real Flask stack when that page exists), the "probable duplicate" filter
page (which reads the pairs stored as submissions arrived), the home's count of the register's
duplicate pairs (stored as the register changed) and GET /, and the bulk approval of 500
clean new children in one transaction (bulk_approve + commit). Every name is invented. No
target is asserted; exits non-zero only when something that must work does not.
BENCH_CHILDREN, BENCH_WAITING change the size.
"""

import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engines import Failure, run_on_each_engine  # noqa: E402
from fieldapp import create_app, roles  # noqa: E402
from fieldapp.auth.accounts import create_user  # noqa: E402
from fieldapp.auth.models import User  # noqa: E402
from fieldapp.children import matching  # noqa: E402
from fieldapp.children.models import Caregiver, Child, Household  # noqa: E402
from fieldapp.children.search import fold  # noqa: E402
from fieldapp.children.services import rebuild_pairs as rebuild_register  # noqa: E402
from fieldapp.collection.models import Submission  # noqa: E402
from fieldapp.collection.schemas import VIETNAM  # noqa: E402
from fieldapp.collection.services import rebuild_pairs as rebuild_waiting  # noqa: E402
from fieldapp.collection.services import receive  # noqa: E402
from fieldapp.db import utcnow  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.places.models import Commune  # noqa: E402
from fieldapp.places.services import create_village, load_places  # noqa: E402
from fieldapp.quality.services import duplicate_count  # noqa: E402
from fieldapp.review import duplicates, queries  # noqa: E402
from fieldapp.review.bulk import bulk_approve  # noqa: E402
from fieldapp.review.queries import Filters  # noqa: E402

CHILDREN = int(os.environ.get("BENCH_CHILDREN", 3_000))
WAITING = int(os.environ.get("BENCH_WAITING", 5_000))
BULK, RUNS, BATCH = 500, 5, 100
COMMUNE, OFFICER, PASSWORD = "03808", "canbo", "bench-password"
COLLECTORS = 5  # each of two villages
VILLAGES = ["Bản Huổi Lặn", "Bản Nà Tăm", "Bản Pá Chè", "Bản Co Muông", "Bản Phiêng Luông",
            "Bản Hua Nặm", "Bản Lọng Sản", "Bản Nong Cóc", "Tiểu khu Chiềng Pấc", "Bản Púng Tra"]
UPDATES, STALE, OVERDUE, PLANTED = 0.10, 0.02, 0.10, 0.01  # shares of the waiting ones
# Invented names from common name parts; any likeness to a real child is chance.
FAMILY = ["Lò", "Cầm", "Quàng", "Lường", "Hà", "Vì", "Tòng", "Điêu", "Nguyễn", "Trần", "Lê",
          "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Giàng", "Thào", "Sùng", "Mùa", "Vàng", "Lầu",
          "Cà", "Lý"]
MIDDLE = {"1": ["Văn", "Minh", "Đức", "Quốc", "Gia", "A", "Hữu", "Công", "Xuân", "Trung"],
          "2": ["Thị", "Ngọc", "Thu", "Bảo", "Khánh", "Mỹ", "Kim", "Thanh", "Hồng", "Diệu"]}
GIVEN = {"1": ["Thanh", "Hùng", "Pọm", "Khoa", "Tiến", "Ban", "An", "Huy", "Bảo", "Anh", "Dế",
               "Chư", "Tủa", "Sử", "Páo", "Xiêng", "Un", "Sinh", "Khăm", "Long", "Phúc", "Nam",
               "Quân", "Tùng", "Sơn", "Hải", "Thắng", "Vinh", "Kiên", "Duy", "Lâm", "Toàn"],
         "2": ["Ánh", "Xuân", "Hoa", "Lả", "Ngọc", "Ín", "Lan", "Hân", "Trang", "Linh", "Mai",
               "Dua", "Pà", "Sua", "Chò", "Ỏn", "Nọi", "Phăn", "Hương", "Nhung", "Yến", "Thảo",
               "Vân", "Hằng", "Quyên", "Nga", "Diệp", "Hiền", "Loan", "Châu", "Thư", "My"]}


def person(rng, sex: str, family: str | None = None) -> str:
    given = rng.sample(GIVEN[sex], 2)
    parts = [family or rng.choice(FAMILY), rng.choice(MIDDLE[sex]), given[0]]
    return " ".join(parts + given[1:] if rng.random() < 0.5 else parts)


def personal_id(sex: str, born: date, serial: int) -> str:
    return f"014{'2' if sex == '1' else '3'}{born.year % 100:02d}{serial:06d}"


# ---- the database ------------------------------------------------------------------------


def prepare(app) -> dict:
    """Migrate, load places, make the commune, the accounts, the register and the inbox."""
    rng, today = random.Random(2026), date.today()
    with app.test_request_context():
        upgrade()
        load_places()
        villages = [create_village(None, COMMUNE, name).code for name in VILLAGES]
        officer, _ = create_user(None, username=OFFICER, role=roles.COMMUNE_OFFICER,
                                 places=[COMMUNE], full_name="Lò Thị Đo", password=PASSWORD)
        officer.must_change_password = False
        collectors = []
        for n in range(COLLECTORS):
            user, _ = create_user(None, username=f"ctvdo{n + 1}", role=roles.COLLABORATOR,
                                  places=villages[2 * n:2 * n + 2], full_name="Cộng Tác Đo",
                                  password=PASSWORD)
            user.must_change_password = False
            collectors.append(user)
        register = _register(rng, villages, today)
        db.session.commit()
        start = time.perf_counter()  # bulk inserted: judged once, as after an upgrade
        rebuild_register(COMMUNE)
        db.session.commit()
        rebuilt = time.perf_counter() - start
        shape = _inbox(rng, collectors, register, today)
        db.session.commit()
        start = time.perf_counter()
        rebuild_waiting(COMMUNE)
        db.session.commit()
        return {"officer": officer.id, "rebuilt": (rebuilt, time.perf_counter() - start),
                **shape}


def _register(rng, villages: list[str], today: date) -> list[dict]:
    """The register, bulk inserted: about two children a household, one or two caregivers."""
    province = db.session.get(Commune, COMMUNE).province_code
    households, children, caregivers, out = [], [], [], []
    now = utcnow()
    for i in range(CHILDREN):
        village = villages[i % len(villages)]
        if i % 2 == 0:
            surname = rng.choice(FAMILY)
            father, mother = person(rng, "1", surname), person(rng, "2")
            household = {"id": uuid.uuid4(), "village_code": village, "commune_code": COMMUNE,
                         "head_name": father, "address": f"Tổ {rng.randint(1, 6)}",
                         "poverty_status": rng.choice(["none", "none", "near_poor", "poor"]),
                         "created_at": now, "updated_at": now}
            households.append(household)
        sex = rng.choice("12")
        born = today - timedelta(days=rng.randint(40, 15 * 365))
        name = person(rng, sex, surname)
        child = {
            "id": uuid.uuid4(), "household_id": household["id"], "village_code": village,
            "commune_code": COMMUNE, "province_code": province,
            "personal_id": None if i % 3 == 2 else personal_id(sex, born, 100_000 + i),
            "full_name": name, "name_key": fold(name), "sex": sex, "date_of_birth": born,
            "ethnicity_code": "03", "nationality": "VN", "current_residence": "",
            "address": "", "schooling_status": None, "created_at": now, "updated_at": now,
            "version": 2 if i % 23 == 0 else 1,  # changed once since the phones' packets
        }
        children.append(child)
        parents = [("mother", mother)] + ([("father", father)] if i % 3 else [])
        for position, (relation, full_name) in enumerate(parents):
            caregivers.append({"id": uuid.uuid4(), "child_id": child["id"],
                               "position": position, "relation": relation,
                               "full_name": full_name, "personal_id": None, "phone": None})
        out.append({**child, "household": household, "caregivers": parents})
    for table, rows in ((Household, households), (Child, children), (Caregiver, caregivers)):
        for start in range(0, len(rows), 5_000):
            db.session.execute(sa.insert(table), rows[start:start + 5_000])
    return out


def _new_item(rng, village: str, today: date, serial: int) -> dict:
    sex = rng.choice("12")
    born = today - timedelta(days=rng.randint(40, 15 * 365))
    surname = rng.choice(FAMILY)
    return {
        "uuid": str(uuid.uuid4()), "kind": "child", "child_id": None, "base_version": None,
        "corrects": None,
        "data": {"household": {"id": None, "ref": str(uuid.uuid4()),
                               "head_name": person(rng, "1", surname),
                               "address": f"Tổ {rng.randint(1, 6)}", "village": village,
                               "poverty_status": rng.choice(["none", "near_poor", "poor"])},
                 "child": {"full_name": person(rng, sex, surname), "sex": sex,
                           "date_of_birth": born.isoformat(), "ethnicity_code": "03",
                           "nationality": "VN", "village": village, "address": "",
                           "current_residence": "", "schooling_status": None,
                           "personal_id": None if serial % 3 else personal_id(sex, born, serial)},
                 "caregivers": [{"relation": "mother", "full_name": person(rng, "2"),
                                 "personal_id": None, "phone": None}],
                 "circumstances": [], "supports": []}}


def _update_item(rng, child: dict) -> dict:
    """An update of a register child from the phone's packet (version 1): a new address."""
    household = child["household"]
    return {
        "uuid": str(uuid.uuid4()), "kind": "child", "child_id": str(child["id"]),
        "base_version": 1, "corrects": None,
        "data": {"household": {"id": str(household["id"]), "ref": None,
                               "head_name": household["head_name"],
                               "address": household["address"],
                               "village": household["village_code"],
                               "poverty_status": household["poverty_status"]},
                 "child": {"full_name": child["full_name"], "sex": child["sex"],
                           "date_of_birth": child["date_of_birth"].isoformat(),
                           "ethnicity_code": "03", "nationality": "VN",
                           "village": child["village_code"],
                           "address": f"Nhà số {rng.randint(1, 90)}, cạnh suối",
                           "current_residence": "", "schooling_status": None,
                           "personal_id": child["personal_id"]},
                 "caregivers": [{"relation": relation, "full_name": name, "personal_id": None,
                                 "phone": None} for relation, name in child["caregivers"]],
                 "circumstances": [], "supports": []}}


def _planted(child: dict, village: str, today: date, serial: int, rng) -> dict:
    """A new child who is a register child again: the same name and birth date."""
    item = _new_item(rng, village, today, serial)
    item["data"]["child"].update(full_name=child["full_name"], sex=child["sex"],
                                 date_of_birth=child["date_of_birth"].isoformat(),
                                 personal_id=None)
    return item


def _inbox(rng, collectors: list, register: list[dict], today: date) -> dict:
    """The waiting submissions, stored through the collection service in batches."""
    by_village: dict[str, list[dict]] = {}
    for child in register:
        by_village.setdefault(child["village_code"], []).append(child)
    updates, stale = round(WAITING * UPDATES), round(WAITING * STALE)
    planted, overdue = round(WAITING * PLANTED), round(WAITING * OVERDUE)
    items, kept = [], set()  # kept: the planted duplicates' uuids
    for n in range(WAITING):
        author = collectors[n % COLLECTORS]
        village = author.villages[n // COLLECTORS % 2].code
        pool = by_village[village]
        if n < updates:
            version = 2 if n < stale else 1
            item = _update_item(rng, rng.choice([c for c in pool if c["version"] == version]))
        elif n < updates + planted:
            item = _planted(rng.choice(pool), village, today, 700_000 + n, rng)
            kept.add(item["uuid"])
        else:
            item = _new_item(rng, village, today, 700_000 + n)
        items.append((author, item))
    rng.shuffle(items)
    _unduplicate(rng, items, kept, today)
    now = utcnow()
    for late in (True, False):  # the first tenth arrived 8 to 20 days ago, the rest lately
        part = items[:overdue] if late else items[overdue:]
        for author in collectors:
            mine = [item for a, item in part if a is author]
            for start in range(0, len(mine), BATCH):
                when = (now - timedelta(days=rng.uniform(8, 20)) if late
                        else now - timedelta(hours=rng.uniform(1, 96)))
                batch = mine[start:start + BATCH]
                for item in batch:
                    item["captured_at"] = (when - timedelta(minutes=rng.randint(5, 600))
                                           ).astimezone(VIETNAM).isoformat()
                results = receive(author, batch, now=when)
                refused = [r for r in results if r["status"] != "accepted"]
                if refused:
                    raise Failure(f"{len(refused)} submissions not accepted: {refused[0]}")
    return {"updates": updates, "stale": stale, "planted": planted, "overdue": overdue,
            "kept": kept}


def _unduplicate(rng, items: list, kept: set, today: date) -> None:
    """Draw again every new child (but the planted ones) that the duplicate finder flags
    against the register, or that is a probable duplicate of another new one by the same
    rules: the bulk approvals must find nothing to skip."""
    pending = None  # the first round checks every one, later rounds the ones drawn again
    for round_ in range(20):
        news = {item["uuid"]: i for i, (_, item) in enumerate(items)
                if item["child_id"] is None and item["uuid"] not in kept}
        checked = news if pending is None else pending
        flagged = set(duplicates.find(COMMUNE, [duplicates.proposal(key, items[i][1]["data"])
                                                for key, i in checked.items()]))
        flagged |= _among_themselves([items[i][1] for i in news.values()])
        if not flagged:
            return
        pending = {}
        for key in flagged:
            author, item = items[news[key]]
            fresh = _new_item(rng, item["data"]["child"]["village"], today,
                              800_000 + 10_000 * round_ + news[key])
            items[news[key]] = (author, fresh)
            pending[fresh["uuid"]] = news[key]
    raise Failure("could not draw new children that are not probable duplicates")


def _among_themselves(news: list[dict]) -> set:
    """The later of each pair of new children that the matcher calls probable duplicates:
    once sent, each would be the other's waiting twin."""
    found = [duplicates.proposal(item["uuid"], item["data"]) for item in news]
    found = [p for p in found if p is not None]
    return {found[max(i, j)].id for i, j in matching.candidates(found)
            if matching.score(found[i], found[j]).probable}


# ---- measuring ---------------------------------------------------------------------------


class Statements:
    """Counts the SQL statements run."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "after_cursor_execute", self._after)

    def _after(self, *args):
        self.count += 1

    def reset(self) -> None:
        self.count = 0


def timed(app, officer_id: int, fn, stats: Statements, runs: int = RUNS) -> dict:
    """Median ms of ``fn(officer)`` over ``runs`` (after one warm-up when there are several),
    each in a fresh request context (a fresh session, as a request has); its statements."""
    millis, count, out = [], 0, None
    for n in range(runs + 1 if runs > 1 else 1):
        with app.test_request_context():
            officer = db.session.get(User, officer_id)
            stats.reset()
            start = time.perf_counter()
            out = fn(officer)
            elapsed = (time.perf_counter() - start) * 1000
            if n or runs == 1:
                millis.append(elapsed)
                count = stats.count
    return {"ms": statistics.median(millis), "queries": count, "runs": len(millis), "out": out}


def line(name: str, t: dict, extra: str = "") -> str:
    return (f"  {name:<44} {'p50' if t['runs'] > 1 else '   '} {t['ms']:7.1f} ms  "
            f"({t['queries']} queries){extra}")


def logged_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "username": OFFICER,
                                         "password": PASSWORD})
    if answer.status_code not in (302, 303):
        raise Failure(f"the officer's login answered HTTP {answer.status_code}")
    return client


def http_page(client, path: str, runs: int = RUNS) -> str:
    """GET ``path`` as the logged-in officer: the median of ``runs`` (after a warm-up when
    there are several), or why it was not measured."""
    millis = []
    for n in range(runs + 1 if runs > 1 else 1):
        start = time.perf_counter()
        answer = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        if answer.status_code == 404 and not n:
            return f"  GET {path}: the page does not exist yet (HTTP 404), not measured"
        if answer.status_code != 200:
            raise Failure(f"GET {path} answered HTTP {answer.status_code}")
        if n or runs == 1:
            millis.append(elapsed)
    return (f"  {'GET ' + path:<44} {'p50' if runs > 1 else '   '} "
            f"{statistics.median(millis):7.1f} ms  ({len(answer.get_data()):,} B of HTML)")


def approve(app, officer_id: int, ids: list, stats: Statements) -> dict:
    with app.test_request_context():
        officer = db.session.get(User, officer_id)
        chosen = db.session.scalars(select(Submission).where(Submission.id.in_(ids))
                                    .order_by(Submission.received_at, Submission.id)).all()
        stats.reset()
        start = time.perf_counter()
        made, skipped = bulk_approve(officer, chosen)
        db.session.commit()
        seconds = time.perf_counter() - start
        if len(made) != len(ids) or skipped:
            raise Failure(f"bulk approval made {len(made)} of {len(ids)} children; skipped: "
                          f"{next(iter(skipped.values()), None)}")
        return {"seconds": seconds, "queries": stats.count}


def clean_batches(app, officer_id: int, kept: set, rounds: int) -> list[list]:
    """The oldest waiting new children but the planted duplicates, ``BULK`` a round."""
    with app.test_request_context():
        officer = db.session.get(User, officer_id)
        news = db.session.scalars(
            queries.waiting(officer).where(Submission.child_id.is_(None))
            .order_by(Submission.received_at, Submission.id)).all()
        ids = [s.id for s in news if str(s.id) not in kept]
    return [ids[n * BULK:(n + 1) * BULK] for n in range(rounds)]


def measure(engine_name: str, url: str) -> None:
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    start = time.perf_counter()
    shape = prepare(app)
    officer = shape["officer"]
    print(f"{engine_name}: {CHILDREN:,} register children in {len(VILLAGES)} villages; "
          f"{WAITING:,} waiting submissions from {COLLECTORS} collaborators "
          f"({WAITING - shape['updates']:,} new children, {shape['planted']} of them planted "
          f"duplicates; {shape['updates']} updates, {shape['stale']} stale; "
          f"{shape['overdue']} overdue); ready in {time.perf_counter() - start:.1f} s")
    print(f"  {'rebuild the stored pairs: register / waiting':<44}     "
          f"{shape['rebuilt'][0]:7.2f} s / {shape['rebuilt'][1]:.2f} s (once, after a bulk load)")
    with app.app_context():
        stats = Statements(db.engine)

    def open_inbox(user):
        return queries.counts(user), queries.page(user, Filters())

    both = timed(app, officer, open_inbox, stats)
    counts = timed(app, officer, queries.counts, stats)
    first = timed(app, officer, lambda user: queries.page(user, Filters()), stats)
    total = counts["out"]["total"]
    if total != WAITING or len(first["out"][0]) != queries.PAGE_SIZE:
        raise Failure(f"the inbox counts {total} and shows {len(first['out'][0])} rows")
    print(line("open the inbox: counts + first page", both))
    print(line("  counts(officer)", counts))
    print(line(f"  page(officer, Filters()), {queries.PAGE_SIZE} rows", first,
               f", {sum(bool(r.duplicates) for r in first['out'][0])} flagged"))
    page_subs = [row.submission for row in first["out"][0]]

    def page_matches(user):  # read from the pairs stored as the submissions arrived
        return duplicates.stored([s.id for s in page_subs if s.child_id is None])

    judge = timed(app, officer, page_matches, stats)
    print(line("  of which the duplicate check of those rows", judge))
    client = logged_in(app)
    print(http_page(client, "/review"))
    dup = timed(app, officer, lambda user: queries.page(user, Filters(flag="duplicate")), stats)
    rows = dup["out"][0]
    if len(rows) != min(shape["planted"], queries.PAGE_SIZE):
        raise Failure(f"the duplicate page shows {len(rows)} rows, not the "
                      f"{shape['planted']} planted duplicates")
    print(line("\"probable duplicate\" page", dup,
               f"; of {WAITING - shape['updates']:,} new children, {len(rows)} shown"))
    print(http_page(client, "/review?flag=duplicate"))
    home = timed(app, officer, lambda user: duplicate_count(user.commune_code), stats)
    print(line("home: probable duplicate pairs of the register", home, f": {home['out']}"))
    print(http_page(client, "/"))
    rounds = 3
    figures = [approve(app, officer, ids, stats)
               for ids in clean_batches(app, officer, shape["kept"], rounds)]
    seconds = statistics.median(f["seconds"] for f in figures)
    f = sorted(figures, key=lambda f: f["seconds"])[len(figures) // 2]
    print(f"  {f'bulk approval of {BULK} clean new children':<44} p50 {seconds:7.2f} s  "
          f"{BULK / seconds:5.0f}/s  ({f['queries']:,} queries; {rounds} rounds: "
          f"{', '.join(format(g['seconds'], '.2f') for g in figures)} s)")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    sys.exit(run_on_each_engine(measure))
