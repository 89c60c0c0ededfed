"""The phone reads the feed of its submissions page after page, and keeps what it sent until
the officer decides: after a server restored from an older backup, what the server lost is
sent again (same UUID, stored once), and what it still has is not sent twice."""

import json
from uuid import UUID

import pytest
from playwright.sync_api import expect

from fieldapp.collection.models import Submission
from fieldapp.extensions import db
from tests.browser.field import add_child, held, log_in, open_collect, waiting

pytestmark = pytest.mark.browser
FEED = "/api/v1/submissions"


@pytest.fixture()
def small_pages(field, monkeypatch):
    """Pages of two submissions: a handful of items make several pages."""
    monkeypatch.setitem(field.app.config, "API_PAGE_SIZE", 2)


def record_posts(page) -> list[str]:
    """The UUIDs the page posts to the sync API, in order (a list that fills as it goes)."""
    sent = []

    def on_request(request):
        if request.method == "POST" and request.url.endswith(FEED):
            sent.extend(s["uuid"] for s in json.loads(request.post_data)["submissions"])

    page.on("request", on_request)
    return sent


def stored(field, user) -> list[str]:
    return sorted(s["uuid"] for s in field.submissions(user))


def test_the_phone_follows_every_page_of_the_feed(field, phone, small_pages):
    user = field.collector()
    sent = field.submit_for(user, 5)  # from another device: known to the phone by the feed
    pages = []
    phone.on("request", lambda r: pages.append(r.url) if r.method == "GET" and FEED in r.url
             else None)
    log_in(phone, field.url, user)
    open_collect(phone, field.url)
    expect(phone.locator("#sent-list li")).to_have_count(5)
    assert len([url for url in pages if url.endswith(FEED) or "since=" in url]) >= 3

    for key in sent:
        field.decide(key, "approved")
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sent-list .state-approved")).to_have_count(5, timeout=15000)
    assert phone.problems == []


def test_what_a_restored_server_lost_is_sent_again_once(field, phone, small_pages):
    user = field.on_phone(phone)
    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"):
        add_child(phone, name, sex="1")
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    expect(phone.locator("#sent-list li")).to_have_count(3)
    keys = stored(field, user)
    assert len(keys) == 3 and sorted(held(phone)) == keys  # kept until the officer decides

    lost, kept = keys[:2], keys[2]
    field.lose_submissions(lost)  # the server is restored from a backup older than these
    posted = record_posts(phone)
    phone.reload()
    expect(phone.locator("#sync-message")).to_contain_text("máy đã gửi lại", timeout=15000)
    assert stored(field, user) == keys  # each on the server again, once
    assert sorted(posted) == sorted(lost) and kept not in posted
    assert sorted(held(phone)) == keys

    field.decide(kept, "approved")  # a decision lets the phone forget its copy
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sent-list .state-approved")).to_have_count(1, timeout=15000)
    assert sorted(held(phone)) == sorted(lost)
    assert phone.problems == []


def test_a_walk_cut_short_concludes_nothing(field, phone, monkeypatch):
    monkeypatch.setitem(field.app.config, "API_PAGE_SIZE", 1)
    phone.expected.append("status of 500")
    user = field.on_phone(phone)
    for name in ("Lò Thị Một", "Lò Thị Hai", "Lò Thị Ba"):
        add_child(phone, name)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    expect(phone.locator("#sent-list li")).to_have_count(3)
    keys = stored(field, user)
    assert len(keys) == 3
    field.lose_submissions(keys[:1])

    field.faults.feed_pages = True  # the first page comes, the next one fails
    posted = record_posts(phone)
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sync-message")).to_contain_text("Đã đồng bộ", timeout=15000)
    assert posted == [] and stored(field, user) == keys[1:]

    field.faults.feed_pages = False
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sync-message")).to_contain_text("máy đã gửi lại", timeout=15000)
    assert posted == keys[:1] and stored(field, user) == keys
    assert phone.problems == []


def content_hash(field, key) -> str:
    with field.app.app_context():
        return db.session.get(Submission, UUID(key)).content_hash


def test_an_item_an_older_version_let_go_is_sent_again_as_it_was(field, phone):
    user = field.on_phone(phone)
    add_child(phone, "Lò Văn Cũ", sex="1")
    expect(phone.locator("#sent-list li")).to_have_count(1, timeout=15000)
    [key] = stored(field, user)
    before = content_hash(field, key)
    # The app before this version let an item go at its receipt: only the feed's copy stays.
    phone.evaluate("key => FA.idb.remove('outbox', key)", key)
    assert held(phone) == []

    field.lose_submissions([key])
    phone.reload()
    expect(phone.locator("#sync-message")).to_contain_text("máy đã gửi lại", timeout=15000)
    assert stored(field, user) == [key] and content_hash(field, key) == before
    assert field.conflicts(user) == [] and held(phone) == [key]
    assert phone.problems == []


OLD_RECEIPTS = """([user, days]) => Promise.all(days.map((age, i) => FA.idb.put("sent", {
  uuid: "00000000-0000-4000-8000-00000000000" + i, user: user, state: i ? "approved" : "received",
  label: "Cũ " + age, updated_at: new Date(Date.now() - age * 86400000).toISOString()})))"""
SENT_LABELS = """user => FA.idb.byUser("sent", user).then(all => all.map(s => s.label).sort())"""


def test_receipts_decided_over_30_days_ago_leave_the_phone(field, phone):
    field.on_phone(phone)
    user = phone.evaluate("() => document.getElementById('collect').dataset.user")
    phone.evaluate(OLD_RECEIPTS, [user, [90, 40, 10]])  # undecided, decided, decided lately
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sync-message")).to_contain_text("Đã đồng bộ", timeout=15000)
    assert phone.evaluate(SENT_LABELS, user) == ["Cũ 10", "Cũ 90"]
    assert phone.problems == []
