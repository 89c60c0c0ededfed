"""**Thiết bị thu thập** (``/devices``): the commune officer's list of the commune's field
phones, flagged ones first with why in plain Vietnamese; "Đã liên hệ" clears a flag and keeps
who and when; the home page's card and the menu link; other communes' phones do not exist."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.db import utcnow
from fieldapp.devices.models import Device, DeviceContact
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B
from tests.web.test_pages import parse

SAME = "Số phiếu chưa gửi trên máy giảm 3 mà máy chủ chỉ nhận 1."
ELSEWHERE = ("Người này đã đồng bộ từ máy khác; máy này còn 4 phiếu chưa gửi, máy chủ mới "
             "nhận 1.")


def days_ago(days: int) -> str:
    return (utcnow() - timedelta(days=days)).isoformat()


@pytest.fixture()
def lossy(phone):
    """The collector's phone: 3 unsent, one receipt, then none left — 2 may be lost."""
    phone.report(3, oldest_pending_at=days_ago(1))
    phone.send(1)
    phone.report(0)
    return phone


@pytest.fixture()
def page(client, login, officer):
    login(officer)
    return lambda: client.get("/devices").get_data(as_text=True)


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr id="device-[^"]+".*?</tr>', html, re.S)


def flagged(html: str) -> bool:
    return re.search(r"Có thể mất \d+ phiếu", html) is not None


def contacted(client, device: Device):
    return client.post(f"/devices/{device.id}/contacted",
                       data={"csrf_token": csrf_token(client, "/devices")})


def test_a_flagged_phone_says_why(lossy, page, collector):
    html = page()
    [row] = rows_of(html)
    assert "Có thể mất 2 phiếu" in row and SAME in row and "Đã liên hệ</button>" in row
    assert collector.username in row and "Bản Nà Sàng" in row
    assert "Android 13 · Chrome 131" in row and f"mã {str(lossy.id)[:8]}" in row
    assert "2026.12.1" in row and "1 máy · 1 máy có thể mất phiếu" in html


def test_the_columns_of_a_phone_with_old_unsent_items_and_little_storage(phone, page):
    phone.report(4, oldest_pending_at=days_ago(5), persisted=False, usage_bytes=855,
                 quota_bytes=1000)
    [row] = rows_of(page())
    assert 'data-label="Phiếu chưa gửi">4<' in row
    assert '<span class="tag warn">5 ngày</span>' in row  # more than 3 days: highlighted
    assert "bộ nhớ không bền" in row and "đã dùng 85%" in row
    assert 'data-label="Có thể mất phiếu">' in row and "Không" in row


def test_a_recent_unsent_item_is_not_highlighted(phone, page):
    phone.report(1, oldest_pending_at=days_ago(2))
    [row] = rows_of(page())
    assert "<span class=\"\">2 ngày</span>" in row and "tag warn" not in row


def test_a_phone_seen_only_through_batches(phone, page):
    phone.send(1)
    [row] = rows_of(page())
    assert "Chưa báo" in row and "Chưa rõ" in row


def test_the_other_device_rule_says_why(phone_of, collector, page):
    first, second = phone_of(collector), phone_of(collector)
    first.report(4)
    second.send(1)
    second.report(0)
    rows = rows_of(page())
    assert "Có thể mất 3 phiếu" in rows[0] and ELSEWHERE in rows[0]
    assert str(first.id)[:8] in rows[0] and str(second.id)[:8] in rows[1]


def test_flagged_first_then_the_oldest_unsent(phone_of, make, village, lossy, page):
    people = [make.user(roles.COLLABORATOR, [village]) for _ in range(3)]
    phone_of(people[0]).report(2, oldest_pending_at=days_ago(1))
    phone_of(people[1]).report(2, oldest_pending_at=days_ago(9))
    phone_of(people[2]).report(0)
    order = [re.search(r'data-label="Người thu thập">([^<]+)<', row).group(1).strip()
             for row in rows_of(page())]
    assert order == [lossy.api.user.username, people[1].username, people[0].username,
                     people[2].username]


def test_another_communes_phones_do_not_exist_for_the_officer(client, make, far_village,
                                                            phone_of, lossy, page, db):
    stranger = make.user(roles.COLLABORATOR, [far_village])
    far = phone_of(stranger)
    far.report(3)
    far.report(0)
    html = page()
    assert stranger.username not in html and len(rows_of(html)) == 1
    assert contacted(client, far.row()).status_code == 404
    assert far.row().possibly_lost == 3
    assert client.post("/devices/not-a-uuid/contacted", data={
        "csrf_token": csrf_token(client, "/devices")}).status_code == 404


