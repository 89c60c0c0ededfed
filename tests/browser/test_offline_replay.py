"""(b) The connection drops in the middle of a replay; (c) the server answers 500. Either way
every item stays on the phone until the server's receipt, and the server stores each once."""

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, waiting

pytestmark = pytest.mark.browser
NAMES = ["Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"]


def test_a_connection_cut_mid_replay_loses_nothing_and_duplicates_nothing(field, phone):
    user = field.on_phone(phone)
    field.offline(phone)
    for name in NAMES:
        add_child(phone, name, sex="1")
    expect(waiting(phone)).to_have_text("3")

    # The first item's answer arrives; the second is stored by the server but its answer is
    # lost with the connection, and the network stays down.
    field.faults.drop_after = 1
    field.online(phone)
    expect(phone.locator("#sync-message")).to_contain_text("Mất kết nối", timeout=15000)
    expect(waiting(phone)).to_have_text("2")
    assert [s["name"] for s in field.submissions(user)] == NAMES[:2]

    field.faults.reset()
    field.proxy.up()
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert [s["name"] for s in field.submissions(user)] == NAMES  # the second once, not twice
    expect(phone.locator("#sent-list li")).to_have_count(3)
    assert phone.problems == []


def test_server_errors_keep_the_items_and_the_page_retries_by_itself(field, phone):
    phone.expected.append("status of 500")
    user = field.on_phone(phone)
    field.offline(phone)
    add_child(phone, "Vì Thị Chờ Máy Chủ")
    add_child(phone, "Vì Văn Chờ Máy Chủ", sex="1")

    field.faults.fail = True
    field.online(phone)
    expect(phone.locator("#sync-message")).to_contain_text("Máy chủ chưa nhận được")
    expect(phone.locator("#sync-message")).to_contain_text("Phiếu vẫn an toàn trên máy")
    expect(waiting(phone)).to_have_text("2")
    assert field.submissions(user) == []

    field.faults.fail = False  # the page tries again after its back-off, without a tap
    expect(waiting(phone)).to_have_text("0", timeout=20000)
    assert len(field.submissions(user)) == 2
    assert phone.problems == []
