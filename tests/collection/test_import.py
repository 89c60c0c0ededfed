"""The commune officer imports a file of unsent items saved from a phone that cannot sync:
each item is judged as its author's, stored once however often it arrives, and the officer
is recorded as the importer."""

import io
import json

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.cases.models import Case
from fieldapp.collection.models import Submission
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B
from tests.submissions import changed, make_item, make_report


def new_child(village: str, name: str) -> dict:
    return changed(make_item(village), {"data.child.full_name": name})


def export_file(user, items: list[dict]) -> bytes:
    """The file a phone saves with "Lưu phiếu chưa gửi ra tệp"."""
    body = {"format": "fieldapp-outbox", "version": 1, "exported_at": "2026-11-21T08:00:00Z",
            "user": {"id": str(user.id), "username": user.username}, "submissions": items}
    return json.dumps(body, ensure_ascii=False).encode()


def _upload(client, content: bytes, name: str = "phieu.json"):
    token = csrf_token(client, "/collect/import")
    return client.post("/collect/import", data={
        "csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def test_the_officer_imports_a_file_once_however_often_it_arrives(client, db, login, officer,
                                                                  collector, village):
    good = [new_child(village.code, "Lò Thị Một"), new_child(village.code, "Lò Văn Hai")]
    bad = new_child(village.code, "")
    login(officer)
    answer = _upload(client, export_file(collector, [*good, bad]))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Đã nhận, chờ duyệt: 2" in html and "Chưa hợp lệ: 1" in html
    assert "Họ và tên: vui lòng nhập." in html
    stored = list(db.session.scalars(select(Submission)))
    assert {s.data["child"]["full_name"] for s in stored} == {"Lò Thị Một", "Lò Văn Hai"}
    assert all(s.user_id == collector.id and s.imported_by_id == officer.id for s in stored)
    audit = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "submission_received")).all()
    assert {a.user_id for a in audit} == {officer.id}

    again = _upload(client, export_file(collector, good)).get_data(as_text=True)
    assert "Đã có từ trước: 2" in again
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Vui lòng chọn tệp phiếu"),
    (b"\x89PNG not json", "Tệp không đọc được"),
    (b'{"format": "other", "submissions": []}', "không phải tệp phiếu chưa gửi"),
    (b'{"format": "fieldapp-outbox", "submissions": {}}', "không có danh sách phiếu"),
])
def test_a_file_that_is_not_an_outbox_file_is_refused_with_a_clear_message(
        client, login, officer, content, message):
    login(officer)
    answer = _upload(client, content)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)


def test_a_file_of_another_communes_collector_is_refused(client, db, make, login, officer):
    elsewhere = make.user(roles.COLLABORATOR, [make.village(commune=COMMUNE_B)])
    login(officer)
    item = new_child(elsewhere.villages[0].code, "Lò Thị Xa")
    answer = _upload(client, export_file(elsewhere, [item]))
    assert answer.status_code == 422
    assert "không thuộc tài khoản cộng tác viên" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_a_forged_author_id_is_refused(client, login, officer, collector, village):
    login(officer)
    content = export_file(collector, [new_child(village.code, "Lò Thị Thử")]).replace(
        f'"id": "{collector.id}"'.encode(), b'"id": "999999"')
    assert _upload(client, content).status_code == 422


def test_only_the_commune_officer_imports(client, login, collector):
    login(collector)
    assert client.get("/collect/import").status_code == 403


def test_a_report_in_the_file_opens_its_case_once(client, db, login, officer, collector,
                                                  village):
    sent = make_report(village.code)
    login(officer)
    html = _upload(client, export_file(collector, [sent, new_child(village.code, "Lò Thị Ba")])
                   ).get_data(as_text=True)
    assert "Tin báo trẻ cần bảo vệ, đã mở hồ sơ vụ việc: 1" in html
    assert "Đã nhận, chờ duyệt: 1" in html
    [case] = db.session.scalars(select(Case)).all()
    assert (case.source, case.created_by_id, case.state) == ("field_report", collector.id,
                                                           "received")
    again = _upload(client, export_file(collector, [sent])).get_data(as_text=True)
    assert "Đã có từ trước: 1" in again
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
