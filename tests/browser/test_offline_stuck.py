"""One stuck item does not hold the others hostage; a refused account says why; coverage that
connects but never answers is "Mạng yếu", never a page that spins; picking the phone up again
sends what waited."""

import re

import pytest
from playwright.sync_api import expect

from fieldapp import roles
from fieldapp.demo import DEMO_PASSWORD
from tests.browser.field import NETWORK_ERRORS, add_child, fill_child, waiting

pytestmark = pytest.mark.browser


def _sibling(phone, name: str, head: str) -> None:
    """A child of the new household of an item still on the phone."""
    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, name, head="")
    phone.get_by_label("Hộ gia đình", exact=True).select_option(label=f"{head} (hộ mới, chờ duyệt)")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#view-home")).to_be_visible()


def test_a_failing_item_backs_off_alone_and_what_depends_on_it_waits_in_order(field, phone):
    phone.expected.append("status of 500")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Giàng A Kẹt", sex="1", head="Giàng Văn Bố Kẹt")
    add_child(phone, "Giàng Thị Đi Trước", head="Giàng Văn Bố Khác")
    _sibling(phone, "Giàng Thị Em Kẹt", "Giàng Văn Bố Kẹt")
    field.faults.refuse = ("Giàng A Kẹt", 500)  # the server fails on this item only

    field.online(phone)
    # "Đã gửi 1 phiếu." is said by the run that sent it; a second run asked for meanwhile (the
    # coming online and the service worker both ask) may follow at once and say only what
    # still waits, so the sending is read on the server.
    expect(phone.locator("#sync-message")).to_contain_text("Máy chủ chưa nhận được 2 phiếu",
                                                           timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == ["Giàng Thị Đi Trước"]
    stuck = phone.locator("#waiting-list li", has_text="Giàng A Kẹt")
    expect(stuck).to_contain_text("Chưa gửi được: máy chủ gặp lỗi (mã 500)")
    expect(stuck).to_contain_text("các phiếu khác vẫn được gửi")
    expect(waiting(phone)).to_have_text("2")  # its sibling waited for it

    field.faults.reset()
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == [
        "Giàng Thị Đi Trước", "Giàng A Kẹt", "Giàng Thị Em Kẹt"]  # in order
    assert phone.problems == []


def test_a_password_to_change_is_said_with_the_way_to_change_it(field, phone):
    phone.expected.append("status of 403")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Vừ A Đổi Mật Khẩu", sex="1")
    field.require_password_change(user)
    field.online(phone)
    problem = phone.locator("#account-problem")
    expect(problem).to_contain_text("Cần đổi mật khẩu trước khi gửi", timeout=15000)
    expect(phone.locator("#sync-message")).not_to_contain_text("Máy chủ chưa nhận được")
    expect(waiting(phone)).to_have_text("1")

    problem.get_by_role("link", name="Đổi mật khẩu").click()
    phone.get_by_label("Mật khẩu hiện tại").fill(DEMO_PASSWORD)
    phone.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-moi-2026")
    phone.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026")
    phone.get_by_role("button", name="Lưu").click()
    phone.wait_for_url(f"{field.url}/")
    phone.goto(f"{field.url}/collect")
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    expect(problem).to_be_hidden()
    assert [s["name"] for s in field.submissions(user)] == ["Vừ A Đổi Mật Khẩu"]
    assert phone.problems == []


@pytest.mark.parametrize(("change", "said"), [
    ("locked", "Tài khoản của bạn đã bị khóa"),
    ("role", "Tài khoản của bạn không còn quyền thu thập"),
])
def test_an_account_that_may_no_longer_send_is_said_and_the_items_stay(field, phone, change,
                                                                       said):
    phone.expected.append("status of 403")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Vừ Thị Bị Khóa")
    if change == "locked":
        field.deactivate(user)
    else:
        field.set_role(user, roles.COMMUNE_LEADER)
    field.online(phone)
    expect(phone.locator("#account-problem")).to_contain_text(said, timeout=15000)
    expect(phone.locator("#sync-message")).to_contain_text("lưu phiếu ra tệp")
    expect(waiting(phone)).to_have_text("1")
    assert field.submissions(user) == []
    assert phone.problems == []


SHORTER = "() => { FA.replay.state.timeout = 1500; }"


def test_coverage_that_never_answers_is_weak_and_nothing_spins(field, phone):
    field.on_phone(phone)
    assert phone.evaluate("FA.replay.state.timeout") == 20000  # each request: 20 s at most
    phone.evaluate(SHORTER)  # the same, shorter, for the test (the page's own runs only)
    field.faults.hang = 4.0  # connected, but the server's answers never come in time
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#network")).to_have_text("Mạng yếu", timeout=10000)
    expect(phone.locator("#sync-message")).to_contain_text("Mạng yếu: máy chủ không trả lời")
    expect(phone.locator("#sync-message")).to_contain_text("Phiếu vẫn an toàn trên máy")

    field.faults.reset()
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#network")).to_have_text("Có mạng", timeout=10000)
    expect(phone.locator("#sync-message")).to_have_text("Đã đồng bộ.")
    assert phone.problems == []


LONG_BACK_OFF = "() => FA.outbox.setMeta('backoff', {delay: 160000, until: 0})"
PICKED_UP = """async () => {
  await FA.outbox.setMeta("backoff", null);  // the page's own retry is 5 minutes away
  document.dispatchEvent(new Event("visibilitychange"));
}"""

RETRY_IN_5 = re.compile(r"thử (gửi )?lại sau 5 phút", re.IGNORECASE)


def test_picking_the_phone_up_again_sends_what_waited(field, phone):
    user = field.on_phone(phone)
    field.proxy.down()  # no coverage, though the phone believes it is online
    phone.expected.extend(NETWORK_ERRORS)
    phone.evaluate(LONG_BACK_OFF)
    add_child(phone, "Vừ A Cầm Máy Lên", sex="1")
    # the failed send ("…; sẽ thử lại sau 5 phút") or, once its back-off is set, the wait
    # ("Sẽ thử gửi lại sau 5 phút."): which one shows depends on when the page looks
    expect(phone.locator("#sync-message")).to_contain_text(RETRY_IN_5, timeout=15000)
    field.proxy.up()
    phone.evaluate(PICKED_UP)
    expect(waiting(phone)).to_have_text("0", timeout=3000)
    assert [s["name"] for s in field.submissions(user)] == ["Vừ A Cầm Máy Lên"]
    assert phone.problems == []
