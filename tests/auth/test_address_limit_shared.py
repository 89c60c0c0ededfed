"""Two processes on one database (as two gunicorn workers are) share the per-address count:
failures seen by one are refused by the other."""

import json
import os
import subprocess
import sys

import pytest
from flask_migrate import upgrade

from fieldapp import create_app
from fieldapp.extensions import db
from tests.conftest import _throwaway_postgres
from tests.postgres_url import admin_url

ADDRESS, OTHER = "203.0.113.9", "198.51.100.9"


@pytest.fixture()
def shared_url(tmp_path):
    """A database of its own: the instances commit for real, outside the test transaction."""
    if os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    yield from _throwaway_postgres(admin_url())


CONFIG = {"ENV": "test", "TESTING": True, "SECRET_KEY": "x",
          "LOGIN_ADDRESS_LIMIT": "3 per 15 minutes"}
# Another worker: its own process, its own app, the same database; prints its answers.
WORKER = """
import json, sys
from fieldapp import create_app
app = create_app({**json.loads(sys.argv[1]), "DATABASE_URL": sys.argv[2]})
for address in sys.argv[3:]:
    answer = app.test_client().post("/api/v1/tokens", environ_base={"REMOTE_ADDR": address},
        json={"username": "nguoi-moi", "password": "sai-mat-khau", "device_name": "Máy thử"})
    print(answer.status_code)
"""


@pytest.fixture()
def worker(shared_url):
    app = create_app({**CONFIG, "DATABASE_URL": shared_url})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def ask_token(app, username: str, address: str):
    return app.test_client().post("/api/v1/tokens", environ_base={"REMOTE_ADDR": address}, json={
        "username": username, "password": "sai-mat-khau", "device_name": "Máy thử"})


def other_worker(url: str, *addresses: str) -> list[int]:
    command = [sys.executable, "-c", WORKER, json.dumps(CONFIG), url, *addresses]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return [int(line) for line in done.stdout.split()]


def test_two_processes_share_the_count(worker, shared_url):
    assert [ask_token(worker, f"nguoi{i}", ADDRESS).status_code for i in range(3)] == [401] * 3
    assert other_worker(shared_url, ADDRESS, OTHER) == [429, 401]
    assert ask_token(worker, "nguoi-khac", OTHER).status_code == 401
    assert ask_token(worker, "nguoi-khac", ADDRESS).status_code == 429
