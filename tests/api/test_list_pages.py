"""Every list the API answers is paged with a ``limit`` and a ``next`` cursor: the caller's
tokens and the officer's inbox (the feed: tests/collection/test_feed_pages.py). The packet is
the phone's village data and comes whole (README, Sync API)."""

import pytest
from sqlalchemy import update

from fieldapp.auth.models import ApiToken
from fieldapp.db import utcnow
from tests.api.problems import assert_problem

TOKENS = "/api/v1/tokens"
REVIEW = "/api/v1/review/submissions"


def test_the_tokens_come_in_pages_each_once(api, db, issue, collector):
    for number in range(4):
        issue(collector, f"Máy {number}")
    db.session.execute(update(ApiToken).values(created_at=utcnow()))  # all at one instant
    pages = [api.get(TOKENS, query_string={"limit": 2}).get_json()]
    while pages[-1]["next"]:
        pages.append(api.get(TOKENS, query_string={"limit": 2, "cursor": pages[-1]["next"]})
                     .get_json())
    seen = [t["id"] for p in pages for t in p["tokens"]]
    assert [len(p["tokens"]) for p in pages] == [2, 2, 1]  # the api fixture's token, and 4
    assert len(set(seen)) == 5


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "501"}, {"limit": "hai"}])
def test_a_bad_token_limit_is_a_400(api, query):
    body = assert_problem(api.get(TOKENS, query_string=query), 400)
    assert body["errors"] == {"limit": ["Phải là một số nguyên từ 1 đến 500."]}


def test_a_forged_token_cursor_is_a_400(api):
    body = assert_problem(api.get(TOKENS, query_string={"cursor": "nope"}), 400)
    assert body["errors"] == {"cursor": ["Con trỏ không hợp lệ."]}


def test_the_inbox_takes_a_limit(api, api_as, officer, item):
    api.submit(item(), item(), item())
    reviewer = api_as(officer)
    first = reviewer.get(REVIEW, query_string={"limit": 2}).get_json()
    assert len(first["items"]) == 2 and first["next"]
    rest = reviewer.get(REVIEW, query_string={"limit": 2, "cursor": first["next"]}).get_json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    body = assert_problem(reviewer.get(REVIEW, query_string={"limit": 501}), 400)
    assert body["errors"] == {"limit": ["Phải là một số nguyên từ 1 đến 500."]}
