"""The capture page for a thumb: what needs the person comes first, a message goes once its
field is right, and a collector of one village is not offered "all villages"."""

import pytest
from playwright.sync_api import TimeoutError, expect

from tests.browser.field import add_child, log_in, open_collect, waiting

pytestmark = pytest.mark.browser

SHOWN_SECTIONS = """() => Array.from(document.querySelectorAll("#view-home > section"))
  .filter(s => !s.hidden).map(s => s.id)"""


def settled(page, sections, timeout=5000) -> None:
    """Wait until the home view shows ``sections`` (or the timeout passes: the caller asserts)."""
    try:
        page.wait_for_function(f"want => ({SHOWN_SECTIONS})().join() === want",
                               arg=",".join(sections), timeout=timeout)
    except TimeoutError:
        pass


def test_to_fix_then_on_the_phone_then_sent_then_the_village(field, phone):
    user = field.on_phone(phone)
    add_child(phone, "Cứ A Đã Gửi", sex="1")
    add_child(phone, "Cứ Thị Bị Trả")
    expect(phone.locator("#sent-list li")).to_have_count(2, timeout=15000)
    returned = [s for s in field.submissions(user) if s["name"] == "Cứ Thị Bị Trả"][0]
    field.decide(returned["uuid"], "returned", "Thiếu tên mẹ.")
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#fix-list")).to_contain_text("Thiếu tên mẹ.")
    field.offline(phone)
    add_child(phone, "Cứ Văn Trên Máy", sex="1")
    shown = ["to-fix", "waiting", "sent", "children"]
    settled(phone, shown)  # the lists are drawn again after the save, from the phone's storage
    assert phone.evaluate(SHOWN_SECTIONS) == shown
    assert phone.problems == []


def test_a_message_goes_once_its_field_is_right(field, phone):
    field.on_phone(phone)
    field.offline(phone)
    phone.get_by_role("link", name="Thêm trẻ em").click()
    name = phone.get_by_label("Họ và tên", exact=True)
    name.fill("Cứ 3 Sai")
    phone.get_by_role("button", name="Lưu trên máy").click()
    name_error = phone.locator("#child-full_name-error")
    born_error = phone.locator("#child-date_of_birth-error")
    expect(name_error).to_contain_text("không có chữ số")
    expect(born_error).to_be_visible()

    name.fill("Cứ Văn")
    expect(name_error).to_be_hidden()
    expect(name).not_to_have_attribute("aria-invalid", "true")
    expect(born_error).to_be_visible()  # the others keep theirs until they are right
    name.fill("C")
    expect(name_error).to_be_hidden()  # typing on: no message until the next save
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2019-05-17")
    expect(born_error).to_be_hidden()
    assert phone.problems == []


def test_one_village_has_no_all_villages_filter_and_two_have_one(field, phone, browser):
    field.on_phone(phone)  # a collector of one village
    expect(phone.locator("#village-filter")).to_be_hidden()
    expect(phone.locator("#children-title")).to_have_text("Trẻ em ở Bản Pá Hốc")
    expect(phone.locator("#child-list li").first).to_be_visible()

    other = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = other.new_page()
    log_in(page, field.url, field.collector(("03808-002", "03808-003")))
    open_collect(page, field.url)
    villages = page.get_by_label("Thôn/bản", exact=True)
    expect(villages).to_be_visible()
    expect(villages.locator("option").first).to_have_text("Tất cả thôn/bản")
    expect(waiting(page)).to_have_text("0")
    other.close()
    assert phone.problems == []


def test_the_capture_form_finds_a_nationality_by_typing(field, phone):
    field.on_phone(phone)
    phone.get_by_role("link", name="Thêm trẻ em").click()
    nationality = phone.get_by_label("Quốc tịch", exact=True)
    expect(nationality).to_have_value("VN")
    phone.get_by_label("Tìm quốc tịch").fill("lao")
    expect(nationality).to_have_value("LA")
    expect(nationality.locator("option")).to_have_count(1)
    phone.get_by_label("Tìm quốc tịch").fill("")
    expect(nationality).to_have_value("LA")
    assert nationality.locator("option").count() > 240
    assert phone.problems == []
