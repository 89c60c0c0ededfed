"""What each engine says when it cannot take a request now, injected at the statement that
meets it: SQLite's "database is locked" and "database or disk is full"; PostgreSQL's lock
timeout, statement timeout and full disk. Each is a 503 with ``Retry-After`` (JSON for the API,
a Vietnamese page for a person), nothing is stored, and nothing is logged but the reason."""

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.auth import tokens
from fieldapp.collection.models import Submission
from tests.conftest import csrf_token
from tests.faults.inject import FAULTS, failing
from tests.submissions import make_item


@pytest.mark.parametrize(("name", "error", "retry", "said"), FAULTS, ids=[f[0] for f in FAULTS])
def test_the_sync_api_answers_503_with_retry_after(client, db, make, caplog, name, error,
                                                   retry, said):
    village = make.village()
    user = make.user(roles.COLLABORATOR, [village])
    secret = tokens.issue(user, "Máy thử")[1]
    db.session.commit()
    item = make_item(village.code)
    item["data"]["child"]["full_name"] = "Lò Thị Riêng Tư"
    with failing(db.engine, "INSERT INTO submission", error):
        answer = client.post("/api/v1/submissions", json={"submissions": [item]},
                             headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == retry
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["title"] == "Máy chủ tạm thời chưa phục vụ được"
    assert said in body["detail"]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert "Lò Thị Riêng Tư" not in caplog.text  # the log names the reason, not the data

    answer = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers={"Authorization": f"Bearer {secret}"})
    assert answer.get_json()["results"][0]["status"] == "accepted"


@pytest.mark.parametrize(("name", "error", "retry", "said"), FAULTS[:1], ids=[FAULTS[0][0]])
def test_a_page_answers_a_vietnamese_503(client, db, name, error, retry, said):
    token = csrf_token(client, "/login")
    with failing(db.engine, "user_account", error):
        answer = client.post("/login", data={"csrf_token": token, "username": "ai.do",
                                             "password": "sai-mat-khau"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == retry
    assert answer.mimetype == "text/html"
    assert "Máy chủ tạm thời chưa phục vụ được" in page
    assert said in page
