"""An unexpected error leaves one log line with an error id, the route and the exception's
type — never the statement's values, the message or the URL's query string (a child's name,
a searched name) — and the answer shows the same id (issue 12, finding 2)."""

import re

import pytest
from flask.logging import default_handler
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fieldapp import roles
from fieldapp.children import queries as register_queries
from fieldapp.collection import queries as collection_queries
from fieldapp.extensions import db as _db
from tests.conftest import csrf_token

NAME = "Hoàng Thị Bí Mật"
ERROR_ID = re.compile(r"mã lỗi ([0-9a-f]{8})")


def failing_query(*args, **kwargs):
    """A real statement that fails, carrying a child's name as a parameter."""
    _db.session.execute(text("SELECT no_such_column FROM children WHERE full_name = :name"),
                        {"name": NAME})


def test_the_engine_hides_statement_values_in_its_errors(app, db):
    with pytest.raises(DBAPIError) as failed:
        failing_query()
    assert NAME not in str(failed.value)


@pytest.fixture()
def stderr_log(app):
    """Flask's own handler (to the server's error stream, as under gunicorn) on the app's logger:
    under pytest Flask leaves it off, since pytest's capture handler is there."""
    app.logger.addHandler(default_handler)
    yield
    app.logger.removeHandler(default_handler)


def test_a_failing_search_logs_one_line_without_the_name(client, make, login, caplog, capsys,
                                                         stderr_log):
    login(make.user(roles.COMMUNE_OFFICER))
    token = csrf_token(client, "/children/")
    caplog.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(register_queries, "page", failing_query)
        answer = client.post("/children/?q=" + NAME, data={"csrf_token": token, "q": NAME})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "<h1>Lỗi hệ thống</h1>" in page
    error_id = ERROR_ID.search(page).group(1)
    assert NAME not in page

    lines = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(lines) == 1 and lines[0].exc_info is None  # no traceback: it holds messages
    logged = caplog.text
    assert f"error {error_id} on POST /children/: sqlalchemy.exc." in logged
    assert "at fieldapp/children/views.py" in logged  # where, in the app's code
    err = capsys.readouterr().err
    assert f"error {error_id} on POST /children/" in err
    for output in (logged, err):
        assert NAME not in output and "Bí Mật" not in output and "no_such_column" not in output


def test_the_api_answers_the_same_id_in_its_problem(client, make, caplog):
    from fieldapp.auth import tokens

    village = make.village()
    _, secret = tokens.issue(make.user(roles.COLLABORATOR, [village]), "Máy")
    _db.session.flush()
    caplog.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collection_queries, "own_submissions", failing_query)
        answer = client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 500 and answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["title"] == "Lỗi hệ thống" and re.fullmatch("[0-9a-f]{8}", problem["error_id"])
    assert f"mã lỗi {problem['error_id']}" in problem["detail"]
    assert f"error {problem['error_id']} on GET /api/v1/submissions: sqlalchemy.exc." \
        in caplog.text
    assert NAME not in caplog.text
