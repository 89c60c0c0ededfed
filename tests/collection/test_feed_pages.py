"""GET /api/v1/submissions in pages: a ``limit`` (100 when left out, at most 500) and a
``next`` cursor, so that no answer grows with a collector's history; walking every page
gives each submission once, equal timestamps included, on both engines."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from fieldapp.collection.models import Submission
from fieldapp.cursors import encode_cursor
from fieldapp.db import utcnow
from tests.api.problems import assert_problem
from tests.submissions import make_item

FEED = "/api/v1/submissions"
LIMIT_PROBLEM = "Tham số limit không hợp lệ: hãy dùng một số nguyên từ 1 đến 500."


def page(api, **query) -> dict:
    answer = api.get(FEED, query_string=query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def walk(api, since=None, limit=3) -> tuple[list[str], list[dict]]:
    """Every page from ``since`` (None: the default window); the UUIDs in order, the pages."""
    pages = [page(api, limit=limit, **({"since": since} if since else {}))]
    while pages[-1]["next"]:
        assert pages[-1]["cursor"] == pages[-1]["next"]
        pages.append(page(api, limit=limit, since=pages[-1]["next"]))
    return [s["uuid"] for p in pages for s in p["submissions"]], pages


def submit(api, village, count: int) -> list[str]:
    items = [make_item(village.code) for _ in range(count)]
    for start in range(0, count, 100):
        api.submit(*items[start:start + 100])
    return [i["uuid"] for i in items]


def set_times(db, keys, at, **values) -> None:
    db.session.execute(update(Submission).where(Submission.id.in_([uuid.UUID(k) for k in keys]))
                       .values(updated_at=at, **values))


def test_pages_give_every_submission_once_equal_times_included(api, db, village):
    keys = submit(api, village, 8)
    tie = utcnow() - timedelta(days=3)
    set_times(db, keys[:5], tie)  # five at the very same microsecond, across two pages
    set_times(db, keys[5:], tie + timedelta(seconds=1))
    seen, pages = walk(api)
    assert len(pages) == 3 and [len(p["submissions"]) for p in pages] == [3, 3, 2]
    assert sorted(seen) == sorted(keys) and len(seen) == len(set(seen))
    assert seen[:5] == sorted(keys[:5], key=lambda k: uuid.UUID(k))  # ties by id
    assert pages[-1]["next"] is None
    assert page(api, since=pages[-1]["cursor"])["submissions"] == []  # the walk's end


def test_a_walk_after_a_cursor_is_paged_too(api, db, village):
    keys = submit(api, village, 7)
    hour_ago = utcnow() - timedelta(hours=1)
    set_times(db, keys, hour_ago)
    cursor = page(api)["cursor"]
    changed = keys[:5]
    set_times(db, changed, utcnow())  # decided since the cursor, all in one instant
    seen, pages = walk(api, since=cursor, limit=2)
    assert sorted(seen) == sorted(changed) and len(seen) == 5 and len(pages) == 3


def test_a_submission_decided_during_a_walk_is_not_lost(api, db, village):
    keys = submit(api, village, 6)
    set_times(db, keys, utcnow() - timedelta(days=2))
    first = page(api, limit=3)
    unseen = [k for k in keys if k not in {s["uuid"] for s in first["submissions"]}]
    set_times(db, [unseen[0]], utcnow(), state="approved")  # moves behind the walk's position
    rest, _ = walk(api, since=first["next"], limit=3)
    assert set(unseen) <= set(rest)
    assert [s["state"] for s in page(api, limit=500)["submissions"]
            if s["uuid"] == unseen[0]] == ["approved"]


def test_the_default_window_keeps_every_undecided_one_however_old(api, db, village):
    old, returned, lately, long_ago, just_in = submit(api, village, 5)
    now = utcnow()
    set_times(db, [old], now - timedelta(days=900))
    set_times(db, [returned], now - timedelta(days=400), state="returned")
    set_times(db, [lately], now - timedelta(days=29), state="approved")
    set_times(db, [long_ago], now - timedelta(days=31), state="rejected")
    seen, _ = walk(api, limit=1)
    assert seen == [old, returned, lately, just_in]  # oldest change first


def test_without_a_limit_a_page_holds_100(api, village):
    keys = submit(api, village, 101)
    first = page(api)
    assert len(first["submissions"]) == 100 and first["next"]
    last = page(api, since=first["next"])
    assert len(last["submissions"]) == 1 and last["next"] is None
    assert {s["uuid"] for s in first["submissions"] + last["submissions"]} == set(keys)


def test_the_page_size_is_a_setting(app, api, village, monkeypatch):
    submit(api, village, 3)
    monkeypatch.setitem(app.config, "API_PAGE_SIZE", 2)
    assert len(page(api)["submissions"]) == 2
    assert len(page(api, limit=3)["submissions"]) == 3


@pytest.mark.parametrize("limit", ["0", "501", "-1", "abc", "1.5", "1e2", "²", " 5", "9" * 30])
def test_a_bad_limit_is_a_400_that_says_what_is_allowed(api, limit):
    body = assert_problem(api.get(FEED, query_string={"limit": limit}), 400, LIMIT_PROBLEM)
    assert body["errors"] == {"limit": ["Phải là một số nguyên từ 1 đến 500."]}


@pytest.mark.parametrize("cursor", [
    pytest.param({"p": [None, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"]},
                 id="short"),
    pytest.param({"p": [None, "hôm qua", "2026-01-01T00:00:00+00:00", str(uuid.uuid4())]},
                 id="not a time"),
    pytest.param({"p": [None, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00",
                        "x"]}, id="not a uuid"),
    pytest.param({"p": [5, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00",
                        str(uuid.uuid4())]}, id="a number"),
    pytest.param({"p": "abc"}, id="a text"),
    pytest.param({"p": [None, "0001-01-02T00:00:00+00:00", "2026-01-01T00:00:00+00:00",
                        str(uuid.uuid4())]}, id="a walk begun in year 1"),
    pytest.param({"p": [None, "2999-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00",
                        str(uuid.uuid4())]}, id="a walk begun in the future"),
])
def test_a_bad_page_cursor_is_a_400(api, cursor):
    answer = api.get(FEED, query_string={"since": encode_cursor(cursor)})
    body = assert_problem(answer, 400, "Tham số since không hợp lệ: hãy tải lại từ đầu "
                                       "(bỏ since).")
    assert body["errors"] == {"since": ["Con trỏ không hợp lệ."]}
