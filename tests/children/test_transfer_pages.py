"""Transfers between communes through the pages, as the two officers use them: send from the
child page, wait, accept or refuse at the receiving commune, cancel; each commune sees its own
record only; and the phones of the two communes' villages follow."""

import re
from datetime import date

import pytest

from fieldapp import roles
from fieldapp.children.models import Child, ChildTransfer
from tests.children.pages import error_of, form_values
from tests.factories import COMMUNE_B

TODAY = date.today()
COMMUNE_C = "00679"
SENDER = "Xã Mường La, tỉnh Sơn La"
RECEIVER = "Xã Tam Mỹ, Thành phố Đà Nẵng"


def page(client, path: str, expect: int = 200) -> str:
    answer = client.get(path)
    assert answer.status_code == expect, answer.get_data(as_text=True)[:1000]
    return answer.get_data(as_text=True)


@pytest.fixture()
def child(add_child):
    return add_child("Lò Văn Thanh", circumstances=[
        {"code": "DB01", "since": "2023-05-01", "until": "2024-01-01"},
        {"code": "DB12", "since": "2024-03-01"},
    ], support=[{"form": "TG05", "date": "2024-02-01", "provider": "UBND xã"}])


def send(client, child, commune=COMMUNE_B, province="48", note="Theo mẹ về quê",
         moved_on=None):
    html = page(client, f"/transfers/new/{child.id}?province={province}")
    values = form_values(html, "request-transfer")
    values.update({"to_commune": commune, "moved_on": (moved_on or TODAY).isoformat(),
                   "note": note})
    return client.post(f"/transfers/new/{child.id}", data=values)


@pytest.fixture()
def sent(client, db, login, officer, child):
    login(officer)
    assert send(client, child).status_code == 302
    return db.session.query(ChildTransfer).one()


def test_the_child_page_offers_the_transfer_and_the_form_lists_the_provinces_communes(
        client, login, officer, child):
    login(officer)
    html = page(client, f"/children/{child.id}")
    assert f'href="/transfers/new/{child.id}">Chuyển đến xã khác</a>' in html
    form = page(client, f"/transfers/new/{child.id}")
    assert '<option value="48">Thành phố Đà Nẵng</option>' in form
    assert 'id="request-transfer"' not in form  # a province first: a short list on a phone
    form = page(client, f"/transfers/new/{child.id}?province=48")
    assert '<option value="21004">Xã Tam Mỹ (21004)</option>' in form
    assert 'data-search="Tìm xã, phường"' in form and "js/choose.js" in form
    assert '<label for="to_commune">Xã nhận trẻ</label>' in form


def test_own_commune_refused_next_to_the_field(client, db, login, officer, child):
    login(officer)
    answer = send(client, child, commune="03808", province="14")
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True),
                    "to_commune") == "Không chuyển được đến chính xã của mình."
    assert db.session.query(ChildTransfer).count() == 0


def test_full_path_request_accept(client, db, login, relogin, officer, far_officer, far_village,
                                   child, sent):
    html = page(client, f"/children/{child.id}")
    assert f"Đang chờ {RECEIVER} tiếp nhận" in html and "Huỷ chuyển" in html
    assert "/transfers/new/" not in html  # one pending transfer at a time
    # Still one of the sender's active children while it waits.
    assert "Lò Văn Thanh" in page(client, "/transfers/")  # under "đang chờ xã nhận"

    relogin(far_officer)
    assert "<strong>1</strong> trẻ do xã khác chuyển đến" in page(client, "/")
    listing = page(client, "/transfers/")
    assert "Lò Văn Thanh" in listing and "Xã Mường La, Sơn La" in listing
    html = page(client, f"/transfers/{sent.id}")
    assert f"Chuyển từ <strong>{SENDER}</strong>" in html and "Theo mẹ về quê" in html
    assert "DB12" in html and "DB01" in html and "Trợ giúp thường xuyên" in html
    assert "Lường Thị Xuân" in html  # the caregiver
    values = form_values(html, "accept-transfer")
    values.update({"village_code": far_village.code, "household_id": "",
                   "head_name": "Lò Văn Pọm", "address": "Tổ 5"})
    answer = client.post(f"/transfers/{sent.id}/accept", data=values)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    received = db.session.query(Child).filter_by(commune_code=COMMUNE_B).one()
    assert answer.headers["Location"].endswith(f"/children/{received.id}")
    html = page(client, f"/children/{received.id}")
    assert f"Tiếp nhận từ {SENDER} ngày" in html
    assert f"Lịch sử tại {SENDER}" in html and "(xã cũ)" in html
    assert "DB12" in html and "Trợ giúp thường xuyên" in html
    assert "Chuyển đến xã khác" in html  # the receiver may send it on
    assert "<strong>0</strong> trẻ do xã khác chuyển đến" in page(client, "/")
    page(client, f"/children/{child.id}", 404)  # the sender's record: not theirs

    relogin(officer)
    html = page(client, f"/children/{child.id}")
    assert (f"chuyển đi nơi khác — Đã chuyển đến {RECEIVER} ngày {TODAY:%d/%m/%Y}" in html)
    assert "/edit" not in html and "Huỷ chuyển" not in html and "/transfers/new/" not in html
    assert f"Đã chuyển đến {RECEIVER}; xã nhận tiếp nhận ngày" in html
    assert str(received.id) not in html  # no link to the receiver's record
    page(client, f"/children/{received.id}", 404)


