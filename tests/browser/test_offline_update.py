"""(g) A collaborator updates a child of the packet with no network, and marks another as
moved away; back online, both reach the server as updates of those children, each with the
version the collaborator started from."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.children.models import Child
from fieldapp.children.search import fold
from fieldapp.extensions import db
from tests.browser.field import waiting

pytestmark = pytest.mark.browser


def _two_children(app, village: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(Child).where(Child.village_code == village,
                                                      Child.closed_on.is_(None))
                                  .order_by(Child.name_key))
        found = [{"id": str(c.id), "name": c.full_name, "version": c.version} for c in rows
                 if c.full_name != fold(c.full_name)]  # a name that has diacritics
    distinct = {c["name"]: c for c in found}
    return list(distinct.values())[:2]


def test_update_and_close_children_of_the_packet_offline(field, phone):
    first, second = _two_children(field.app, "03808-002")
    user = field.on_phone(phone)
    field.offline(phone)

    phone.get_by_label("Tìm theo tên (không cần dấu) hoặc số định danh").fill(fold(first["name"]))
    phone.get_by_role("link", name=first["name"], exact=True).click()
    expect(phone.locator("#child-title")).to_have_text(first["name"])
    phone.get_by_role("link", name="Cập nhật").click()
    expect(phone.get_by_label("Họ và tên", exact=True)).to_have_value(first["name"])
    phone.get_by_label("Địa chỉ chi tiết").fill("Tổ 9, cạnh nhà văn hóa")
    phone.get_by_label("Tình trạng học tập").select_option("HT08")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")
    expect(phone.locator("#waiting-list")).to_contain_text("Cập nhật")

    phone.get_by_label("Tìm theo tên (không cần dấu) hoặc số định danh").fill(fold(second["name"]))
    phone.get_by_role("link", name=second["name"], exact=True).click()
    phone.get_by_role("link", name="Chuyển đi / Đã mất").click()
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#closure-reason-error")).to_have_text(
        "Chọn lý do: chuyển đi hoặc đã mất.")
    phone.get_by_label("Chuyển đi nơi khác").check()
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("2")

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    stored = {s["child_id"]: s for s in field.submissions(user)}
    assert set(stored) == {first["id"], second["id"]}
    update, closure = stored[first["id"]], stored[second["id"]]
    assert update["base_version"] == first["version"]
    assert update["data"]["child"]["address"] == "Tổ 9, cạnh nhà văn hóa"
    assert update["data"]["child"]["schooling_status"] == "HT08"
    assert update["data"]["child"]["full_name"] == first["name"]
    assert closure["data"]["closure"]["reason"] == "moved_away"
    assert closure["base_version"] == second["version"]
    assert phone.problems == []


def test_a_death_from_injury_is_closed_with_its_cause(field, phone):
    """Issue 14: "Đã mất" asks whether it was an injury and, if so, the cause (K02)."""
    _, child = _two_children(field.app, "03808-002")
    user = field.on_phone(phone)
    field.offline(phone)
    phone.get_by_label("Tìm theo tên (không cần dấu) hoặc số định danh").fill(fold(child["name"]))
    phone.get_by_role("link", name=child["name"], exact=True).click()
    phone.get_by_role("link", name="Chuyển đi / Đã mất").click()
    phone.get_by_role("radio", name="Đã mất").check()
    phone.get_by_role("radio", name="Có", exact=True).check()
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#closure-cause-error")).to_have_text(
        "Chọn nguyên nhân tai nạn thương tích.")
    phone.get_by_label("Nguyên nhân tai nạn thương tích").select_option(label="Đuối nước")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    [sent] = [s for s in field.submissions(user) if s["child_id"] == child["id"]]
    assert sent["data"]["closure"] | {"date": None} == {
        "reason": "died", "injury": True, "cause": "NN01", "date": None, "note": None}
    assert phone.problems == []
