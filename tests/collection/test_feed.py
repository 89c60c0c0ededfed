"""GET /api/v1/submissions: the caller's own submissions and their review states, first in
full and then as changes after a cursor (which lags two minutes behind the server's clock)."""

import base64
import json
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from fieldapp import roles
from fieldapp.collection.models import Submission
from fieldapp.cursors import encode_cursor
from fieldapp.db import utcnow
from tests.api.problems import assert_problem
from tests.submissions import changed

FEED = "/api/v1/submissions"


def feed(api, since=None) -> dict:
    answer = api.get(FEED, query_string={"since": since} if since is not None else {})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()


def uuids(body: dict) -> list[str]:
    return [s["uuid"] for s in body["submissions"]]


def set_row(db, key, **values) -> None:
    db.session.execute(update(Submission).where(Submission.id == uuid.UUID(key)).values(**values))


def test_the_feed_holds_the_callers_own_submissions_only(api, api_as, make, village, item):
    mine = changed(item(), {"data.circumstances": [{"code": "DB05", "note": "mẹ báo"}]})
    api.submit(mine)
    api_as(make.user(roles.COLLABORATOR, [village])).submit(item())
    body = feed(api)
    [row] = body["submissions"]
    assert row["uuid"] == mine["uuid"]
    assert (row["state"], row["state_label"], row["stale"]) == ("received", "Chờ duyệt", False)
    assert row["label"] == "Lò Văn Thanh" and row["note"] is None
    assert row["data"] == mine["data"]  # what the author entered, restricted group included
    assert (row["child_id"], row["base_version"], row["corrects"]) == (None, None, None)


def test_the_cursor_is_base64_json_of_a_time_two_minutes_ago(api):
    text = feed(api)["cursor"]
    values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    lag = utcnow() - datetime.fromisoformat(values["t"])
    assert timedelta(minutes=2) <= lag < timedelta(minutes=2, seconds=30)


def test_a_first_download_shows_what_waits_and_what_was_decided_lately(api, db, item):
    waiting, returned, approved, old = item(), item(), item(), item()
    api.submit(waiting, returned, approved, old)
    now = utcnow()
    set_row(db, waiting["uuid"], updated_at=now - timedelta(days=60))
    set_row(db, returned["uuid"], state="returned", updated_at=now - timedelta(days=60))
    set_row(db, approved["uuid"], state="approved", updated_at=now - timedelta(days=10))
    set_row(db, old["uuid"], state="rejected", updated_at=now - timedelta(days=40))
    assert set(uuids(feed(api))) == {waiting["uuid"], returned["uuid"], approved["uuid"]}


def test_after_the_cursor_only_the_changed_submissions_come(api, db, item):
    first, second = item(), item()
    api.submit(first, second)
    hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(Submission).values(received_at=hour_ago, updated_at=hour_ago))
    cursor = feed(api)["cursor"]
    quiet = feed(api, cursor)
    assert quiet["submissions"] == [] and quiet["cursor"]

    set_row(db, first["uuid"], state="returned", note="Thiếu tên mẹ", updated_at=utcnow())
    delta = feed(api, cursor)
    [row] = delta["submissions"]
    assert row["uuid"] == first["uuid"]
    assert (row["state"], row["state_label"], row["note"]) == ("returned", "Cần sửa",
                                                               "Thiếu tên mẹ")
    assert row["data"] == first["data"]  # a returned one is a to-do: the phone needs its data


def test_a_change_just_before_the_cursor_comes_again_rather_than_being_missed(api, db, item):
    first = item()
    api.submit(first)
    set_row(db, first["uuid"], updated_at=utcnow() - timedelta(minutes=1))
    cursor = feed(api)["cursor"]  # made now, for two minutes ago
    assert uuids(feed(api, cursor)) == [first["uuid"]]


def test_a_decided_submission_comes_without_its_data(api, db, item):
    first = changed(item(), {"data.circumstances": [{"code": "DB12", "note": "bí mật"}]})
    api.submit(first)
    hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(Submission).values(updated_at=hour_ago))
    cursor = feed(api)["cursor"]
    set_row(db, first["uuid"], state="approved", decided_at=utcnow(), updated_at=utcnow())
    body = feed(api, cursor)
    [row] = body["submissions"]
    assert (row["state"], row["state_label"], row["data"]) == ("approved", "Đã duyệt", None)
    seen = json.dumps(body, ensure_ascii=False)
    assert "DB12" not in seen and "bí mật" not in seen


def test_an_empty_cursor_is_a_first_download(api, item):
    first = item()
    api.submit(first)
    assert uuids(feed(api, "")) == [first["uuid"]]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = [
    pytest.param("%%%", id="not base64"),
    pytest.param(b64("not json"), id="not json"),
    pytest.param(b64("[1, 2]"), id="a list"),
    pytest.param(b64('"2026-01-01T00:00:00+00:00"'), id="a bare text"),
    pytest.param(b64('{"x": 1}'), id="no time"),
    pytest.param(b64('{"t": 5}'), id="a number"),
    pytest.param(b64('{"t": "hôm qua"}'), id="not a time"),
    pytest.param(b64('{"t": "2026-01-01T00:00:00"}'), id="no offset"),
    pytest.param(encode_cursor({"t": "0001-01-01T00:00:00+07:00"}), id="before any UTC time"),
    pytest.param(encode_cursor({"t": "9999-12-31T23:59:59-05:00"}), id="after any UTC time"),
    pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not UTF-8"),
]


@pytest.mark.parametrize("path", [FEED, "/api/v1/packet"])
@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_bad_cursor_is_a_400(api, path, cursor):
    answer = api.get(path, query_string={"since": cursor})
    body = assert_problem(answer, 400, "Tham số since không hợp lệ: hãy tải lại từ đầu (bỏ since).")
    assert body["errors"] == {"since": ["Con trỏ không hợp lệ."]}
