"""What a collector does with items on the phone: edit or discard one before it is sent, fix
one the server refused (the others go on), save the unsent ones to a file that the commune
officer imports, and fix one the officer returned with a note."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, fill_child, log_in, waiting

pytestmark = pytest.mark.browser


def test_edit_and_discard_items_before_they_are_sent(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Lò Thị Viết Sai")
    add_child(phone, "Lò Văn Bỏ Đi", sex="1")
    first = phone.locator("#waiting-list li", has_text="Lò Thị Viết Sai")
    first.get_by_role("link", name="Sửa").click()
    expect(phone.get_by_label("Họ và tên", exact=True)).to_have_value("Lò Thị Viết Sai")
    phone.get_by_label("Họ và tên", exact=True).fill("Lò Thị Viết Đúng")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("2")  # the same item, edited: not a third one
    second = phone.locator("#waiting-list li", has_text="Lò Văn Bỏ Đi")
    second.get_by_role("button", name="Xóa phiếu").click()
    second.get_by_role("button", name="Chắc chắn xóa phiếu này?").click()
    expect(waiting(phone)).to_have_text("1")

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == ["Lò Thị Viết Đúng"]
    assert phone.problems == []


def test_an_item_the_server_refuses_is_fixed_on_the_phone_and_the_rest_go_on(field, phone):
    phone.expected.append("status of 413")
    user = field.on_phone(phone, ("03808-002", "03808-003"))
    field.offline(phone)
    add_child(phone, "Cà Văn Đúng Bản", sex="1")
    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Cà Thị Sai Bản")
    phone.get_by_label("Thôn, xóm, bản").select_option("03808-003")
    phone.get_by_role("button", name="Lưu trên máy").click()
    add_child(phone, "Cà Văn Quá Lớn", sex="1")
    field.set_places(user, ["03808-002"])  # meanwhile the officer takes village 003 away
    field.faults.refuse = ("Cà Văn Quá Lớn", 413)

    field.online(phone)
    fix = phone.locator("#fix-list")
    expect(fix.locator("li")).to_have_count(2, timeout=15000)
    expect(fix.locator("li", has_text="Cà Thị Sai Bản")).to_contain_text(
        "Thôn/bản không thuộc địa bàn của bạn.")
    expect(fix.locator("li", has_text="Cà Văn Quá Lớn")).to_contain_text("Phiếu quá lớn.")
    assert [s["name"] for s in field.submissions(user)] == ["Cà Văn Đúng Bản"]
    expect(waiting(phone)).to_have_text("2")  # "Cần sửa" items still wait

    field.faults.reset()
    fix.locator("li", has_text="Cà Thị Sai Bản").get_by_role("link", name="Sửa phiếu").click()
    expect(phone.locator("#child-village-error")).to_have_text(
        "Thôn/bản không thuộc địa bàn của bạn.")
    # The sync brought the new packet: village 003 is no longer offered.
    village = phone.get_by_label("Thôn, xóm, bản")
    expect(village.locator("option", has_text="Tiểu khu Mường Chùm")).to_have_count(0)
    village.select_option("03808-002")
    phone.get_by_role("button", name="Lưu trên máy").click()
    fix.locator("li", has_text="Cà Văn Quá Lớn").get_by_role("link", name="Sửa phiếu").click()
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert sorted(s["name"] for s in field.submissions(user)) == [
        "Cà Thị Sai Bản", "Cà Văn Quá Lớn", "Cà Văn Đúng Bản"]
    assert phone.problems == []


def test_unsent_items_saved_to_a_file_are_imported_by_the_officer(field, phone, browser,
                                                                 live_server):
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Lầu A Qua Tệp", sex="1")
    add_child(phone, "Lầu Thị Qua Tệp")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Lưu phiếu chưa gửi ra tệp").click()
    path = download.value.path()
    content = json.loads(Path(path).read_text(encoding="utf-8"))
    assert content["format"] == "fieldapp-outbox" and len(content["submissions"]) == 2

    office = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    desk = office.new_page()  # the commune office has its own network
    log_in(desk, live_server, "canbo")
    desk.goto(f"{live_server}/collect/import")
    desk.get_by_label("Tệp phiếu chưa gửi (.json)").set_input_files(path)
    desk.get_by_role("button", name="Nhập tệp").click()
    expect(desk.locator("#import-result")).to_contain_text("Đã nhận, chờ duyệt: 2")
    office.close()
    assert sorted(s["name"] for s in field.submissions(user)) == ["Lầu A Qua Tệp",
                                                                   "Lầu Thị Qua Tệp"]

    field.online(phone)  # the phone sends them too: the server already has them
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert len(field.submissions(user)) == 2
    assert phone.problems == []


def test_a_returned_item_is_fixed_on_the_phone_and_sent_again(field, phone):
    user = field.on_phone(phone)
    add_child(phone, "Giàng A Bị Trả")
    expect(phone.locator("#sent-list")).to_contain_text("Giàng A Bị Trả", timeout=15000)
    [sent] = field.submissions(user)
    field.decide(sent["uuid"], "returned", "Ngày sinh chưa đúng theo giấy khai sinh.")

    phone.get_by_role("button", name="Đồng bộ").click()
    fix = phone.locator("#fix-list li", has_text="Giàng A Bị Trả")
    expect(fix).to_contain_text("Cán bộ xã trả lại: Ngày sinh chưa đúng theo giấy khai sinh.")
    fix.get_by_role("link", name="Sửa và gửi lại").click()
    expect(phone.locator("#form-note")).to_contain_text("Ngày sinh chưa đúng")
    phone.get_by_label("Ngày, tháng, năm sinh").fill("2019-06-01")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#sent-list")).to_contain_text("Đã sửa lại", timeout=15000)
    expect(waiting(phone)).to_have_text("0")
    expect(phone.locator("#fix-list li")).to_have_count(0)
    stored = field.submissions(user)
    assert [s["state"] for s in stored] == ["superseded", "received"]
    assert stored[1]["data"]["child"]["date_of_birth"] == "2019-06-01"
    assert phone.problems == []


EDIT_WHILE_SENDING = """async (name) => {
  const user = document.getElementById("collect").dataset.user;
  const [item] = await FA.outbox.list(user);
  item.data.child.full_name = name;
  await FA.outbox.save(item);  // the author's edit lands while the older content is on its way
}"""


def test_an_edit_made_while_the_item_is_on_its_way_is_kept_not_lost(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Vàng A Bản Đầu", sex="1")
    field.faults.delay = 2.0
    field.online(phone)
    expect(phone.locator("#waiting-list")).to_contain_text("Đang gửi", timeout=10000)
    phone.evaluate(EDIT_WHILE_SENDING, "Vàng A Bản Sửa")
    expect(phone.locator("#sync-message")).to_contain_text("Đã gửi 1 phiếu", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == ["Vàng A Bản Đầu"]
    expect(waiting(phone)).to_have_text("1")  # the receipt was for the older content

    field.faults.reset()
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(phone.locator("#waiting-list")).to_contain_text("Xung đột", timeout=15000)
    assert field.conflicts(user) == [{"uuid": field.submissions(user)[0]["uuid"],
                                      "name": "Vàng A Bản Sửa"}]  # kept for the officer
    assert phone.problems == []


def test_the_phone_shows_what_the_officer_decided(field, phone):
    field.on_phone(phone)
    user = phone.locator("#collect").get_attribute("data-username")
    add_child(phone, "Cầm Văn Được Duyệt", sex="1")
    add_child(phone, "Cầm Thị Bị Từ Chối")
    expect(phone.locator("#sent-list li")).to_have_count(2, timeout=15000)
    expect(phone.locator("#sent-list")).to_contain_text("Đã gửi · Chờ duyệt")
    approved, rejected = field.submissions(user)
    field.decide(approved["uuid"], "approved")
    field.decide(rejected["uuid"], "rejected", "Trẻ đã có trong sổ (trùng).")
    phone.get_by_role("button", name="Đồng bộ").click()
    sent = phone.locator("#sent-list")
    expect(sent.locator("li", has_text="Cầm Văn Được Duyệt")).to_contain_text("Đã duyệt")
    expect(sent.locator("li", has_text="Cầm Thị Bị Từ Chối")).to_contain_text(
        "Bị từ chối")
    expect(sent.locator("li", has_text="Cầm Thị Bị Từ Chối")).to_contain_text(
        "Trẻ đã có trong sổ (trùng).")
    assert phone.problems == []