def test_refuse_path(client, db, login, relogin, officer, far_officer, child, sent):
    relogin(far_officer)
    html = page(client, f"/transfers/{sent.id}")
    values = form_values(html, "refuse-transfer")
    answer = client.post(f"/transfers/{sent.id}/refuse", data=values)  # no reason
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True), "reason") == "Ghi lý do từ chối."
    values["reason"] = "Gia đình không ở xã này"
    assert client.post(f"/transfers/{sent.id}/refuse", data=values).status_code == 302
    assert "Không có trẻ nào chờ tiếp nhận." in page(client, "/transfers/")

    relogin(officer)
    html = page(client, f"/children/{child.id}")
    assert f"{RECEIVER} đã từ chối tiếp nhận ngày" in html and "Gia đình không ở xã này" in html
    assert "/transfers/new/" in html and "/edit" in html  # still theirs, may send again
    db.session.refresh(child)
    assert child.closed_on is None


def test_cancel_path(client, db, login, relogin, officer, far_officer, child, sent):
    html = page(client, f"/children/{child.id}")
    values = form_values(html, "cancel-transfer")
    assert client.post(f"/transfers/{sent.id}/cancel", data=values).status_code == 302
    html = page(client, f"/children/{child.id}")
    assert "Đang chờ" not in html and "/transfers/new/" in html
    relogin(far_officer)
    page(client, f"/transfers/{sent.id}", 404)  # nothing waits any more
    assert "<strong>0</strong> trẻ do xã khác chuyển đến" in page(client, "/")


def test_accept_without_a_village_shows_the_error(client, relogin, far_officer, child, sent):
    relogin(far_officer)
    values = form_values(page(client, f"/transfers/{sent.id}"), "accept-transfer")
    answer = client.post(f"/transfers/{sent.id}/accept", data=values)
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True),
                    "village_code") == "Chọn thôn/bản của xã để tiếp nhận trẻ."


def test_a_probable_duplicate_is_shown_before_accepting(client, make, relogin, far_officer,
                                                        far_village, child, sent):
    twin = make.child(far_officer, far_village, "Lò Văn Thanh")
    relogin(far_officer)
    html = page(client, f"/transfers/{sent.id}")
    assert "Có thể đã có hồ sơ trong xã" in html and f"/children/{twin.id}" in html


