"""What the app asks of the browser and keeps in it: persistent storage, a Background Sync
tag for the worker, a page cache holding the capture page and nothing else, the offline page
for any other page, one replay at a time, and a back-off that doubles up to five minutes."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, waiting

pytestmark = pytest.mark.browser

SPY_ON_PERSIST = """
  if (navigator.storage) {
    const persist = navigator.storage.persist.bind(navigator.storage);
    navigator.storage.persist = () => { window.persistAsked = true; return persist(); };
  }"""
CACHED_PAGES = """() => caches.open("fieldapp-pages")
  .then(cache => cache.keys()).then(keys => keys.map(r => new URL(r.url).pathname))"""
SYNC_TAGS = "() => navigator.serviceWorker.ready.then(r => r.sync.getTags())"
TWO_AT_ONCE = """() => Promise.all([FA.replay.run({force: true}), FA.replay.run({force: true})])
  .then(outcomes => outcomes.map(o => o.status).sort())"""
STATIC_CACHED = """() => caches.keys()
  .then(names => caches.open(names.find(name => name.startsWith("fieldapp-static-"))))
  .then(cache => cache.keys()).then(keys => keys.map(r => new URL(r.url).pathname))"""
RUN = "() => FA.replay.run({force: true}).then(o => [o.status, o.retryIn])"
# Wait until no replay runs or waits to run (the page's, the worker's): locks are granted in
# the order asked.
QUIET = "() => navigator.locks.request('fieldapp-replay', () => null)"
SET_DELAY = "delay => FA.outbox.setMeta('backoff', {delay: delay, until: 0})"
SET_ITEM_DELAY = """delay => FA.outbox.list(document.getElementById("collect").dataset.user)
  .then(([item]) => FA.outbox.update(item.uuid, {delay: delay, retry_at: 0}))"""


def test_the_browser_keeps_the_app_and_only_the_capture_page(field, phone):
    phone.add_init_script(SPY_ON_PERSIST)
    field.on_phone(phone)
    assert phone.evaluate("window.persistAsked") is True
    assert phone.evaluate(CACHED_PAGES) == ["/collect"]  # no page that lists children

    field.offline(phone)
    add_child(phone, "Hà Văn Đồng Bộ Nền", sex="1")
    assert "fieldapp-outbox" in phone.evaluate(SYNC_TAGS)  # the worker sends it when it can
    phone.goto(f"{field.url}/children/")
    expect(phone.locator("h1")).to_have_text("Mất kết nối")
    assert phone.problems == []


def test_an_offline_reload_asks_the_network_nothing_and_logs_no_error(field, phone):
    field.on_phone(phone)
    links = phone.evaluate("[...document.querySelectorAll('link[href], script[src]')]"
                           ".map(e => new URL(e.href || e.src).pathname)")
    cached = phone.evaluate(STATIC_CACHED)
    assert "/static/css/print.css" in links and "/static/css/print.css" in cached
    assert [path for path in links if path not in cached] == []
    field.offline(phone)
    phone.expected = ["status of 422"]  # not even a network error: nothing is asked of it
    attempts, records = field.proxy.attempts, len(field.proxy.records)
    phone.reload()
    expect(waiting(phone)).to_have_text("0")
    expect(phone.locator("#child-count")).not_to_be_empty()
    phone.wait_for_timeout(1000)
    assert len(field.proxy.records) == records  # nothing crossed the network
    assert field.proxy.attempts - attempts <= 1  # the worker tried the page first, refused
    assert phone.problems == []


def test_one_replay_at_a_time_and_a_back_off_up_to_five_minutes(field, phone):
    phone.expected.append("status of 500")
    field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Hà Thị Chờ Lâu")
    field.faults.fail = True  # the server refuses the item, and nothing else
    field.online(phone)  # the page tries at once: 5 s before this item is tried again
    expect(phone.locator("#sync-message")).to_contain_text("sau 5 giây")
    phone.evaluate(QUIET)
    phone.evaluate(SET_ITEM_DELAY, 5000)
    assert phone.evaluate(TWO_AT_ONCE) == ["busy", "partial"]  # the Web Lock lets one in
    assert [phone.evaluate(RUN) for _ in range(3)] == [
        ["partial", 20000], ["partial", 40000], ["partial", 80000]]
    phone.evaluate(SET_ITEM_DELAY, 240000)
    assert [phone.evaluate(RUN) for _ in range(2)] == [["partial", 300000], ["partial", 300000]]
    expect(waiting(phone)).to_have_text("1")
    assert phone.problems == []


def test_a_server_that_does_not_answer_at_all_backs_the_whole_run_off(field, phone):
    phone.expected.append("status of 503")
    field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Hà Văn Máy Chủ Nghỉ", sex="1")
    field.faults.unavailable = True  # every API call: 503
    field.online(phone)
    expect(phone.locator("#sync-message")).to_contain_text("Máy chủ chưa nhận được")
    phone.evaluate(QUIET)
    phone.evaluate(SET_DELAY, 5000)
    assert [phone.evaluate(RUN) for _ in range(3)] == [
        ["server", 10000], ["server", 20000], ["server", 40000]]
    phone.evaluate(SET_DELAY, 240000)
    assert [phone.evaluate(RUN) for _ in range(2)] == [["server", 300000], ["server", 300000]]
    expect(waiting(phone)).to_have_text("1")
    assert phone.problems == []
