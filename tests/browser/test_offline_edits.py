"""A receipt never deletes an edit that was not sent: two editors of one waiting item (the
installed app and a browser tab on the same phone) while the item is on its way."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, waiting

pytestmark = pytest.mark.browser


def _edit_waiting_item(page, name: str) -> None:
    page.locator("#waiting-list li").first.get_by_role("link", name="Sửa").click()
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value(name)


def test_two_pages_editing_an_item_on_its_way_lose_neither_edit(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Sùng A Bản Gốc", sex="1")
    tab = phone.context.new_page()  # the same phone, a second window of the app
    tab.on("pageerror", lambda error: phone.problems.append(str(error)))
    tab.goto(f"{field.url}/collect")
    expect(waiting(tab)).to_have_text("1")
    _edit_waiting_item(tab, "Sùng A Bản Gốc")  # the tab opens the item before the app's edit
    _edit_waiting_item(phone, "Sùng A Bản Gốc")
    phone.get_by_label("Họ và tên", exact=True).fill("Sùng A Sửa Lần Một")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")

    field.faults.delay = 3.0  # the answer to the app's send is held on the way
    field.online(phone)
    expect(phone.locator("#waiting-list")).to_contain_text("Đang gửi", timeout=10000)
    tab.get_by_label("Họ và tên", exact=True).fill("Sùng A Sửa Lần Hai")
    tab.get_by_role("button", name="Lưu trên máy").click()
    split = tab.locator("#waiting-list li", has_text="Sùng A Sửa Lần Hai")
    expect(split).to_contain_text("Lưu thành phiếu riêng")  # the app's edit is not overwritten

    expect(phone.locator("#sync-message")).to_contain_text("Đã gửi 1 phiếu", timeout=15000)
    # The tab's run waited for the app's and sends the tab's edit after it.
    expect(waiting(tab)).to_have_text("0", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == [
        "Sùng A Sửa Lần Một", "Sùng A Sửa Lần Hai"]  # the second as a later submission
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert phone.problems == []


QUICK_SAVES = """async (names) => {
  const user = document.getElementById("collect").dataset.user;
  const [item] = await FA.outbox.list(user);
  // Two saves made from the same copy: neither may take the other's revision.
  const first = Object.assign({}, item, {data: Object.assign({}, item.data, {
    child: Object.assign({}, item.data.child, {full_name: names[0]})})});
  const second = Object.assign({}, item, {data: Object.assign({}, item.data, {
    child: Object.assign({}, item.data.child, {full_name: names[1]})})});
  const saved = await Promise.all([FA.outbox.save(first), FA.outbox.save(second)]);
  return saved.map(s => [s.uuid === item.uuid, s.revision]);
}"""


def test_two_saves_from_one_copy_never_share_a_revision(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Sùng Thị Hai Lần", sex="2")
    assert phone.evaluate(QUICK_SAVES, ["Sùng Thị Lần A", "Sùng Thị Lần B"]) == [
        [True, 2], [False, 1]]  # the second became an item of its own
    phone.reload()
    expect(waiting(phone)).to_have_text("2")
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert sorted(s["name"] for s in field.submissions(user)) == [
        "Sùng Thị Lần A", "Sùng Thị Lần B"]
    assert phone.problems == []
