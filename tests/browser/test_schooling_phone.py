"""The phone and schooling (issue 14 §1.3), offline: a status that does not fit the child's
age is a warning the collector sees and may still send (the first save stops on it, the
second sends it); a dropout (HT07) is asked the level left and the day, which reach the
server with the submission."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import fill_child, waiting
from tests.browser.test_foundation import fits_width

pytestmark = pytest.mark.browser


def test_schooling_warning_and_dropout_questions_offline(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)

    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Lò Văn Mẫu Giáo", born="2022-03-01")  # four years old
    phone.get_by_label("Tình trạng học tập").select_option("HT05")
    expect(phone.locator("#dropout-fields")).to_be_hidden()
    phone.get_by_role("button", name="Lưu trên máy").click()
    warning = phone.locator("#child-schooling_status-error")
    expect(warning).to_contain_text("“Trung học phổ thông” không hợp với tuổi của trẻ")
    expect(warning).to_have_class("error warning")
    expect(phone.locator("#form-alert")).to_contain_text("bấm “Lưu trên máy” lần nữa")
    assert phone.locator("#child-schooling_status").get_attribute("aria-invalid") is None
    expect(waiting(phone)).to_have_text("0")
    assert fits_width(phone)
    phone.get_by_role("button", name="Lưu trên máy").click()  # the collector keeps it
    expect(phone.locator("#view-home")).to_be_visible()
    expect(waiting(phone)).to_have_text("1")

    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Cầm Thị Bỏ Học", born="2013-05-01")
    phone.get_by_label("Tình trạng học tập").select_option("HT07")
    expect(phone.locator("#dropout-fields")).to_be_visible()
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#child-school_left_level-error")).to_have_text(
        "Trẻ đã bỏ học: chọn cấp học khi bỏ học.")
    expect(phone.locator("#child-school_left_on-error")).to_have_text(
        "Trẻ đã bỏ học: nhập ngày (hoặc tháng) bỏ học.")
    expect(waiting(phone)).to_have_text("1")
    phone.get_by_label("Cấp học khi bỏ học").select_option("THCS")
    phone.get_by_label("Ngày bỏ học").fill("2025-05-20")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#view-home")).to_be_visible()
    expect(waiting(phone)).to_have_text("2")

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    stored = {s["name"]: s["data"]["child"] for s in field.submissions(user)}
    assert stored["Lò Văn Mẫu Giáo"]["schooling_status"] == "HT05"
    assert stored["Lò Văn Mẫu Giáo"].get("school_left_level") is None
    assert (stored["Cầm Thị Bỏ Học"]["schooling_status"],
            stored["Cầm Thị Bỏ Học"]["school_left_level"],
            stored["Cầm Thị Bỏ Học"]["school_left_on"]) == ("HT07", "THCS", "2025-05-20")
    assert phone.problems == []
