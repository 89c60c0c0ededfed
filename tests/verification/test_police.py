"""The police's narrow view and their results, through the real HTTP stack (CSRF on)."""

import re

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.verification.models import VerificationItem
from tests.conftest import csrf_token
from tests.submissions import BORN, child_id_number
from tests.web.test_pages import parse

GOOD = child_id_number(BORN, "1")  # Lò Văn Thanh, a boy of about seven


@pytest.fixture()
def hidden_child(add_child, village):
    """A child whose record holds a restricted circumstance and support: none of it may reach
    the police."""
    return add_child(
        "Vì Văn Tiến", circumstances=[{"code": "DB12", "since": BORN.isoformat(),
                                        "note": "ghi chú mật"}],
        support=[{"form": "TG03", "date": BORN.isoformat(), "provider": "Hội Phụ nữ xã",
                  "amount_vnd": "500000", "note": "tư vấn"}])


def _without_keys(html: str) -> str:
    """The page less its CSRF tokens and ids, where any few characters may turn up."""
    html = re.sub(r'(name="csrf-token" content|value)="[^"]*"', "", html)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)


def _post(client, batch, item, **fields):
    token = csrf_token(client, f"/verification/{batch.id}")
    data = {"csrf_token": token, **{f"i{item.position}-{k}": v for k, v in fields.items()}}
    return client.post(f"/verification/{batch.id}/items/{item.id}", data=data)


def test_police_see_identity_only(client, login, police, send, hidden_child, three):
    batch = send(hidden_child, *three)
    login(police)
    pages = {path: client.get(path) for path in
             ("/", "/verification", f"/verification/{batch.id}")}
    for path, answer in pages.items():
        assert answer.status_code == 200, path
        html = _without_keys(answer.get_data(as_text=True))
        assert "/children" not in html, path  # no link to any child page
        for secret in ("DB12", "xâm hại", "hạn chế", "TG03", "Hội Phụ nữ", "500", "tư vấn",
                       "ghi chú mật", "Hoàn cảnh", "Trợ giúp", "Lò Văn Pọm", "HT0"):
            assert secret not in html, (path, secret)
    html = pages[f"/verification/{batch.id}"].get_data(as_text=True)
    for shown in ("Vì Văn Tiến", "Nam", "Thái", "Lường Thị Xuân", "Mẹ", "Bản Nà Sàng",
                  "Danh sách cần xác thực số 1"):
        assert shown in html, shown
    assert "Danh sách cần xác thực" in pages["/"].get_data(as_text=True)


def test_police_pages_are_labelled_and_script_free(client, login, police, batch):
    login(police)
    markup = parse(client.get(f"/verification/{batch.id}"))
    assert markup.controls and all(c.get("id") in markup.label_for for c in markup.controls)
    assert markup.script_bodies == [] and markup.handlers == []


