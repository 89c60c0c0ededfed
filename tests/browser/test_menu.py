"""The header's menu: on a phone, one "Menu" control a thumb reaches, opening every link (no
script needed); on a wide screen, the links as they are, with nothing to open."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_foundation import log_in

pytestmark = pytest.mark.browser

FIELD_LINKS = ["Trang chủ", "Thu thập", "Trẻ em", "Thiết bị", "Đổi mật khẩu"]
OFFICER_LINKS = ["Trang chủ", "Trẻ em", "Chờ duyệt", "Làm sạch dữ liệu", "Phúc tra",
                 "Xác thực với công an", "Thôn/bản", "Nhập tệp phiếu", "Thiết bị thu thập",
                 "Hồ sơ vụ việc", "Báo cáo", "Tài khoản", "Nhật ký truy cập", "Cài đặt",
                 "Thiết bị", "Đổi mật khẩu"]


def _signed_in(browser, base, username, width, javascript=True):
    context = browser.new_context(viewport={"width": width, "height": 780}, locale="vi-VN",
                                  java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, base, username)
    page.wait_for_url(f"{base}/")
    return page


def _nav(page):
    return page.get_by_role("navigation", name="Điều hướng chính")


@pytest.mark.parametrize(("username", "links"), [("ctv2", FIELD_LINKS),
                                                  ("canbo", OFFICER_LINKS)])
def test_on_a_phone_the_menu_is_one_control_that_opens_every_link(browser, live_server,
                                                                  username, links):
    page = _signed_in(browser, live_server, username, 360, javascript=False)
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 0.12 * 780
    nav = _nav(page)
    anchors = nav.locator("a")
    assert anchors.all_text_contents() == links  # in the page, hidden
    assert not any(a.is_visible() for a in anchors.all())
    summary = nav.locator("summary")
    expect(summary).to_have_text("Menu")
    box = summary.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert box["y"] + box["height"] <= header["height"]

    summary.click()
    for label in links:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
    for link in anchors.all():
        assert link.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    summary.click()
    expect(nav.get_by_role("link", name="Trang chủ")).to_be_hidden()
    page.context.close()


def test_the_keyboard_reaches_the_menu_after_the_skip_link(browser, live_server):
    page = _signed_in(browser, live_server, "ctv2", 360)
    focused = "document.activeElement.className || document.activeElement.tagName"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "skip"
    expect(page.get_by_role("link", name="Bỏ qua điều hướng")).to_be_in_viewport()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "SUMMARY"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Trang chủ"
    expect(_nav(page).get_by_role("link", name="Trẻ em")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize(("username", "links"), [("ctv2", FIELD_LINKS),
                                                  ("canbo", OFFICER_LINKS)])
def test_on_a_wide_screen_every_link_shows_without_opening_anything(browser, live_server,
                                                                   username, links):
    page = _signed_in(browser, live_server, username, 1024)
    nav = _nav(page)
    expect(nav.locator("summary")).to_be_hidden()
    for label in links:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.context.close()


def test_on_a_desktop_the_officers_menu_is_one_line_and_the_register_a_wide_table(
        browser, live_server):
    page = _signed_in(browser, live_server, "canbo", 1366)
    nav = _nav(page)
    own = [*nav.locator(".own a").all(), nav.get_by_role("button", name="Đăng xuất")]
    menu = nav.locator(".menu-panel > ul a").all()
    brand = page.locator(".brand").bounding_box()
    assert len({round(a.bounding_box()["y"]) for a in menu}) == 1  # the menu: one line
    assert len(menu) == len(OFFICER_LINKS) - 2
    for item in own:  # beside the name, above the menu
        box = item.bounding_box()
        assert box["y"] < brand["y"] + brand["height"] <= menu[0].bounding_box()["y"]
    for item in [*menu, *own]:
        box = item.bounding_box()
        assert box["x"] + box["width"] <= 1366 and box["height"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{live_server}/children/")
    expect(page.locator("#results table.list thead th").first).to_be_visible()
    assert page.locator("#results").bounding_box()["width"] >= 1200  # the width is used
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
