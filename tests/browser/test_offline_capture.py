"""(a) A collaborator registers three children with no network, one after fixing a validation
error; the page survives an offline reload; back online, exactly three submissions reach the
server and the phone shows them as waiting for review."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, fill_child, waiting
from tests.browser.test_foundation import fits_width

pytestmark = pytest.mark.browser


def test_three_children_recorded_offline_reach_the_server_once(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    expect(phone.locator("#network")).to_have_text("Mất kết nối")

    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Lò Thị Ngoại Tuyến", born="2030-01-01")
    phone.get_by_role("button", name="Lưu trên máy").click()
    error = phone.locator("#child-date_of_birth-error")
    expect(error).to_have_text(
        "Ngày, tháng, năm sinh không được sau ngày thu thập hoặc ở tương lai.")
    assert phone.locator("#child-date_of_birth").get_attribute("aria-invalid") == "true"
    expect(waiting(phone)).to_have_text("0")
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2019-05-17")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")
    add_child(phone, "Cầm Văn Không Sóng", sex="1", born="2016-02-29")
    add_child(phone, "Quàng Thị Bản Xa", born="2022-11-30")
    expect(waiting(phone)).to_have_text("3")
    assert fits_width(phone)

    phone.reload()  # still offline: the service worker serves the page, IndexedDB the items
    expect(waiting(phone)).to_have_text("3")
    expect(phone.locator("#waiting-list li")).to_have_count(3)
    expect(phone.locator("#waiting-list")).to_contain_text("Lưu trên máy")
    assert field.submissions(user) == []

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    stored = field.submissions(user)
    assert sorted(s["name"] for s in stored) == [
        "Cầm Văn Không Sóng", "Lò Thị Ngoại Tuyến", "Quàng Thị Bản Xa"]
    assert all(s["state"] == "received" and s["child_id"] is None for s in stored)
    expect(phone.locator("#sent-list li")).to_have_count(3)
    expect(phone.locator("#sent-list")).to_contain_text("Chờ duyệt")
    expect(phone.locator("#last-sync")).not_to_have_text("chưa có")
    assert phone.problems == []
