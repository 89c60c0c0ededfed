"""How long a password check and a whole login take (argon2id t=2, m=19 MiB, p=1).

Prints figures; no target is asserted here. Run with `make bench`.
"""

import re
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.auth.passwords import hash_password, verify_password
from fieldapp.demo import DEMO_PASSWORD, seed
from fieldapp.extensions import db


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, millis: list[float]) -> None:
    print(f"{name:<28} median {statistics.median(millis):7.1f} ms   max {max(millis):7.1f} ms")


def main() -> None:
    stored = hash_password("bench-password")
    report("argon2id hash", timed(lambda: hash_password("bench-password"), 10))
    report("argon2id verify", timed(lambda: verify_password(stored, "bench-password"), 10))
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DEMO": True,
                          "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}"})
        with app.app_context():
            upgrade()
            seed()
            db.session.commit()
        client = app.test_client()

        def login_and_out():
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            client.post("/login", data={"csrf_token": token, "username": "canbo",
                                        "password": DEMO_PASSWORD})
            home = client.get("/").get_data(as_text=True)
            token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)
            client.post("/logout", data={"csrf_token": token})

        report("login + home + logout", timed(login_and_out, 20))


if __name__ == "__main__":
    main()
