"""Báo cáo on a phone (issue 15 §2): at 360 px, without JavaScript, the report fits the
screen, an indicator opens with a thumb, and its bars are drawn (SVG from the server)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_menu import _signed_in

pytestmark = pytest.mark.browser


def test_the_report_fits_a_phone_and_opens_without_script(browser, live_server):
    page = _signed_in(browser, live_server, "chutich", 360, javascript=False)
    expect(page.locator("#figures")).to_contain_text("Tổng số trẻ em")
    page.locator("#due-report").get_by_role("link", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo")
    expect(page.locator("#summary")).to_contain_text("Trẻ em bị xâm hại (0101)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    special = page.locator("#special_circumstances")
    chart = special.locator("svg.chart").first
    expect(chart).to_be_hidden()  # closed until asked
    summary = special.locator("summary")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 360
    assert special.locator("svg.chart rect").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
