"""The returned-item loop end to end, in two browsers: a collector's phone with no network,
and the commune officer's review pages (both 360 px wide)."""

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.auth.models import User
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.collection import services as collection
from fieldapp.extensions import db
from tests.browser.field import add_child, log_in, waiting
from tests.submissions import update_of


@pytest.fixture()
def officer_page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    page.problems = []
    expected = ("status of 422", "status of 409")  # refused forms, answered in the panel
    page.on("console", lambda msg: msg.type == "error" and not any(
        text in msg.text for text in expected) and page.problems.append(msg.text))
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
    # The filtered list has replaced the whole inbox (the demo's and other tests' rows gone):
    # a click on a row of the list being replaced would be lost.
    expect(officer.locator("#review-list li")).to_have_count(1)
    row = officer.locator("#review-list li", has_text=name)
    row.get_by_role("link", name=name).click()
    expect(officer.locator("#panel-title")).to_contain_text(name)


def test_returned_fixed_on_the_phone_then_approved_into_the_register(field, phone, officer_page):
    base = field.url
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Giàng Thị Vòng Lặp", born="2018-02-03")
    expect(waiting(phone)).to_have_text("1")
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)

    open_own(officer_page, base, user, "Giàng Thị Vòng Lặp")
    officer_page.get_by_text("Trả lại hoặc từ chối").click()
    officer_page.get_by_label("Điều cần sửa").fill("Ngày sinh theo giấy khai sinh là 03/03/2018.")
    officer_page.get_by_role("button", name="Trả lại").click()
    expect(officer_page.locator("#review-panel")).to_contain_text("Đã trả lại phiếu")
    expect(officer_page.locator("#review-list")).not_to_contain_text("Giàng Thị Vòng Lặp")

    phone.get_by_role("button", name="Đồng bộ").click()
    fix = phone.locator("#fix-list li", has_text="Giàng Thị Vòng Lặp")
    expect(fix).to_contain_text("Ngày sinh theo giấy khai sinh là 03/03/2018.", timeout=15000)
    fix.get_by_role("link", name="Sửa và gửi lại").click()
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2018-03-03")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#sent-list")).to_contain_text("Đã sửa lại", timeout=15000)
    expect(waiting(phone)).to_have_text("0")

    open_own(officer_page, base, user, "Giàng Thị Vòng Lặp")
    expect(officer_page.locator("#review-panel")).to_contain_text("Bản sửa của phiếu bị trả lại")
    expect(officer_page.locator("#review-panel")).to_contain_text("03/03/2018")
    officer_page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(officer_page.locator("#review-panel")).to_contain_text("Đã duyệt phiếu.")

    officer_page.goto(f"{base}/children")
    officer_page.get_by_label("Tìm theo tên").fill("giang thi vong lap")
    officer_page.get_by_role("button", name="Tìm").click()
    expect(officer_page.locator("#results")).to_contain_text("03/03/2018")
    officer_page.get_by_role("link", name="Giàng Thị Vòng Lặp").click()
    # the history's source
    expect(officer_page.locator("main")).to_contain_text("Duyệt phiếu thu thập")

    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#sent-list li", has_text="Giàng Thị Vòng Lặp").first).to_contain_text(
        "Đã duyệt", timeout=15000)
    assert phone.problems == [] and officer_page.problems == []


def _register_child(app, username: str) -> tuple[str, str]:
    """A child in the register (by the officer) and the collector's update of its version 1
    renaming it, sent; the officer then renames the child otherwise (version 2)."""
    with app.app_context(), app.test_request_context():
        officer = db.session.scalars(select(User).where(User.username == "canbo")).one()
        collector = db.session.scalars(select(User).where(User.username == username)).one()
        child = register.create_child(officer, {
            "child": {"full_name": "Sùng A Cũ", "sex": "1", "date_of_birth": "2017-04-05",
                      "ethnicity_code": "08", "village_code": "03808-002"},
            "household": {"head_name": "Sùng A Chủ"},
            "caregivers": [{"relation": "mother", "full_name": "Mùa Thị Mẹ"}]})
        db.session.flush()
        item = update_of(child, collector, {"data.child.full_name": "Sùng A Mới",
                                            "data.child.schooling_status": "HT03"})
        assert collection.receive(collector, [item])[0]["status"] == "accepted"
        rename(officer, child, "Sùng A Sổ")
        db.session.commit()
        return str(child.id), item["uuid"]


def rename(officer, child, name: str) -> None:
    register.update_child(officer, child, {
        "child": {"full_name": name, "sex": "1", "date_of_birth": "2017-04-05",
                  "ethnicity_code": "08", "village_code": "03808-002"},
        "caregivers": [{"relation": "mother", "full_name": "Mùa Thị Mẹ"}]})


def test_a_stale_update_is_resolved_field_by_field(field, officer_page):
    user = field.collector()
    child_id, _ = _register_child(field.app, user)
    open_own(officer_page, field.url, user, "Sùng A Mới")
    panel = officer_page.locator("#review-panel")
    expect(panel).to_contain_text("Sổ đăng ký đã thay đổi")
    both = panel.locator("li.both")
    expect(both).to_contain_text("Cả hai đã sửa")
    expect(both).to_contain_text("Bản người thu thập lấy: Sùng A Cũ")
    officer_page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(panel).to_contain_text("chọn giá trị giữ lại")  # nothing applied yet
    panel.get_by_label("Lấy đề xuất: Sùng A Mới").check()
    with field.app.app_context(), field.app.test_request_context():  # meanwhile, in the office
        rename(db.session.scalars(select(User).where(User.username == "canbo")).one(),
               db.session.get(Child, uuid.UUID(child_id)), "Sùng A Sổ Hai")
        db.session.commit()
    officer_page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(panel).to_contain_text("vừa thay đổi: hãy xem lại")  # the 409, shown in place
    expect(panel).to_contain_text("Giữ trong sổ: Sùng A Sổ Hai")
    panel.get_by_label("Lấy đề xuất: Sùng A Mới").check()
    officer_page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(panel).to_contain_text("Đã duyệt phiếu.")
    with field.app.app_context():
        child = db.session.get(Child, uuid.UUID(child_id))
        assert (child.full_name, child.schooling_status, child.version) == (
            "Sùng A Mới", "HT03", 4)
    assert officer_page.problems == []
