"""``users create``: an account from the command line, its password from the environment."""

import pytest
import sqlalchemy as sa

from fieldapp.auth.models import User

PASSWORD = "mat-khau-cli-2026"


def create(runner, *args, password=PASSWORD):
    return runner.invoke(
        args=["users", "create", *args], env={"FIELDAPP_NEW_PASSWORD": password}
    )


def test_the_new_account_logs_in_through_the_form(runner, sign_in):
    result = create(runner, "canbo.moi", "--role", "commune_officer", "--place", "03808")
    assert result.exit_code == 0, result.output
    assert result.output == "created canbo.moi (commune_officer)\n"
    browser, answer = sign_in("canbo.moi", PASSWORD)
    assert answer.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_temporary_password_must_be_changed(runner, sign_in):
    places = ["--place", "14", "--temporary"]
    assert create(runner, "so.moi", "--role", "province_viewer", *places).exit_code == 0
    browser, _ = sign_in("so.moi", PASSWORD)
    assert browser.get("/").headers["Location"] == "/account/password"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "boss", "--place", "03808"], PASSWORD, "role: Vai trò không hợp lệ."),
        (["--role", "police", "--place", "99999"], PASSWORD, "places: Không có xã mã 99999."),
        (["--role", "police", "--place", "03808"], "ngan", "password: Mật khẩu phải có ít nhất"),
    ],
)
def test_a_refused_account_exits_with_the_reason(db, runner, args, password, message):
    result = create(runner, "nguoi.sai", *args, password=password)
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(sa.select(User).filter_by(username="nguoi.sai")) is None


def test_command_writes_stay_in_the_test_transaction(db, runner, database_url):
    assert create(runner, "chi.trong.test", "--role", "admin").exit_code == 0
    assert db.session.scalar(sa.select(User).filter_by(username="chi.trong.test")) is not None
    outside = sa.create_engine(database_url)
    try:
        with outside.connect() as conn:
            query = sa.select(sa.func.count()).select_from(User).where(
                User.username == "chi.trong.test"
            )
            assert conn.scalar(query) == 0
    finally:
        outside.dispose()
