"""The officer's side: choosing children from the quality lists and sending a batch."""

from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.children import services as register
from fieldapp.verification.models import VerificationBatch
from tests.conftest import csrf_token
from tests.submissions import BORN, child_id_number
from tests.web.test_pages import parse


def _send_page(client, *children, village="", which="without-id"):
    token = csrf_token(client, "/verification/new")
    return client.post("/verification/new", data={
        "csrf_token": token, "village": village, "which": which,
        "child_ids": [str(c.id) for c in children]})


def test_choose_and_send(client, login, officer, three, add_child, village, village2, db):
    wrong = add_child("Hà Thị Hoa", sex="2")
    wrong.personal_id = child_id_number(BORN, "1")  # a boy's number for a girl
    right = add_child("Lò Văn Ban")
    right.personal_id = child_id_number(BORN, "1")
    db.session.flush()
    login(officer)
    page = client.get("/verification/new")
    html = page.get_data(as_text=True)
    assert all(c.full_name in html for c in three) and "Hà Thị Hoa" not in html
    markup = parse(page)
    assert all(c.get("id") in markup.label_for for c in markup.controls)
    html = client.get("/verification/new?which=wrong-id").get_data(as_text=True)
    assert "Hà Thị Hoa" in html and "không khớp giới tính" in html
    assert "Lò Văn Thanh" not in html and "Lò Văn Ban" not in html
    html = client.get(f"/verification/new?village={village2.code}&which=both") \
        .get_data(as_text=True)
    assert "Quàng Văn Hùng" in html and "Lò Văn Thanh" not in html
    assert client.get("/verification/new?village=21004-001").status_code == 404
    answer = _send_page(client, three[0], wrong, village="", which="both")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    batch = db.session.scalars(select(VerificationBatch)).one()
    assert (batch.number, batch.title, batch.state) == (1, "Danh sách cần xác thực số 1", "sent")
    assert [i.sent["full_name"] for i in batch.items] == ["Hà Thị Hoa", "Lò Văn Thanh"]
    first = batch.items[0].sent
    assert first["personal_id"] == wrong.personal_id and first["sex"] == "2"
    assert first["caregivers"] == [{"relation": "mother", "full_name": "Lường Thị Xuân",
                                    "personal_id": None}]
    assert set(first) == {"full_name", "sex", "date_of_birth", "ethnicity_code",
                          "village_code", "address", "personal_id", "caregivers"}
    keys = [i.row_key for i in batch.items]
    assert len(set(keys)) == 2 and all(len(k) >= 20 for k in keys)
    page = client.get(answer.location).get_data(as_text=True)
    assert "Đã gửi Danh sách cần xác thực số 1 (2 trẻ)" in page
    audit = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_batch_created")).one()
    assert audit.detail == {"number": 1, "items": 2}


def test_a_waiting_child_is_not_sent_twice(client, login, officer, three, send, village, db):
    first = send(three[0])
    login(officer)
    html = client.get("/verification/new").get_data(as_text=True)
    assert "Đang chờ ở danh sách số 1" in html
    refused = _send_page(client, three[0])
    assert refused.status_code == 422
    assert "đang chờ công an xác thực" in refused.get_data(as_text=True)
    answer = _send_page(client, *three, village=village.code)
    assert answer.status_code == 302
    second = db.session.scalars(select(VerificationBatch).filter_by(number=2)).one()
    assert second.title == f"Danh sách cần xác thực số 2 · {village.name}"
    assert {i.child_id for i in second.items} == {three[1].id, three[2].id}
    assert "1 trẻ không gửi" in client.get(answer.location).get_data(as_text=True)
    first.state = "finished"  # once the police have finished, the child may be sent again
    db.session.flush()
    assert _send_page(client, three[0]).status_code == 302


def test_nothing_chosen_and_forged_ids(client, login, officer, three, db):
    login(officer)
    for ids in ([], ["not-a-uuid"], ["00000000-0000-0000-0000-000000000000"]):
        token = csrf_token(client, "/verification/new")
        answer = client.post("/verification/new", data={"csrf_token": token, "child_ids": ids})
        assert answer.status_code == 422
    assert db.session.scalars(select(VerificationBatch)).first() is None


def test_numbers_are_per_commune(send, three, far_officer, far_village, app):
    with app.test_request_context():
        far_child = register.create_child(far_officer, {
            "child": {"full_name": "Trần Văn Nam", "sex": "1", "date_of_birth": BORN,
                      "ethnicity_code": "01", "village_code": far_village.code},
            "household": {"head_name": "Trần Văn Bình"},
            "caregivers": [{"relation": "father", "full_name": "Trần Văn Bình"}]})
    assert send(three[0]).number == 1
    assert send(three[1]).number == 2
    assert send(far_child, actor=far_officer).number == 1


def test_officer_of_another_commune_gets_404(client, login, far_officer, batch):
    login(far_officer)
    assert client.get(f"/verification/{batch.id}").status_code == 404
    assert "Danh sách cần xác thực số 1" not in client.get("/verification").get_data(
        as_text=True)


def test_officer_page_and_links(client, login, officer, batch):
    login(officer)
    home = client.get("/").get_data(as_text=True)
    assert "Xác thực với công an" in home
    html = client.get("/verification").get_data(as_text=True)
    assert "Danh sách cần xác thực số 1" in html and "Tạo danh sách mới" in html
    page = client.get(f"/verification/{batch.id}")
    html = page.get_data(as_text=True)
    assert f"/children/{batch.items[0].child_id}" in html  # the officer may open the child
    assert "Nhập kết quả từ tệp của công an" in html and 'id="finish"' not in html
    markup = parse(page)
    assert all(c.get("id") in markup.label_for for c in markup.controls)