@pytest.mark.parametrize(("who", "path", "expect"), [
    ("sender", "/transfers/{t}", 404),  # the receiving page is the receiver's
    ("third", "/transfers/{t}", 404),
    ("third", "/transfers/{t}/accept", 404),
    ("third", "/transfers/{t}/cancel", 404),
    ("receiver", "/transfers/{t}/cancel", 404),
    ("receiver", "/children/{c}", 404),  # the child before the transfer: only what it carries
    ("receiver", "/transfers/new/{c}", 404),
    ("collector_b", "/transfers/", 403),
    ("collector_b", "/transfers/{t}", 403),
    ("leader_b", "/transfers/{t}", 403),
    ("police_a", "/transfers/new/{c}", 403),
    ("leader_a", "/transfers/new/{c}", 403),
])
def test_scoping_of_the_pages(client, db, make, relogin, officer, far_officer, far_village, child,
                              sent, who, path, expect):
    user = {
        "sender": lambda: officer, "receiver": lambda: far_officer,
        "third": lambda: make.user(roles.COMMUNE_OFFICER, [COMMUNE_C]),
        "collector_b": lambda: make.user(roles.COLLABORATOR, [far_village]),
        "leader_b": lambda: make.user(roles.COMMUNE_LEADER, [COMMUNE_B]),
        "leader_a": lambda: make.user(roles.COMMUNE_LEADER),
        "police_a": lambda: make.user(roles.POLICE),
    }[who]()
    relogin(user)
    url = path.format(t=sent.id, c=child.id)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page(client, "/")).group(1)
    answer = (client.post(url, data={"csrf_token": token}) if url.endswith(("/accept", "/cancel"))
              else client.get(url))
    assert answer.status_code == expect
    db.session.refresh(sent)
    assert sent.status == "pending"


def test_phone_packets_follow_the_transfer(client, db, make, api_as, relogin, far_officer,
                                           village, far_village, child, sent):
    sender_phone = api_as(make.user(roles.COLLABORATOR, [village]))
    receiver_phone = api_as(make.user(roles.COLLABORATOR, [far_village]))
    before = sender_phone.get("/api/v1/packet").get_json()
    assert str(child.id) in [c["id"] for c in before["children"]]
    assert receiver_phone.get("/api/v1/packet").get_json()["children"] == []
    far_before = receiver_phone.get("/api/v1/packet").get_json()

    relogin(far_officer)
    values = form_values(page(client, f"/transfers/{sent.id}"), "accept-transfer")
    values.update({"village_code": far_village.code, "head_name": "Lò Văn Pọm"})
    assert client.post(f"/transfers/{sent.id}/accept", data=values).status_code == 302
    db.session.refresh(sent)
    received = sent.received_child_id

    after = sender_phone.get("/api/v1/packet", query_string={"since": before["cursor"]})
    assert str(child.id) in after.get_json()["removed"]["children"]
    assert str(child.id) not in [c["id"] for c in
                                 sender_phone.get("/api/v1/packet").get_json()["children"]]
    got = receiver_phone.get("/api/v1/packet").get_json()["children"]
    assert [(c["id"], c["child"]["full_name"]) for c in got] == [(str(received), "Lò Văn Thanh")]
    delta = receiver_phone.get("/api/v1/packet", query_string={"since": far_before["cursor"]})
    assert str(received) in [c["id"] for c in delta.get_json()["children"]]


def test_a_record_the_sender_closed_meanwhile_can_only_be_refused(client, relogin, officer_does,
                                                                  far_officer, child, sent):
    officer_does("close_child", child, "died", TODAY, injury="no")
    relogin(far_officer)
    html = page(client, f"/transfers/{sent.id}")
    assert "Xã chuyển đi đã đóng hồ sơ này" in html
    assert 'id="accept-transfer"' not in html and 'id="refuse-transfer"' in html


def test_the_receivers_look_at_a_waiting_child_is_in_its_viewers(client, relogin, officer,
                                                                 far_officer, child, sent):
    relogin(far_officer)
    page(client, f"/transfers/{sent.id}")
    relogin(officer)
    html = page(client, f"/children/{child.id}")
    viewers = html.split("Ai đã xem, xuất hồ sơ", 1)[1]
    assert far_officer.username in viewers


def test_accepting_a_transfer_the_sender_cancelled_meanwhile_says_so(
        client, db, relogin, officer, far_officer, far_village, sent):
    relogin(far_officer)
    values = form_values(page(client, f"/transfers/{sent.id}"), "accept-transfer")
    sent.status = "cancelled"  # the sender's "Huỷ chuyển" while the page was open
    db.session.commit()
    answer = client.post(f"/transfers/{sent.id}/accept",
                         data={**values, "village_code": far_village.code})
    assert answer.status_code == 422
    assert "Việc chuyển này đã được xử lý (đã huỷ)." in answer.get_data(as_text=True)
