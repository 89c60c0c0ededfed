"""A half-filled form survives a reload, a crash or a closed tab, and is offered back; drafts
follow the outbox's rules on logout and shared phones."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.field import fill_child, log_in, open_collect, waiting
from tests.browser.test_foundation import log_out

pytestmark = pytest.mark.browser

DRAFT = """() => FA.outbox.meta("draft:" + document.getElementById("collect").dataset.user)"""


def _draft_holds(page, check, seconds: float = 5):
    """Wait until the stored draft passes ``check`` (it is written a moment after typing)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        draft = page.evaluate(DRAFT)
        if draft and check(draft):
            return draft
        time.sleep(0.1)
    raise AssertionError(f"the draft was not kept: {page.evaluate(DRAFT)}")


def _start_form(page, name: str, **fields) -> None:
    page.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(page, name, **fields)
    _draft_holds(page, lambda d: d["data"]["caregivers"][0]["full_name"] == "Lò Thị Mẹ")


def test_a_half_filled_form_survives_a_reload_and_a_closed_tab(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    _start_form(phone, "Hờ Thị Dở Dang", born="2018-02-03")
    expect(phone.locator("#draft-status")).to_contain_text("Đã tự lưu bản nháp")
    phone.reload()  # a reload, or the browser killed in the background
    offer = phone.locator("#draft-offer")
    expect(offer).to_contain_text("Tiếp tục phiếu đang nhập dở?")
    expect(offer).to_contain_text("Hờ Thị Dở Dang")
    offer.get_by_role("button", name="Tiếp tục").click()
    expect(phone.get_by_label("Họ và tên", exact=True)).to_have_value("Hờ Thị Dở Dang")
    expect(phone.get_by_label("Ngày, tháng, năm sinh")).to_have_value("2018-02-03")
    expect(phone.get_by_label("Họ tên chủ hộ")).to_have_value("Lò Văn Chủ Hộ")
    expect(phone.locator("#caregivers-0-full_name")).to_have_value("Lò Thị Mẹ")

    phone.get_by_label("Địa chỉ chi tiết").fill("Tổ 3")
    _draft_holds(phone, lambda d: d["data"]["child"]["address"] == "Tổ 3")
    again = phone.context.new_page()
    again.on("pageerror", lambda error: phone.problems.append(str(error)))
    phone.close()  # the tab closed with the form open
    again.goto(f"{field.url}/collect#/new")  # even opened on an empty form, the draft comes first
    again.locator("#draft-offer").get_by_role("button", name="Tiếp tục").click()
    expect(again.get_by_label("Địa chỉ chi tiết")).to_have_value("Tổ 3")
    again.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(again)).to_have_text("1")
    again.reload()
    expect(again.locator("#offline-ready")).to_be_visible()
    expect(again.locator("#draft-offer")).to_be_hidden()  # saved: the draft is over
    field.online(again)
    expect(waiting(again)).to_have_text("0", timeout=15000)
    [stored] = field.submissions(user)
    assert stored["name"] == "Hờ Thị Dở Dang" and stored["data"]["child"]["address"] == "Tổ 3"
    assert phone.problems == []


def test_cancel_or_drop_ends_a_draft(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    _start_form(phone, "Hờ Văn Thôi Không", sex="1")
    phone.get_by_role("link", name="Hủy").click()
    expect(phone.locator("#view-home")).to_be_visible()
    expect(phone.locator("#draft-offer")).to_be_hidden()

    _start_form(phone, "Hờ Văn Bỏ Nháp", sex="1")
    phone.go_back()  # left without saving: offered back at once
    offer = phone.locator("#draft-offer")
    expect(offer).to_contain_text("Hờ Văn Bỏ Nháp")
    offer.get_by_role("button", name="Bỏ phiếu nháp").click()
    offer.get_by_role("button", name="Chắc chắn bỏ phiếu nháp?").click()
    expect(offer).to_be_hidden()
    phone.reload()
    expect(phone.locator("#offline-ready")).to_be_visible()
    expect(offer).to_be_hidden()
    assert phone.evaluate(DRAFT) is None
    assert phone.problems == []


def test_a_draft_stays_for_its_author_through_logout_and_others_never_see_it(field, phone):
    first, second = field.collector(), field.collector(("03808-003",))
    log_in(phone, field.url, first)
    open_collect(phone, field.url)
    _start_form(phone, "Hờ A Của Người Một", sex="1")
    log_out(phone)
    dialog = phone.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Phiếu đang nhập dở cũng được giữ lại cho bạn.")
    dialog.get_by_role("button", name="Vẫn đăng xuất").click()
    phone.wait_for_url("**/login")

    log_in(phone, field.url, second)
    open_collect(phone, field.url)
    expect(phone.locator("#draft-offer")).to_be_hidden()
    assert "Của Người Một" not in phone.inner_text("body")
    log_out(phone)  # nothing of theirs waits: at once
    phone.wait_for_url("**/login")

    log_in(phone, field.url, first)
    open_collect(phone, field.url)
    expect(phone.locator("#draft-offer")).to_contain_text("Hờ A Của Người Một")
    assert phone.problems == []


def test_the_close_form_keeps_its_draft_too(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    phone.locator("#child-list a").first.click()
    name = phone.locator("#child-title").inner_text()
    phone.get_by_role("link", name="Chuyển đi / Đã mất").click()
    phone.get_by_label("Chuyển đi nơi khác").check()
    phone.get_by_label("Ghi chú").fill("Theo mẹ về xã khác")
    _draft_holds(phone, lambda d: d["data"]["note"] == "Theo mẹ về xã khác")
    phone.reload()
    phone.locator("#draft-offer").get_by_role("button", name="Tiếp tục").click()
    expect(phone.locator("#close-title")).to_contain_text(name)
    expect(phone.get_by_label("Chuyển đi nơi khác")).to_be_checked()
    expect(phone.get_by_label("Ghi chú")).to_have_value("Theo mẹ về xã khác")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")
    assert phone.problems == []
