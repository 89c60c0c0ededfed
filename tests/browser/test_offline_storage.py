"""The phone knows when its storage is at risk, and so does the commune: storage that is not
persistent or nearly full is said on /collect; each sync reports the phone's status; a phone
whose storage was wiped with items unsent is flagged for the officer; an item unsent for more
than 3 days puts a banner on /collect and on the field worker's home."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, log_in, open_collect, waiting

pytestmark = pytest.mark.browser

STORAGE = """([persisted, usage]) => {
  const quota = 1000000000;
  navigator.storage.persisted = () => Promise.resolve(persisted);
  navigator.storage.persist = () => Promise.resolve(persisted);
  navigator.storage.estimate = () => Promise.resolve({usage: usage * quota, quota: quota});
}"""
# The browser evicts the app's storage (a full phone): the database goes, cookies stay. It
# happens while no replay runs (the replay's lock is held), so no run that read the outbox
# before can still send an item afterwards.
EVICT = """() => navigator.locks.request("fieldapp-replay", () => new Promise((resolve, reject) => {
  const request = indexedDB.deleteDatabase("fieldapp");
  request.onsuccess = resolve;
  request.onerror = () => reject(request.error);
}))"""
AGE_ITEMS = """days => {
  const user = document.getElementById("collect").dataset.user;
  const then = new Date(Date.now() - days * 86400000).toISOString();
  return FA.outbox.list(user).then(items => Promise.all(items.map(
    item => FA.outbox.update(item.uuid, {created_at: then, captured_at: then}))));
}"""


def _with_storage(phone, persisted: bool, usage: float) -> None:
    phone.add_init_script(f"({STORAGE})({json.dumps([persisted, usage])})")


def test_storage_that_is_not_kept_or_nearly_full_is_said(field, phone):
    _with_storage(phone, False, 0.1)
    field.on_phone(phone)
    warning = phone.locator("#storage-warning")
    expect(warning).to_contain_text("Trình duyệt chưa cam kết giữ dữ liệu của ứng dụng")
    _with_storage(phone, True, 0.85)
    phone.reload()
    expect(warning).to_contain_text("Bộ nhớ dành cho ứng dụng đã dùng 85%")
    _with_storage(phone, True, 0.5)
    phone.reload()
    expect(phone.locator("#offline-ready")).to_be_visible()
    expect(warning).to_be_hidden()
    assert phone.problems == []


def test_each_sync_reports_the_phone_and_a_wiped_phone_is_flagged(field, phone, browser):
    phone.expected.append("status of 500")
    _with_storage(phone, False, 0.3)
    user = field.on_phone(phone)
    [device] = field.devices(user)
    assert device["pending"] == 0 and device["lost"] == 0
    assert device["persisted"] is False and device["usage"] == 300000000
    assert device["version"] == phone.locator("#collect").get_attribute("data-version")

    field.offline(phone)
    add_child(phone, "Lý Thị Sẽ Mất")
    add_child(phone, "Lý Văn Sẽ Mất", sex="1")
    add_child(phone, "Lý Văn Bị Xóa", sex="1")
    phone.locator("#waiting-list li", has_text="Lý Văn Bị Xóa").get_by_role(
        "button", name="Xóa phiếu").click()
    phone.get_by_role("button", name="Chắc chắn xóa phiếu này?").click()
    field.faults.fail = True  # the server takes no item, but hears the phone
    field.online(phone)
    expect(phone.locator("#sync-message")).to_contain_text("Máy chủ chưa nhận được 2 phiếu")
    [device] = field.devices(user)
    assert device["pending"] == 2 and device["discarded"] == 1 and device["lost"] == 0

    phone.evaluate(EVICT)  # a full phone: the browser takes the app's storage back
    field.faults.reset()
    open_collect(phone, field.url)
    expect(waiting(phone)).to_have_text("0")
    [after] = field.devices(user)  # the same phone (its id survived in a cookie)...
    assert after["phone_id"] == device["phone_id"]
    assert after["pending"] == 0 and after["lost"] == 2  # ...now with two items gone unsent

    office = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    desk = office.new_page()
    log_in(desk, field.url, "canbo")
    desk.goto(f"{field.url}/devices")
    expect(desk.locator("tr", has_text="Cộng Tác Thử").filter(has_text="Có thể mất 2 phiếu")
           ).to_be_visible()
    office.close()
    assert phone.problems == []


def test_items_unsent_for_three_days_put_a_banner_on_collect_and_home(field, phone):
    phone.expected.append("status of 500")
    field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Lý A Chờ Lâu", sex="1")
    banner = phone.locator("#unsent-banner")
    expect(banner).to_be_hidden()
    phone.evaluate(AGE_ITEMS, 4)
    phone.reload()
    expect(banner).to_contain_text("1 phiếu đã lưu trên máy hơn 3 ngày mà chưa gửi được")
    expect(banner.get_by_role("button", name="Lưu phiếu chưa gửi ra tệp")).to_be_visible()

    field.faults.fail = True
    field.online(phone)
    phone.goto(f"{field.url}/")
    expect(banner).to_contain_text("hơn 3 ngày")
    with phone.expect_download() as download:
        banner.get_by_role("button", name="Lưu phiếu chưa gửi ra tệp").click()
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [s["data"]["child"]["full_name"] for s in saved["submissions"]] == ["Lý A Chờ Lâu"]

    field.faults.reset()
    banner.get_by_role("link", name="Đồng bộ ngay").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    expect(banner).to_be_hidden()
    assert phone.problems == []
