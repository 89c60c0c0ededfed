"""A child at risk reported from a phone with no signal (issue 16 §3): the report waits in the
outbox like any item, goes when the phone is back in coverage, and the commune officer finds the
case on the home page at once. The reporter's phone says only "Đã tiếp nhận" and keeps nothing
of the report's content once it is received."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import log_in, waiting

pytestmark = pytest.mark.browser

SEEN = "Thấy cháu bị người lớn đánh ở bờ suối, cháu khóc và chạy vào rừng."
SENT = """() => FA.idb.byUser("sent", document.getElementById("collect").dataset.user)"""


def _officer_finds(browser, url: str, name: str, *facts: str) -> None:
    """The commune officer's home flags the new report; its case holds what was reported."""
    office = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    desk = office.new_page()
    log_in(desk, url, "canbo")
    flag = desk.locator("#new-reports")
    expect(flag).to_contain_text("tin báo mới từ thôn, bản")
    flag.get_by_role("link").click()
    desk.get_by_role("link", name=name).first.click()
    expect(desk.locator("h1")).to_have_text(f"Hồ sơ vụ việc: {name}")
    expect(desk.locator("#case")).to_contain_text("Tiếp nhận")
    for fact in facts:
        expect(desk.locator("#case, #report")).to_contain_text([fact])
    office.close()


def test_a_report_made_offline_reaches_the_officer_and_the_phone_says_received(
        field, phone, browser):
    field.on_phone(phone)
    field.offline(phone)
    phone.locator("#report-child").click()
    form = phone.locator("#report-form")
    expect(form).to_be_visible()
    expect(phone.get_by_label("Thời điểm phát hiện")).not_to_have_value("")  # now, by default

    form.get_by_role("button", name="Lưu và gửi tin báo").click()  # nothing filled in
    expect(phone.locator("#report-child-full_name-error")).to_have_text(
        "Họ tên trẻ: vui lòng nhập.")
    expect(phone.locator("#report-situation-error")).to_have_text(
        "Sự việc đã thấy: vui lòng nhập.")
    expect(phone.locator("#report-urgent-error")).to_contain_text("vui lòng chọn có hoặc không")

    phone.get_by_label("Họ và tên trẻ").fill("Lò Thị Gặp Nạn")
    expect(phone.locator("#report-child-full_name-error")).to_be_hidden()  # right: it goes
    phone.get_by_label("Trẻ trai hay trẻ gái").select_option("2")
    phone.get_by_label("Tuổi (ước tính)").fill("8")
    phone.get_by_label("Sự việc đã thấy").fill(SEEN)
    phone.get_by_label("Nơi xảy ra").fill("Bờ suối cuối bản")
    phone.get_by_label("Có, khẩn cấp").check()
    form.get_by_role("button", name="Lưu và gửi tin báo").click()

    expect(phone.locator("#view-home")).to_be_visible()
    expect(phone.locator("#sync-message")).to_contain_text("Đã lưu tin báo trên máy")
    expect(waiting(phone)).to_have_text("1")
    expect(phone.locator("#waiting-list")).to_contain_text("Tin báo trẻ cần bảo vệ")

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    sent = phone.locator("#sent-list li", has_text="Lò Thị Gặp Nạn")
    expect(sent).to_contain_text("Đã tiếp nhận")
    [kept] = [s for s in phone.evaluate(SENT) if s["label"] == "Lò Thị Gặp Nạn"]
    assert kept["state"] == "acknowledged" and kept["data"] is None  # nothing of the report

    _officer_finds(browser, field.url, "Lò Thị Gặp Nạn", SEEN, "Báo khẩn", "Bờ suối cuối bản")
    assert phone.problems == []


def test_a_report_about_a_register_child_from_its_page(field, phone, browser):
    field.on_phone(phone)
    first = phone.locator("#child-list li a").first
    name = first.inner_text()
    first.click()
    phone.locator("#child-report").click()
    expect(phone.locator("#report-known")).to_contain_text(f"Trẻ: {name}")
    expect(phone.locator("#report-new-child")).to_be_hidden()  # the register says who
    phone.get_by_label("Sự việc đã thấy").fill("Cháu nghỉ học cả tuần, bố mẹ đi làm xa, "
                                                "cháu ở nhà một mình và bị người lạ rủ đi.")
    phone.locator("#report-form").get_by_label("Không", exact=True).check()
    phone.locator("#report-form").get_by_role("button", name="Lưu và gửi tin báo").click()

    expect(phone.locator("#sent-list li", has_text=name)).to_contain_text("Đã tiếp nhận",
                                                                          timeout=15000)
    _officer_finds(browser, field.url, name, "người lạ rủ đi")

    phone.goto(f"{field.url}/collect#/")  # not this child after all: describe the child instead
    phone.locator("#child-list li a", has_text=name).first.click()
    phone.locator("#child-report").click()
    phone.get_by_role("button", name="Không đúng trẻ này? Ghi thông tin trẻ").click()
    expect(phone.locator("#report-new-child")).to_be_visible()
    expect(phone.get_by_label("Họ và tên trẻ")).to_have_value(name)
    expect(phone.locator("#report-known")).to_be_hidden()
    assert phone.problems == []


def test_a_report_begun_from_home_survives_a_reload_as_a_draft(field, phone):
    field.on_phone(phone)
    phone.goto(f"{field.url}/")
    phone.locator("#home-report").click()
    expect(phone.locator("#report-form")).to_be_visible()
    field.offline(phone)
    phone.get_by_label("Họ và tên trẻ").fill("Lò Văn Nháp")
    phone.get_by_label("Sự việc đã thấy").fill("Cháu bị ngã xuống suối, người nhà chưa biết.")
    expect(phone.locator("#report-draft-status")).to_contain_text("Đã tự lưu bản nháp")

    phone.reload()  # offline: the page comes from the worker's cache
    offer = phone.locator("#draft-offer")
    expect(offer).to_contain_text("Tin báo: Lò Văn Nháp")
    offer.get_by_role("button", name="Tiếp tục").click()
    expect(phone.get_by_label("Họ và tên trẻ")).to_have_value("Lò Văn Nháp")
    expect(phone.get_by_label("Sự việc đã thấy")).to_have_value(
        "Cháu bị ngã xuống suối, người nhà chưa biết.")
    phone.get_by_label("Tuổi (ước tính)").fill("5")
    phone.locator("#report-form").get_by_label("Không", exact=True).check()
    phone.locator("#report-form").get_by_role("button", name="Lưu và gửi tin báo").click()
    expect(waiting(phone)).to_have_text("1")
    expect(offer).to_be_hidden()  # saved: the draft is over
    assert phone.problems == []
