"""The app's own 503 (its database locked longer than the timeout) keeps the item on the phone,
which says so and stores it once the database takes writes again."""

import pytest
from playwright.sync_api import expect

from fieldapp.extensions import db
from tests.browser.field import add_child, waiting
from tests.faults.inject import failing

pytestmark = pytest.mark.browser


def test_a_busy_database_keeps_the_item_until_it_is_stored(field, phone):
    phone.expected.append("status of 503")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Lò Thị Chờ Máy Chủ")
    with field.app.app_context():
        engine = db.engine
    with failing(engine, "INSERT INTO submission"):
        field.online(phone)
        item = phone.locator("#waiting-list li", has_text="Lò Thị Chờ Máy Chủ")
        expect(item).to_contain_text("máy chủ gặp lỗi (mã 503)", timeout=15000)
        expect(waiting(phone)).to_have_text("1")
        assert field.submissions(user) == []
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == ["Lò Thị Chờ Máy Chủ"]
    assert phone.problems == []
