"""(d) The session ended while the phone was offline; (f) two collectors share one phone."""

import pytest
from playwright.sync_api import expect

from fieldapp.demo import DEMO_PASSWORD
from tests.browser.field import add_child, log_in, open_collect, waiting
from tests.browser.test_foundation import log_out

pytestmark = pytest.mark.browser


def test_an_ended_session_keeps_the_items_until_the_author_logs_in_again(field, phone):
    phone.expected.append("status of 401")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Hà Thị Hết Phiên")
    add_child(phone, "Hà Văn Hết Phiên", sex="1")
    field.end_sessions(user)

    field.online(phone)
    expect(phone.locator("#login-needed")).to_be_visible(timeout=15000)
    expect(waiting(phone)).to_have_text("2")
    assert field.submissions(user) == []

    phone.get_by_role("link", name="Đăng nhập lại").click()
    phone.get_by_label("Tên đăng nhập").fill(user)
    phone.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url(f"{field.url}/collect")
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    expect(phone.locator("#login-needed")).to_be_hidden()
    assert sorted(s["name"] for s in field.submissions(user)) == [
        "Hà Thị Hết Phiên", "Hà Văn Hết Phiên"]
    assert phone.problems == []


def _log_out_despite_waiting_items(phone, count: int) -> None:
    log_out(phone)
    expect(phone.get_by_role("alertdialog")).to_contain_text(f"Còn {count} phiếu chưa gửi")
    expect(phone.get_by_role("link", name="Đồng bộ trước")).to_be_visible()  # online: offered
    phone.get_by_role("button", name="Vẫn đăng xuất").click()
    phone.wait_for_url("**/login")


STORED_PACKETS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("fieldapp");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const all = open.result.transaction("packets").objectStore("packets").getAll();
    all.onsuccess = () => { resolve(all.result.map(p => p.user)); open.result.close(); };
  };
})"""


def _stored_packets(phone) -> list[str]:
    """Whose packets the phone keeps (read from IndexedDB itself, on any page)."""
    return phone.evaluate(STORED_PACKETS)


def test_two_collectors_on_one_phone_never_see_each_others_items(field, phone):
    phone.expected.append("status of 500")
    first, second = field.collector(), field.collector(("03808-003",))
    log_in(phone, field.url, first)
    open_collect(phone, field.url)
    field.offline(phone)
    add_child(phone, "Lường Thị Của Người Một")
    field.faults.fail = True  # the server takes nothing: the item must wait through logouts
    field.online(phone)
    expect(phone.locator("#sync-message")).to_contain_text("Máy chủ chưa nhận được")
    _log_out_despite_waiting_items(phone, 1)
    assert phone.evaluate("caches.has('fieldapp-pages')") is False

    log_in(phone, field.url, second)
    open_collect(phone, field.url)
    expect(waiting(phone)).to_have_text("0")
    assert "Của Người Một" not in phone.inner_text("main")
    assert len(_stored_packets(phone)) == 1  # the first collector's packet is gone
    add_child(phone, "Tòng Văn Của Người Hai", sex="1")
    expect(waiting(phone)).to_have_text("1")
    _log_out_despite_waiting_items(phone, 1)

    field.faults.fail = False
    log_in(phone, field.url, first)
    open_collect(phone, field.url)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert "Của Người Hai" not in phone.inner_text("main")
    assert [s["name"] for s in field.submissions(first)] == ["Lường Thị Của Người Một"]
    assert field.submissions(second) == []  # waits on the phone for its own author
    assert phone.problems == []


def test_a_logout_without_network_asks_first_then_says_what_happened_without_a_loop(field,
                                                                                     phone):
    user = field.on_phone(phone)
    assert len(_stored_packets(phone)) == 1
    field.offline(phone)
    log_out(phone)
    dialog = phone.get_by_role("alertdialog")
    expect(dialog).to_contain_text("phải có mạng mới đăng nhập lại")
    expect(dialog.get_by_role("link", name="Đồng bộ trước")).to_have_count(0)  # needs a network
    dialog.get_by_role("button", name="Ở lại").click()  # an accidental tap costs nothing
    expect(dialog).to_have_count(0)
    assert len(_stored_packets(phone)) == 1

    log_out(phone)
    phone.get_by_role("button", name="Vẫn đăng xuất").click()
    phone.wait_for_url("**/offline")
    expect(phone.locator("h1")).to_have_text("Đã đăng xuất")
    expect(phone.locator("main")).to_contain_text("Cần có mạng để đăng nhập lại")
    expect(phone.get_by_text("Đang chờ có mạng…")).to_be_visible()
    expect(phone.get_by_role("link", name="Đăng nhập")).to_be_hidden()
    assert phone.evaluate("caches.has('fieldapp-pages')") is False
    phone.goto(f"{field.url}/collect")  # the app opened again, still without a network
    expect(phone.locator("h1")).to_have_text("Đã đăng xuất")
    assert field.live_sessions(user) == 1  # the server has not heard yet

    field.online(phone)
    phone.get_by_role("link", name="Đăng nhập").click()
    phone.wait_for_url("**/login")
    assert field.live_sessions(user) == 0
    assert _stored_packets(phone) == []
    assert phone.problems == []
