"""The returned-item loop end to end, in two browsers: a collector's phone with no network,
and the commune officer's review pages (both 360 px wide)."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, log_in, waiting


@pytest.fixture()
def officer(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and "status of 422" not in msg.text
            and page.problems.append(msg.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    log_in(page, live_server, "canbo")
    yield page
    context.close()


def open_own(officer, base: str, username: str, name: str) -> None:
    """The officer filters the inbox to one collector and opens the submission named."""
    officer.goto(f"{base}/review")
    officer.get_by_text("Bộ lọc", exact=True).click()
    officer.get_by_label("Người thu thập").select_option(label=f"Cộng Tác Thử ({username})")
    officer.get_by_role("button", name="Lọc").click()
    row = officer.locator("#review-list li", has_text=name)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=name).click()
    expect(officer.locator("#panel-title")).to_contain_text(name)


def test_returned_fixed_on_the_phone_then_approved_into_the_register(field, phone, officer):
    base = field.url
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Giàng Thị Vòng Lặp", born="2018-02-03")
    expect(waiting(phone)).to_have_text("1")
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)

    open_own(officer, base, user, "Giàng Thị Vòng Lặp")
    officer.get_by_text("Trả lại hoặc từ chối").click()
    officer.get_by_label("Điều cần sửa").fill("Ngày sinh theo giấy khai sinh là 03/03/2018.")
    officer.get_by_role("button", name="Trả lại").click()
    expect(officer.locator("#review-panel")).to_contain_text("Đã trả lại phiếu")
    expect(officer.locator("#review-list")).not_to_contain_text("Giàng Thị Vòng Lặp")

    phone.get_by_role("button", name="Đồng bộ").click()
    fix = phone.locator("#fix-list li", has_text="Giàng Thị Vòng Lặp")
    expect(fix).to_contain_text("Ngày sinh theo giấy khai sinh là 03/03/2018.", timeout=15000)
    fix.get_by_role("link", name="Sửa và gửi lại").click()
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2018-03-03")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#sent-list")).to_contain_text("Đã sửa lại", timeout=15000)
    expect(waiting(phone)).to_have_text("0")

    open_own(officer, base, user, "Giàng Thị Vòng Lặp")
    expect(officer.locator("#review-panel")).to_contain_text("Bản sửa của phiếu bị trả lại")
    expect(officer.locator("#review-panel")).to_contain_text("03/03/2018")
    officer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(officer.locator("#review-panel")).to_contain_text("Đã duyệt phiếu.")

    officer.goto(f"{base}/children")
    officer.get_by_label("Tìm theo tên").fill("giang thi vong lap")
    officer.get_by_role("button", name="Tìm").click()
    expect(officer.locator("#results")).to_contain_text("03/03/2018")
    officer.get_by_role("link", name="Giàng Thị Vòng Lặp").click()
    expect(officer.locator("main")).to_contain_text("Duyệt phiếu thu thập")  # the history's source

    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sent-list li", has_text="Giàng Thị Vòng Lặp").first).to_contain_text(
        "Đã duyệt", timeout=15000)
    assert phone.problems == [] and officer.problems == []
