"""The foundation in a real browser, on a phone-sized screen, under the strict CSP."""

import re

import pytest

from fieldapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def open_menu(page) -> None:
    """Open the header's menu if it is collapsed (a phone-sized screen)."""
    summary = page.locator("details.menu > summary")
    if summary.is_visible() and page.locator("details.menu[open]").count() == 0:
        summary.click()


def log_out(page) -> None:
    """Press Đăng xuất, inside the menu."""
    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_login_page_fits_a_phone_and_logs_in(live_server, phone):
    phone.goto(f"{live_server}/login")
    assert phone.locator("html").get_attribute("lang") == "vi"
    assert fits_width(phone)
    log_in(phone, live_server, "canbo")
    phone.wait_for_url(f"{live_server}/")
    nav = phone.get_by_role("navigation", name="Điều hướng chính")
    open_menu(phone)
    for label in ("Thôn/bản", "Tài khoản", "Nhật ký truy cập"):
        assert nav.get_by_role("link", name=label).is_visible()
    assert fits_width(phone)
    assert phone.problems == []


def test_htmx_swaps_validation_errors_under_the_csp(live_server, phone):
    log_in(phone, live_server, "canbo")
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}/villages/")
    phone.evaluate("window.marker = 'same page'")
    phone.get_by_role("button", name="Thêm thôn/bản").click()
    error = phone.locator("#village-form .error")
    error.wait_for()
    assert "Vui lòng nhập tên thôn/bản" in error.inner_text()
    assert phone.evaluate("window.marker") == "same page"  # swapped in place, no reload
    phone.get_by_label("Tên thôn/bản").fill("  Bản   Thử   Trình duyệt ")
    phone.get_by_role("button", name="Thêm thôn/bản").click()
    phone.locator(".flash-success").wait_for()
    assert re.search(r"Bản Thử Trình duyệt \(mã 03808-\d{3}\)", phone.inner_text(".flash"))
    assert phone.locator("#village-form").count() == 1  # the page, not a page in the form
    assert fits_width(phone)
    assert phone.problems == []


def test_five_wrong_passwords_lock_the_village_head(live_server, phone):
    for _ in range(5):
        log_in(phone, live_server, "truongban1", "sai-mat-khau")
    assert "tạm thời bị khóa" in phone.inner_text("main")
    log_in(phone, live_server, "truongban1")
    assert "tạm thời bị khóa" in phone.inner_text("main")
    assert phone.url.endswith("/login")
