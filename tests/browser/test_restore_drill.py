"""The restore drill, with the real commands: back up, receive more items, restore the backup,
open /collect — every item is on the server again, once (README, Backups)."""

import pytest
from playwright.sync_api import expect

from fieldapp.extensions import db
from tests.browser.field import add_child, held, waiting
from tests.browser.test_offline_feed import record_posts, stored

pytestmark = pytest.mark.browser


def run(app, *args) -> str:
    """A ``flask --app wsgi …`` command on the live app's database; its output."""
    with app.app_context():
        db.session.remove()
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_after_a_restore_every_item_the_phones_sent_is_on_the_server_once(
        field, phone, tmp_path):
    user = field.on_phone(phone)
    add_child(phone, "Lò Văn Trước", sex="1")
    expect(phone.locator("#sent-list li")).to_have_count(1, timeout=15000)
    before = stored(field, user)
    assert len(before) == 1

    backup = tmp_path / "fieldapp.backup"
    assert "backup:" in run(field.app, "backup", str(backup))

    for name in ("Lò Văn Sau", "Lò Thị Sau"):
        add_child(phone, name)
    expect(phone.locator("#sent-list li")).to_have_count(3, timeout=15000)
    everything = stored(field, user)
    assert len(everything) == 3 and sorted(held(phone)) == everything

    field.offline(phone)  # the server is stopped for the restore: nothing reaches it
    assert "restore: done" in run(field.app, "restore", str(backup), "--yes")
    assert stored(field, user) == before  # the server is behind what the phone believes

    field.online(phone)
    posted = record_posts(phone)
    phone.reload()
    expect(phone.locator("#sync-message")).to_contain_text("máy đã gửi lại", timeout=15000)
    assert stored(field, user) == everything  # each item on the server again, once
    assert sorted(posted) == sorted(set(everything) - set(before))
    expect(waiting(phone)).to_have_text("0")
