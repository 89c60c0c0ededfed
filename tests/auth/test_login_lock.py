"""SQLite: checking a password (argon2, tens of milliseconds) holds no write lock, so that a
crowd of phones logging in does not hold up every other request (bench/load.py)."""

import os

import pytest
from sqlalchemy import text

from fieldapp import create_app, roles
from fieldapp.auth import services as auth_services
from fieldapp.auth.accounts import create_user
from fieldapp.extensions import db
from tests.test_sqlite_transactions import another_writer_gets_in

pytestmark = pytest.mark.skipif(os.environ.get("FIELDAPP_TEST_ENGINE") == "postgresql",
                                reason="SQLite's write lock; PostgreSQL has row locks")
PASSWORD = "một mật khẩu dài"


@pytest.fixture()
def sqlite_app(tmp_path):
    path = tmp_path / "logins.db"
    app = create_app({"ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.session.execute(text("CREATE TABLE note (body TEXT)"))
        user, _ = create_user(None, username="quantri", role=roles.ADMIN, places=[],
                              full_name="Quản Trị", password=PASSWORD)
        user.must_change_password = False
        db.session.commit()
        yield app, path
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("password, status", [(PASSWORD, 201), ("sai mật khẩu", 401)],
                         ids=["right", "wrong"])
def test_the_password_check_holds_no_write_lock(sqlite_app, monkeypatch, password, status):
    app, path = sqlite_app
    seen = []
    real = auth_services.verify_password

    def verify(password_hash, given):
        seen.append(another_writer_gets_in(path))
        return real(password_hash, given)

    monkeypatch.setattr(auth_services, "verify_password", verify)
    answer = app.test_client().post("/api/v1/tokens", json={
        "username": "quantri", "password": password, "device_name": "Máy thử"})
    assert answer.status_code == status
    assert seen == [True]
