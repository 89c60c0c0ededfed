"""Every failed write on the phone is visible and recoverable: a full phone, a lost database
connection, an upgrade blocked by an old tab, another tab's upgrade, and an answer the phone
cannot record. Each failure is injected by overriding the IndexedDB call in the page; each
time the form and what was typed stay, and the page says what happened and what to do."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.field import fill_child, waiting

pytestmark = pytest.mark.browser

FULL = """store => {
  const put = IDBObjectStore.prototype.put;
  window.freeSpace = () => { IDBObjectStore.prototype.put = put; };
  IDBObjectStore.prototype.put = function () {
    if (this.name === store) {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    }
    return put.apply(this, arguments);
  };
}"""
LOSE_CONNECTION = """times => {
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function () {
    if (times-- > 0) {
      throw new DOMException("Connection to Indexed Database server lost. Refresh the page " +
                             "to try again", "UnknownError");
    }
    return transaction.apply(this, arguments);
  };
}"""
# A newer version of the app asks for version 2 while an old tab keeps version 1 open and
# does not let go: the open is blocked.
OLD_TAB_HOLDS_ON = """() => new Promise(resolve => {
  const open = indexedDB.open("fieldapp");
  open.onsuccess = () => { window.held = open.result; resolve(); };
})"""
NEWER_VERSION = """() => {
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name) { return open.call(this, name, 2); };
}"""
OTHER_TAB_UPGRADES = """() => new Promise(resolve => {
  const open = indexedDB.open("fieldapp", 2);
  open.onsuccess = () => { open.result.close(); resolve(); };
})"""


def _new_child_form(phone, name: str) -> None:
    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, name)


def _save(phone) -> None:
    phone.get_by_role("button", name="Lưu trên máy").click()


def _still_typed(phone, name: str) -> None:
    expect(phone.locator("#view-form")).to_be_visible()
    expect(phone.get_by_label("Họ và tên", exact=True)).to_have_value(name)
    expect(phone.locator("#caregivers-0-full_name")).to_have_value("Lò Thị Mẹ")


def test_a_full_phone_says_so_keeps_the_form_and_offers_a_file(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    _new_child_form(phone, "Mào Thị Máy Đầy")
    phone.evaluate(FULL, "outbox")
    _save(phone)
    problem = phone.locator("#save-problem")
    expect(problem).to_contain_text("Chưa lưu được phiếu: bộ nhớ máy đã đầy")
    expect(problem).to_contain_text("Hãy xóa bớt ảnh, video")
    expect(phone.locator("#sync-message")).to_contain_text("Chưa lưu được phiếu")
    _still_typed(phone, "Mào Thị Máy Đầy")
    expect(waiting(phone)).to_have_text("0")

    with phone.expect_download() as download:  # a way out that needs no storage
        problem.get_by_role("button", name="Lưu phiếu này ra tệp").click()
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    [item] = saved["submissions"]
    assert item["data"]["child"]["full_name"] == "Mào Thị Máy Đầy"

    phone.evaluate("window.freeSpace()")  # space freed: the same form saves
    _save(phone)
    expect(phone.locator("#view-home")).to_be_visible()
    expect(waiting(phone)).to_have_text("1")  # kept on the phone (else "0" below is too early)
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    [stored] = field.submissions(user)
    assert stored["uuid"] == item["uuid"]  # the file and the phone name one submission
    assert phone.problems == []


def test_a_lost_database_connection_is_opened_again_or_reported(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    _new_child_form(phone, "Mào Văn Mất Nối")
    phone.evaluate(LOSE_CONNECTION, 1)  # once: reopened, and the save goes through
    _save(phone)
    expect(phone.locator("#view-home")).to_be_visible()
    expect(waiting(phone)).to_have_text("1")

    _new_child_form(phone, "Mào Thị Mất Hẳn")
    phone.evaluate(LOSE_CONNECTION, 1000)  # for good: said, and nothing typed is lost
    _save(phone)
    problem = phone.locator("#save-problem")
    expect(problem).to_contain_text("trình duyệt mất kết nối với bộ nhớ")
    expect(problem).to_contain_text("Hãy tải lại trang")
    _still_typed(phone, "Mào Thị Mất Hẳn")
    assert phone.problems == []


def test_an_upgrade_blocked_by_an_old_tab_says_which_tab_to_close(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    old_tab = phone.context.new_page()
    old_tab.goto(f"{field.url}/offline")
    old_tab.evaluate(OLD_TAB_HOLDS_ON)
    _new_child_form(phone, "Mào A Thẻ Cũ")
    phone.evaluate(NEWER_VERSION)
    phone.evaluate(LOSE_CONNECTION, 1)  # this tab must open the database again: blocked
    _save(phone)
    expect(phone.locator("#save-problem")).to_contain_text(
        "ứng dụng còn mở ở một thẻ hoặc cửa sổ khác với phiên bản cũ")
    expect(phone.locator("#save-problem")).to_contain_text("Hãy đóng thẻ hoặc cửa sổ đó")
    _still_typed(phone, "Mào A Thẻ Cũ")

    old_tab.close()  # the old tab goes: the upgrade proceeds and the same form saves
    _save(phone)
    expect(phone.locator("#view-home")).to_be_visible()
    expect(waiting(phone)).to_have_text("1")
    assert phone.problems == []


def test_another_tabs_upgrade_is_said_and_the_form_stays(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    _new_child_form(phone, "Mào Thị Bản Mới")
    new_tab = phone.context.new_page()
    new_tab.goto(f"{field.url}/offline")
    new_tab.evaluate(OTHER_TAB_UPGRADES)
    expect(phone.locator("#sync-message")).to_contain_text(
        "Ứng dụng vừa được cập nhật ở một thẻ khác")
    _save(phone)
    expect(phone.locator("#save-problem")).to_contain_text(
        "ứng dụng vừa được cập nhật ở một thẻ khác")
    expect(phone.locator("#save-problem")).to_contain_text("Hãy tải lại trang")
    _still_typed(phone, "Mào Thị Bản Mới")
    assert phone.problems == []


def test_an_answer_the_phone_cannot_record_is_reported_not_taken_for_done(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    _new_child_form(phone, "Mào Văn Không Ghi")
    _save(phone)
    expect(waiting(phone)).to_have_text("1")
    phone.evaluate(FULL, "sent")  # the receipt cannot be kept
    field.online(phone)
    message = phone.locator("#sync-message")
    expect(message).to_contain_text("Chưa ghi được vào bộ nhớ máy: bộ nhớ máy đã đầy",
                                     timeout=15000)
    expect(message).not_to_contain_text("Đã gửi")
    expect(waiting(phone)).to_have_text("1")  # still on the phone, not marked sent
    expect(phone.locator("#waiting-list")).to_contain_text("Lưu trên máy")
    assert len(field.submissions(user)) == 1  # the server has it

    phone.evaluate("window.freeSpace()")
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert len(field.submissions(user)) == 1  # sent again: the server knew it
    expect(phone.locator("#sent-list")).to_contain_text("Mào Văn Không Ghi")
    assert phone.problems == []
