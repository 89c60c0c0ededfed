"""The register at province scale: 200,000 children in 40 communes.

Prints, for SQLite and (when one answers) PostgreSQL: the load time, and p50/p95 through the
real Flask stack of the officer's list (first page, and a page 5,000 rows deep) and of a
diacritics-insensitive name search. Targets (README): list p95 < 50 ms, search p95 < 100 ms
on SQLite on a 2-core machine. Set BENCH_CHILDREN to change the size.
"""

import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fieldapp import create_app  # noqa: E402
from fieldapp.auth.accounts import create_user  # noqa: E402
from fieldapp.children.models import Child, Circumstance, Household  # noqa: E402
from fieldapp.children.queries import SORTS, encode_cursor  # noqa: E402
from fieldapp.children.search import fold  # noqa: E402
from fieldapp.db import utcnow  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.places.models import Commune, Village  # noqa: E402
from fieldapp.places.services import load_places  # noqa: E402
from tests.conftest import _throwaway_postgres  # noqa: E402
from tests.postgres_url import admin_url  # noqa: E402

CHILDREN = int(os.environ.get("BENCH_CHILDREN", 200_000))
COMMUNES = 40
RUNS = 40
FAMILY = ["Nguyễn", "Trần", "Lê", "Lò", "Cầm", "Quàng", "Giàng", "Thào", "Đặng", "Hà", "Vì"]
MIDDLE = ["Văn", "Thị", "Minh", "A", "Ngọc", "Đức"]
GIVEN = ["An", "Bình", "Hoa", "Lan", "Pọm", "Dế", "Xuân", "Hùng", "Ánh", "Khoa", "Mai", "Sử"]
PASSWORD = "bench-password"


def load(app) -> float:
    """Fill the database; return the seconds it took."""
    rng = random.Random(7)
    start = time.perf_counter()
    with app.app_context():
        upgrade()
        load_places()
        communes = db.session.scalars(select(Commune.code).order_by(Commune.code)
                                      .limit(COMMUNES)).all()
        villages = []
        for commune in communes:
            for n in range(1, 9):
                villages.append(Village(code=f"{commune}-{n:03d}", commune_code=commune,
                                        name=f"Bản {n}"))
        db.session.add_all(villages)
        db.session.flush()
        province = {c.code: c.province_code for c in db.session.scalars(select(Commune))}
        _children(rng, villages, province)
        officer, _ = create_user(None, username="canbo", role="commune_officer",
                                 places=[communes[0]], password=PASSWORD)
        officer.must_change_password = False
        db.session.commit()
    return time.perf_counter() - start


def _children(rng, villages, province) -> None:
    today = date.today()
    households, children, circumstances = [], [], []
    for i in range(CHILDREN):
        village = villages[i % len(villages)]
        if i % 2 == 0:
            household = uuid.uuid4()
            households.append({"id": household, "village_code": village.code,
                               "commune_code": village.commune_code, "head_name": "Chủ hộ",
                               "address": "", "poverty_status": "none",
                               "created_at": utcnow(), "updated_at": utcnow()})
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        child = uuid.uuid4()
        children.append({
            "id": child, "household_id": household, "village_code": village.code,
            "commune_code": village.commune_code, "province_code": province[village.commune_code],
            "personal_id": None if i % 3 else f"014{rng.randint(200000000, 399999999)}",
            "full_name": name, "name_key": fold(name), "sex": rng.choice("12"),
            "date_of_birth": today - timedelta(days=rng.randint(1, 16 * 365 - 2)),
            "ethnicity_code": "03", "nationality": "VN", "current_residence": "", "address": "",
            "schooling_status": None, "version": 1, "created_at": utcnow(), "updated_at": utcnow(),
        })
        if i % 10 == 0:
            circumstances.append({"id": uuid.uuid4(), "child_id": child, "code": "DB04",
                                  "detail": {}, "since": today, "note": ""})
    for table, rows in ((Household, households), (Child, children),
                        (Circumstance, circumstances)):
        for start in range(0, len(rows), 10_000):
            db.session.execute(sa.insert(table), rows[start:start + 10_000])


def timed(fn) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def deep_cursor(app, rows: int) -> str:
    with app.app_context():
        officer_commune = db.session.scalar(select(Child.commune_code).order_by(
            Child.commune_code).limit(1))
        key, ident = db.session.execute(
            select(Child.name_key, Child.id).where(Child.commune_code == officer_commune)
            .order_by(*SORTS["name"]).offset(rows).limit(1)).one()
    return encode_cursor([key, str(ident)])


def measure(engine_name: str, url: str) -> None:
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    seconds = load(app)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "username": "canbo", "password": PASSWORD})
    home = client.get("/children/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)
    cursor = deep_cursor(app, min(5000, CHILDREN // COMMUNES - 60))
    headers = {"HX-Request": "true"}

    def post(**form):
        response = client.post("/children/", data={"csrf_token": token, "status": "all",
                                                   **form}, headers=headers)
        assert response.status_code == 200, response.status_code

    figures = {
        "list, first page": timed(lambda: post()),
        "list, 5,000 rows deep": timed(lambda: post(after=cursor)),
        "search 'nguyen van'": timed(lambda: post(q="nguyen van")),
    }
    print(f"{engine_name}: {CHILDREN:,} children in {COMMUNES} communes loaded in {seconds:.1f} s")
    for name, millis in figures.items():
        p95 = statistics.quantiles(millis, n=20)[18]
        print(f"  {name:<24} p50 {statistics.median(millis):6.1f} ms   p95 {p95:6.1f} ms")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    admin = admin_url()
    if admin is None:
        print("PostgreSQL: not reachable, skipped")
        return
    for url in _throwaway_postgres(admin):
        measure("PostgreSQL", url)


if __name__ == "__main__":
    main()
