"""Finishing a batch: the police's results enter the register as their changes (one version
per child, history source "police", audit), what moved meanwhile is reported, never a 500."""

from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Child, ChildChange
from fieldapp.verification.models import VerificationBatch
from tests.conftest import csrf_token
from tests.submissions import BORN, child_id_number

BOY, GIRL = child_id_number(BORN, "1", "000111"), child_id_number(BORN, "2", "000222")


@pytest.fixture()
def record(app, db, police):
    """``record(batch, item, **data)``: the police's result through the service."""
    from fieldapp.verification import services

    def run(batch, item, actor=None, **data):
        with app.test_request_context():
            services.record_result(actor or police, batch, item, data)
            db.session.flush()

    return run


def _by_name(batch, name):
    return next(i for i in batch.items if i.sent["full_name"] == name)


def _finish(client, batch):
    token = csrf_token(client, f"/verification/{batch.id}")
    return client.post(f"/verification/{batch.id}/finish", data={"csrf_token": token})


def test_finish_applies_results(client, login, police, batch, record, db, three):
    thanh, anh, hung = (_by_name(batch, n) for n in
                        ("Lò Văn Thanh", "Cầm Thị Ánh", "Quàng Văn Hùng"))
    record(batch, thanh, verified_id=BOY)
    record(batch, anh, verified_id=GIRL, corrections={
        "full_name": "Cầm Thị Ánh Dương", "caregivers.0.personal_id": "014185000999"})
    login(police)
    refused = _finish(client, batch)
    assert refused.status_code == 302
    page = client.get(refused.location).get_data(as_text=True)
    assert f"Còn 1 trẻ chưa có kết quả (STT {hung.position})" in page
    record(batch, hung, not_found=True, note="Chưa đăng ký khai sinh")
    done = _finish(client, batch)
    page = client.get(done.location).get_data(as_text=True)
    assert "2 trẻ được cập nhật vào sổ" in page and "Biên bản bàn giao (PDF)" in page
    db.session.expire_all()
    assert db.session.get(VerificationBatch, batch.id).state == "finished"
    boy, girl, missing = (db.session.get(Child, c.id) for c in three)
    assert (boy.personal_id, boy.version) == (BOY, 2)
    assert (girl.personal_id, girl.full_name, girl.version) == (GIRL, "Cầm Thị Ánh Dương", 2)
    assert girl.caregivers[0].personal_id == "014185000999"
    assert (missing.personal_id, missing.version) == (None, 1)
    change = db.session.scalars(select(ChildChange).filter_by(child_id=girl.id, version=2)).one()
    assert (change.source, change.source_ref, change.user_id) == ("police", str(batch.id),
                                                                   police.id)
    assert {c["field"] for c in change.changes} == {
        "child.personal_id", "child.full_name", "caregivers.0.personal_id"}
    assert "Danh sách cần xác thực số 1" in change.note
    audits = db.session.scalars(select(AuditEntry).filter_by(action="child_updated")).all()
    assert {(a.object_id, a.user_id, a.detail["source"]) for a in audits} == {
        (str(boy.id), police.id, "police"), (str(girl.id), police.id, "police")}
    finished = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_batch_finished")).one()
    assert finished.detail == {"applied": 2, "left": []}
    assert db.session.get(VerificationBatch, batch.id).items[0].applied_version is not None
    again = _finish(client, batch)
    assert "Danh sách đã hoàn tất" in client.get(again.location).get_data(as_text=True)
    token = csrf_token(client, f"/verification/{batch.id}")
    late = client.post(f"/verification/{batch.id}/items/{thanh.id}",
                       data={"csrf_token": token, f"i{thanh.position}-verified_id": BOY})
    assert late.status_code == 302  # refused with a message, not applied again
    assert db.session.get(Child, boy.id).version == 2


def test_the_register_moved_on(client, login, police, batch, record, db, three, officer_does,
                               village):
    """Closed meanwhile: left alone. Renamed meanwhile: the officer's name stays, the number
    is still applied. Each is reported by STT, without a child's name."""
    thanh, anh, hung = (_by_name(batch, n) for n in
                        ("Lò Văn Thanh", "Cầm Thị Ánh", "Quàng Văn Hùng"))
    record(batch, thanh, verified_id=BOY, corrections={"full_name": "Lò Văn Thành"})
    record(batch, anh, verified_id=GIRL)
    record(batch, hung, verified_id=child_id_number(BORN, "1", "000333"))
    boy, girl, third = three
    officer_does("update_child", boy, {
        "child": {"full_name": "Lò Văn Thanh Tâm", "sex": "1", "date_of_birth": BORN,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    officer_does("close_child", girl, "moved_away", date.today())
    login(police)
    done = _finish(client, batch)
    page = client.get(done.location).get_data(as_text=True)
    assert f"STT {anh.position} (Chưa ghi vào sổ): Hồ sơ đã đóng" in page
    assert f"STT {thanh.position} (Đã ghi vào sổ một phần): Họ và tên: đã được sửa" in page
    db.session.expire_all()
    boy, girl, third = (db.session.get(Child, c.id) for c in three)
    assert (boy.full_name, boy.personal_id, boy.version) == ("Lò Văn Thanh Tâm", BOY, 3)
    assert (girl.personal_id, girl.version) == (None, 2)
    assert third.personal_id.endswith("000333")
    finished = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_batch_finished")).one()
    assert sorted(x["reason"] for x in finished.detail["left"]) == ["changed", "closed"]
    later = client.get(done.location).get_data(as_text=True)  # the flashes are gone
    assert "Chưa ghi vào sổ: hồ sơ đã đóng." in later
    assert "Đã ghi vào sổ (phiên bản 3), trừ: trường đã được sửa trong sổ" in later


def test_a_result_the_register_refuses_is_reported(client, login, police, batch, record, db,
                                                   three, officer_does, village):
    """The officer changed the sex meanwhile: the number no longer agrees with the record,
    so nothing of that child is written, and the page says why."""
    thanh = _by_name(batch, "Lò Văn Thanh")
    for item in batch.items:
        record(batch, item, not_found=True, note="Không có")
    record(batch, thanh, verified_id=BOY)
    officer_does("update_child", three[0], {
        "child": {"full_name": "Lò Văn Thanh", "sex": "2", "date_of_birth": BORN,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    login(police)
    done = _finish(client, batch)
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)
    assert f"STT {thanh.position} (Chưa ghi vào sổ): Sổ không nhận kết quả:" in page
    assert "không khớp giới tính" in page
    db.session.expire_all()
    assert db.session.get(Child, three[0].id).personal_id is None
    assert db.session.get(VerificationBatch, batch.id).state == "finished"
