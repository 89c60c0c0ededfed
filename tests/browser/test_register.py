"""The register in a real browser on a phone: an officer records a child through the htmx form,
finds it by a search without diacritics, and a collaborator sees its restricted group masked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_foundation import fits_width, log_in, log_out

pytestmark = pytest.mark.browser


def test_officer_records_a_child_and_the_collaborator_sees_it_masked(live_server, phone):
    log_in(phone, live_server, "canbo")
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}/children/new")
    phone.get_by_role("button", name="Lưu").click()
    phone.locator("#child-form .error").first.wait_for()
    assert "Họ và tên: vui lòng nhập." in phone.inner_text("#child-form")

    phone.get_by_label("Họ và tên", exact=True).fill("đinh thị thử nghiệm")
    phone.get_by_label("Giới tính").select_option("2")
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2019-05-17")
    phone.get_by_label("Dân tộc").select_option("03")
    phone.get_by_label("Thôn, xóm, bản").select_option("03808-002")
    phone.get_by_label("Họ tên chủ hộ").fill("Đinh Văn Chủ")
    phone.locator("#caregivers-0-relation").select_option("mother")
    phone.locator("#caregivers-0-full_name").fill("Lò Thị Mẹ")
    phone.locator("#circumstances-0-code").select_option("DB12")
    phone.get_by_role("button", name="Lưu").click()
    phone.wait_for_url(re.compile(r"/children/[0-9a-f-]{36}$"))
    assert phone.inner_text("h1") == "Đinh Thị Thử Nghiệm"
    assert "DB12" in phone.inner_text("#circumstances")
    assert fits_width(phone)

    phone.goto(f"{live_server}/children/")
    phone.get_by_label("Tìm theo tên hoặc số định danh").fill("dinh thi thu")
    phone.get_by_role("button", name="Tìm").click()
    expect(phone.locator("#results p.muted")).to_have_text("1 trẻ")
    child_url = phone.get_by_role("link", name="Đinh Thị Thử Nghiệm").get_attribute("href")
    assert "dinh" not in phone.url  # the search was posted, not put in the address
    log_out(phone)

    log_in(phone, live_server, "ctv2")  # truongban1 is locked by another test
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}{child_url}")
    circumstances = phone.inner_text("#circumstances")
    assert "hạn chế" in circumstances
    assert "DB12" not in phone.content() and "xâm hại" not in phone.content()
    assert phone.problems == []


def test_officer_finds_a_nationality_by_typing_part_of_its_name(live_server, phone):
    log_in(phone, live_server, "canbo")
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}/children/new")
    phone.get_by_role("button", name="Lưu").click()  # htmx swaps the form in: wired again
    phone.locator("#child-form .error").first.wait_for()
    nationality = phone.get_by_label("Quốc tịch", exact=True)
    expect(nationality).to_have_value("VN")
    search = phone.get_by_label("Tìm quốc tịch")
    expect(search).to_have_count(1)
    search.fill("trieu")  # no accents: "Triều Tiên"
    expect(nationality).to_have_value("KP")
    expect(nationality.locator("option")).to_have_count(1)
    search.fill("quốc")
    expect(nationality.locator("option").first).to_have_text("Trung Quốc")
    nationality.select_option("KR")
    search.press("Enter")  # moves to the select, does not send the form
    search.fill("")
    expect(nationality).to_have_value("KR")
    assert nationality.locator("option").count() > 240
    assert "/children/new" in phone.url
    assert fits_width(phone)
    assert phone.problems == []
