"""Hồ sơ vụ việc on a phone (issue 16 §5): at 360 px, without JavaScript, the officer goes
from the home's overdue warning to the case, whose next step is the open form at the top,
thumb-sized; the chair finds the plan to approve."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_menu import _signed_in

pytestmark = pytest.mark.browser


def test_an_overdue_case_opens_on_a_phone_with_its_next_step(browser, live_server):
    page = _signed_in(browser, live_server, "canbo", 360, javascript=False)
    card = page.locator("#cases-due")
    expect(card).to_contain_text("1 hồ sơ quá hạn")
    card.get_by_role("link", name="1 hồ sơ quá hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ vụ việc")
    expect(page.locator("tr.overdue")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("tr.overdue a").first.click()
    expect(page.locator("#case")).to_contain_text("Đã tiếp nhận")
    expect(page.locator(".deadline.late").first).to_contain_text("quá hạn")
    form = page.locator("#step-verify")
    expect(form).to_be_visible()
    button = form.get_by_role("button", name="Xác minh thông tin")
    box = button.bounding_box()
    assert box and box["height"] >= 44, box
    expect(form.get_by_role("radio", name="Có")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


def test_the_chair_approves_from_a_phone(browser, live_server):
    page = _signed_in(browser, live_server, "chutich", 360, javascript=False)
    page.locator("#cases-due").get_by_role("link", name="1 kế hoạch chờ Chủ tịch UBND xã "
                                            "phê duyệt").click()
    page.locator("table.list tbody a").first.click()
    expect(page.locator("#step-approve")).to_be_visible()
    expect(page.locator("#step-verify")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
