"""(e) A new version of the app is deployed while items wait on the phone: the new service
worker takes over, moves into a new static cache, and the items survive and are sent."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.field import add_child, waiting

pytestmark = pytest.mark.browser


REGISTRATION = """() => navigator.serviceWorker.getRegistration().then(r => r && {
  installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state,
  active: r.active && r.active.state})"""


def _static_caches(phone) -> list[str]:
    names = phone.evaluate("caches.keys()")
    return [n for n in names if n.startswith("fieldapp-static-")]


def _wait_for_new_worker(phone, before: str, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = _static_caches(phone)
        if names and before not in names and len(names) == 1:
            return names
        time.sleep(0.2)
    state = phone.evaluate(REGISTRATION)
    raise AssertionError(f"the new worker did not take over: {_static_caches(phone)} {state}")


def test_items_survive_a_new_service_worker_and_are_sent(field, phone):
    phone.expected.append("status of 500")
    user = field.on_phone(phone)
    [before] = _static_caches(phone)
    field.offline(phone)
    add_child(phone, "Mùa A Nâng Cấp", sex="1")
    add_child(phone, "Mùa Thị Nâng Cấp")

    field.deploy("next")
    field.faults.fail = True  # nothing leaves before the new worker is in charge
    field.online(phone)
    phone.reload()  # opening a page online looks for a new version
    [after] = _wait_for_new_worker(phone, before)
    phone.reload()  # the page now comes from the new worker
    expect(waiting(phone)).to_have_text("2")
    expect(phone.locator("#waiting-list li")).to_have_count(2)
    assert field.submissions(user) == []

    field.faults.fail = False
    phone.get_by_role("button", name="Đồng bộ").click()
    expect(waiting(phone)).to_have_text("0", timeout=15000)
    assert sorted(s["name"] for s in field.submissions(user)) == [
        "Mùa A Nâng Cấp", "Mùa Thị Nâng Cấp"]
    assert _static_caches(phone) == [after]  # the old version's cache is gone
    assert phone.problems == []