def test_scope_and_roles(client, login, police, far_police, far_officer, officer, batch,
                         send, make, far_village):
    login(police)
    item = batch.items[0]
    assert client.get("/children/").status_code == 403
    assert client.get(f"/children/{item.child_id}").status_code in (403, 404)
    assert client.get("/verification/new").status_code == 403
    token = csrf_token(client, f"/verification/{batch.id}")
    assert client.post(f"/verification/{batch.id}/import",
                       data={"csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(far_police)
    for path in (f"/verification/{batch.id}", f"/verification/{batch.id}/danh-sach.xlsx",
                 f"/verification/{batch.id}/bien-ban.pdf", "/verification/not-a-uuid"):
        assert client.get(path).status_code == 404, path
    assert str(batch.id) not in client.get("/verification").get_data(as_text=True)
    token = csrf_token(client, "/verification")
    answer = client.post(f"/verification/{batch.id}/items/{item.id}",
                         data={"csrf_token": token, "i1-verified_id": GOOD})
    assert answer.status_code == 404
    client.post("/logout", data={"csrf_token": token})
    login(officer)
    token = csrf_token(client, f"/verification/{batch.id}")
    assert client.post(f"/verification/{batch.id}/items/{item.id}",
                       data={"csrf_token": token}).status_code == 403
    assert client.post(f"/verification/{batch.id}/finish",
                       data={"csrf_token": token}).status_code == 403


def test_result_needs_csrf(client, login, police, batch, db):
    login(police)
    item = batch.items[0]
    answer = client.post(f"/verification/{batch.id}/items/{item.id}",
                         data={"i1-verified_id": GOOD})
    assert answer.status_code == 400
    assert db.session.get(VerificationItem, item.id).outcome == "pending"


@pytest.mark.parametrize(("fields", "message"), [
    ({"verified_id": "12345"}, "phải gồm đúng 12 chữ số"),
    ({"verified_id": "01420１234567"}, "phải gồm đúng 12 chữ số"),
    ({"verified_id": child_id_number(BORN, "2")}, "không khớp giới tính"),
    ({"verified_id": "0142" + "99" + "123456"}, "không khớp năm sinh"),
    ({}, "vui lòng nhập (hoặc đánh dấu Không tìm thấy)"),
    ({"not_found": "y"}, "vui lòng ghi lý do không tìm thấy"),
    ({"not_found": "y", "verified_id": GOOD, "note": "x"}, "không ghi số định danh"),
    ({"verified_id": GOOD, "full_name": "Lò 3"}, "chỉ gồm chữ cái"),
    ({"verified_id": GOOD, "date_of_birth": "2001-01-01"}, "đã đủ 16 tuổi"),
    ({"verified_id": GOOD, "caregivers-0-personal_id": "12"}, "12 chữ số"),
])
def test_refused_results(client, login, police, batch, fields, message, db):
    login(police)
    item = next(i for i in batch.items if i.sent["full_name"] == "Lò Văn Thanh")
    answer = _post(client, batch, item, **fields)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert message in html
    other = next(i for i in batch.items if i.id != item.id)  # the others' forms: as sent
    assert re.search(rf'name="i{other.position}-full_name" type="text" '
                     rf'value="{other.sent["full_name"]}"', html)
    db.session.expire_all()
    assert db.session.get(VerificationItem, item.id).outcome == "pending"


def test_record_with_htmx_and_warnings(client, login, police, batch, db):
    login(police)
    item = next(i for i in batch.items if i.sent["full_name"] == "Lò Văn Thanh")
    token = csrf_token(client, f"/verification/{batch.id}")
    unknown_prefix = "003" + GOOD[3:]
    answer = client.post(f"/verification/{batch.id}/items/{item.id}",
                         headers={"HX-Request": "true"},
                         data={"csrf_token": token, f"i{item.position}-verified_id":
                               unknown_prefix[:6] + " " + unknown_prefix[6:],
                               f"i{item.position}-full_name": "Lò Văn Thành"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    html = answer.get_data(as_text=True)
    assert html.lstrip().startswith(f'<li id="item-{item.position}"')
    assert "Đã lưu kết quả." in html and "không có trong danh mục" in html
    # The form shown again holds what was saved, to be changed until the batch is finished.
    assert re.search(rf'name="i{item.position}-verified_id" type="text" value="{unknown_prefix}"',
                     html)
    assert re.search(rf'name="i{item.position}-full_name" type="text" value="Lò Văn Thành"', html)
    assert "/children" not in html
    db.session.expire_all()
    stored = db.session.get(VerificationItem, item.id)
    assert (stored.outcome, stored.verified_id) == ("corrected", unknown_prefix)
    assert stored.corrections == {"full_name": "Lò Văn Thành"}
    assert stored.decided_by_id == police.id
    # The same number for another child of the batch is refused.
    other = next(i for i in batch.items if i.id != item.id and i.sent["sex"] == "1")
    again = _post(client, batch, other, verified_id=unknown_prefix)
    assert again.status_code == 422
    assert f"đã ghi cho trẻ STT {item.position}" in again.get_data(as_text=True)
    entries = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_result_recorded")).all()
    assert [e.detail["outcome"] for e in entries] == ["corrected"]
    assert all("Lò" not in str(e.detail) for e in entries)  # ids and codes only


def test_not_found_with_a_note(client, login, police, batch, db):
    login(police)
    item = batch.items[1]
    answer = _post(client, batch, item, not_found="y", note="Chưa đăng ký khai sinh")
    assert answer.status_code == 302
    assert answer.location.endswith(f"#item-{item.position}")
    page = client.get(answer.location).get_data(as_text=True)
    assert "Không tìm thấy" in page and "Chưa đăng ký khai sinh" in page
    assert re.search(r"STT \d+: đã lưu kết quả", page)
    db.session.expire_all()
    stored = db.session.get(VerificationItem, item.id)
    assert (stored.outcome, stored.verified_id, stored.note) == (
        "not_found", None, "Chưa đăng ký khai sinh")