def test_the_officer_of_the_other_commune_sees_only_theirs(client, login, make, lossy):
    login(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    assert rows_of(client.get("/devices").get_data(as_text=True)) == []
    assert contacted(client, lossy.row()).status_code == 404


@pytest.mark.parametrize("role", [r for r in roles.ALL if r != roles.COMMUNE_OFFICER])
def test_other_roles_are_refused(client, login, make, village, lossy, role):
    places = [village] if role in roles.FIELD else (["14"] if role == roles.PROVINCE_VIEWER
                                                    else None)
    login(make.user(role, places))
    assert client.get("/devices").status_code == 403
    token = csrf_token(client, "/")
    answer = client.post(f"/devices/{lossy.row().id}/contacted", data={"csrf_token": token})
    assert answer.status_code == 403


def test_anonymous_is_sent_to_login(client):
    answer = client.get("/devices")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_contacted_clears_the_flag_and_keeps_who_and_when(client, db, lossy, page, officer):
    page()
    answer = contacted(client, lossy.row())
    assert answer.status_code == 302 and answer.headers["Location"] == "/devices"
    row = lossy.row()
    assert (row.possibly_lost, row.lost_drop, row.lost_received) == (0, 0, 0)
    contact = db.session.scalars(select(DeviceContact)).one()
    assert (contact.device_id, contact.contacted_by_id) == (row.id, officer.id)
    assert (contact.same_device, contact.other_device) == (2, 0)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "device_contacted")).one()
    assert (entry.user_id, entry.object_type, entry.object_id) == (officer.id, "device",
                                                                   str(row.id))
    assert entry.commune_code == officer.commune_code
    assert entry.detail == {"user": lossy.api.user.id, "same_device": 2, "other_device": 0}
    html = client.get("/devices").get_data(as_text=True)
    [shown] = rows_of(html)
    assert not flagged(shown) and "Đã liên hệ" in shown and officer.username in shown
    assert "Đã ghi nhận: đã liên hệ" in html


def test_contacted_twice_changes_nothing_more(client, db, lossy, page):
    page()
    contacted(client, lossy.row())
    contacted(client, lossy.row())
    assert len(db.session.scalars(select(DeviceContact)).all()) == 1


def test_the_flag_comes_back_only_with_a_new_loss(client, lossy, page):
    page()
    contacted(client, lossy.row())
    lossy.report(0)
    assert lossy.row().possibly_lost == 0
    lossy.report(2)
    lossy.report(1)
    assert lossy.row().possibly_lost == 1
    assert "Có thể mất 1 phiếu" in page()


def test_contacted_silences_the_other_device_rule_until_a_new_report(client, db, phone_of,
                                                                     collector, page):
    first, second = phone_of(collector), phone_of(collector)
    first.report(4)
    second.report(0)
    page()
    contacted(client, first.row())
    contact = db.session.scalars(select(DeviceContact)).one()
    assert (contact.same_device, contact.other_device) == (0, 4)
    assert not flagged(page())
    second.report(0)  # the same report of the first phone: still silent
    assert not flagged(page())
    first.report(4)  # a new report of the first phone, then the user moves on again
    second.report(0)
    assert "Có thể mất 4 phiếu" in page()


def test_a_stale_form_changes_nothing(client, db, lossy, page):
    page()
    answer = client.post(f"/devices/{lossy.row().id}/contacted", data={"csrf_token": "x"})
    assert answer.status_code == 400 and lossy.row().possibly_lost == 2


def test_the_home_card_counts_and_links(client, db, phone_of, make, village, lossy, login,
                                        officer):
    phone_of(make.user(roles.COLLABORATOR, [village])).report(2, oldest_pending_at=days_ago(4))
    phone_of(make.user(roles.COLLABORATOR, [village])).report(2, oldest_pending_at=days_ago(1))
    login(officer)
    html = client.get("/").get_data(as_text=True)
    card = re.search(r'<section class="card" id="devices">.*?</section>', html, re.S).group(0)
    assert 'href="/devices"' in card
    assert re.sub(r"<[^>]+>", "", card).count(
        "Thiết bị thu thập: 1 máy có thể mất phiếu · 1 máy có phiếu chưa gửi quá 3 ngày") == 1
    assert '<a href="/devices">Thiết bị thu thập</a>' in html  # the menu


def test_the_card_and_the_link_are_the_officers_only(client, login, collector):
    login(collector)
    html = client.get("/").get_data(as_text=True)
    assert 'id="devices"' not in html and 'href="/devices"' not in html


def test_the_page_has_no_inline_script_and_every_field_labelled(lossy, page):
    markup = parse_html(page())
    assert all(script.get("src") for script in markup.scripts)
    assert markup.script_bodies == [] and markup.handlers == []
    for control in markup.controls:
        assert control.get("id") in markup.label_for, control


def parse_html(html: str):
    class Answer:
        def get_data(self, as_text=False):
            return html

    return parse(Answer())
