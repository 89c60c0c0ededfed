"""Households on the phone: a new child joins an existing household of the packet, and two
siblings recorded offline share one new household (its phone-made ref)."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.children.models import Household
from fieldapp.extensions import db
from tests.browser.field import fill_child, waiting

pytestmark = pytest.mark.browser


def _a_household(app, village: str) -> dict:
    with app.app_context():
        h = db.session.scalars(select(Household).where(Household.village_code == village)
                               .order_by(Household.head_name)).first()
        return {"id": str(h.id), "head": h.head_name}


def test_children_join_an_existing_household_or_share_a_new_one(field, phone):
    known = _a_household(field.app, "03808-002")
    user = field.on_phone(phone)
    field.offline(phone)

    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Lò Thị Vào Hộ Cũ", head="")
    household = phone.get_by_label("Hộ gia đình", exact=True)
    household.select_option(label=household.locator("option", has_text=known["head"])
                            .first.inner_text())
    expect(phone.get_by_label("Họ tên chủ hộ")).to_have_value(known["head"])
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")

    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Tòng Văn Anh Cả", sex="1", head="Tòng Văn Bố Mới")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("2")
    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Tòng Thị Em Út", head="")
    household.select_option(label="Tòng Văn Bố Mới (hộ mới, chờ duyệt)")
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("3")

    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    stored = {s["name"]: s["data"]["household"] for s in field.submissions(user)}
    assert stored["Lò Thị Vào Hộ Cũ"]["id"] == known["id"]
    first, second = stored["Tòng Văn Anh Cả"], stored["Tòng Thị Em Út"]
    assert first["id"] is None and second["id"] is None
    assert first["ref"] and first["ref"] == second["ref"]
    assert second["head_name"] == "Tòng Văn Bố Mới"
    assert phone.problems == []
