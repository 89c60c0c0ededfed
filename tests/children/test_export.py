"""**Xuất hồ sơ của trẻ** (Law 91/2025, a family's request for its data): the whole record as
JSON and PDF for the commune officer, audited as an export, kept by no cache; refused to every
other role, not found outside the officer's commune."""

import json
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children.record import flat_label
from fieldapp.clock import VIETNAM
from tests.children.pages import TODAY, days_ago
from tests.factories import COMMUNE_B

SECRET = "hỗ trợ vụ xâm hại tình dục"


def _day() -> str:
    """Today in Vietnam, as the file names say it."""
    return f"{datetime.now(UTC).astimezone(VIETNAM):%Y%m%d}"


@pytest.fixture()
def child(add_child, officer_does):
    """Lò Thị Ánh: a DB04 membership ended, a restricted DB12 one current, one support given
    at creation (version 1), another recorded afterwards (version 2)."""
    made = add_child(
        "Lò Thị Ánh", sex="2", address="Tổ 3, bản Nà",
        caregivers=[{"relation": "father", "full_name": "Lò Văn Pọm", "phone": "0912345678"}],
        circumstances=[
            {"code": "DB04", "since": days_ago(900), "until": days_ago(300), "note": "Đi xe lăn",
             "detail": {"disability_type": "KT01", "disability_level": "MD02"}},
            {"code": "DB12", "since": days_ago(90), "note": SECRET}],
        support=[{"form": "TG06", "date": days_ago(60), "provider": "Trung tâm CTXH tỉnh",
                  "note": SECRET}])
    officer_does("record_support", made, {"form": "TG01", "date": TODAY.isoformat(),
                                          "provider": "Trạm y tế xã", "amount_vnd": 150000})
    return made


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def _exports(db, child) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "child_exported", AuditEntry.object_id == str(child.id))
        .order_by(AuditEntry.id)))


def test_the_json_holds_the_whole_record(client, db, login, officer, village, child):
    login(officer)
    client.get(f"/children/{child.id}")  # a view, which the export lists
    answer = client.get(f"/children/{child.id}/ho-so.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="ho-so-tre-{str(child.id)[:8]}-{_day()}.json"')
    assert answer.headers["Cache-Control"] == "no-store"
    doc = json.loads(answer.data)
    assert (doc["format"], doc["format_version"], doc["exported_by"]) == (
        "fieldapp.child_record", 1, officer.username)
    assert doc["labels"]["child.full_name"] == "Họ và tên"
    record = doc["child"]
    assert (record["id"], record["full_name"], record["sex"], record["sex_label"]) == (
        str(child.id), "Lò Thị Ánh", "2", "Nữ")
    assert (record["village"], record["village_label"]) == (village.code, village.name)
    assert record["ethnicity_label"] == "Thái" and record["version"] == 2
    assert doc["household"]["head_name"] == "Lò Văn Pọm"
    assert doc["caregivers"] == [{"relation": "father", "relation_label": "Cha",
                                  "full_name": "Lò Văn Pọm", "personal_id": None,
                                  "phone": "0912345678"}]
    ended, restricted = doc["circumstances"]
    assert (ended["code"], ended["current"], ended["until"]) == (
        "DB04", False, days_ago(300).isoformat())
    assert ended["detail"] == {"disability_level": "MD02", "disability_type": "KT01"}
    assert ended["detail_labels"] == ["Vận động", "Nặng"]
    # The officer may see the restricted groups: shown in full.
    assert (restricted["code"], restricted["restricted"], restricted["masked"],
            restricted["note"]) == ("DB12", True, False, SECRET)
    assert [(s["code"], s["amount"], s["note"]) for s in doc["supports"]] == [
        ("TG06", None, SECRET), ("TG01", 150000, "")]
    assert doc["supports"][1]["code_label"] == "Trợ giúp y tế"
    assert doc["closure"] is None
    newest, first = doc["history"]
    assert (newest["version"], first["version"]) == (2, 1)
    assert newest["by"] == officer.username and newest["source_label"] == "Cán bộ xã sửa"
    changed = {c["field"]: c for c in newest["changes"]}
    assert changed["support.1.form"] == {
        "field": "support.1.form", "label": "Trợ giúp 2 · Hình thức", "old": None,
        "new": "TG01", "old_label": None, "new_label": "Trợ giúp y tế"}
    assert changed["support.1.provider"]["new"] == "Trạm y tế xã"
    assert "new_label" not in changed["support.1.provider"]
    assert any(c["field"] == "child.full_name" and c["new"] == "Lò Thị Ánh"
               for c in first["changes"])
    assert [a["action"] for a in doc["access"]] == ["child_viewed"]


def test_the_pdf_is_a_readable_a4(client, login, officer, child):
    login(officer)
    answer = client.get(f"/children/{child.id}/ho-so.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    assert f'filename="ho-so-tre-{str(child.id)[:8]}-{_day()}.pdf"' in (
        answer.headers["Content-Disposition"])
    assert answer.headers["Cache-Control"] == "no-store"
    reader = PdfReader(BytesIO(answer.data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("HỒ SƠ CỦA TRẺ EM", "XÃ MƯỜNG LA", "Lò Thị Ánh", "Lò Văn Pọm",
                     "Khuyết tật", SECRET, "Trạm y tế xã", "150.000", "Lịch sử thay đổi",
                     "Phiên bản 2", "Trợ giúp 2 · Hình thức", f"Trang 1/{len(reader.pages)}"):
        assert expected in text, expected


def test_each_export_is_audited_without_personal_data(client, db, login, officer, child):
    login(officer)
    client.get(f"/children/{child.id}/ho-so.pdf")
    client.get(f"/children/{child.id}/ho-so.json")
    entries = _exports(db, child)
    assert [e.detail for e in entries] == [{"format": "pdf"}, {"format": "json"}]
    assert all(e.username == officer.username and e.commune_code == child.commune_code
               for e in entries)
    # The audit log names it; the next export lists the earlier ones.
    doc = client.get(f"/children/{child.id}/ho-so.json").get_json()
    assert [a["action_label"] for a in doc["access"]] == ["Xuất hồ sơ của trẻ"] * 2
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert f'href="/children/{child.id}/ho-so.pdf"' in page and "Tải JSON" in page
    accesses = page.split("Ai đã xem, xuất hồ sơ", 1)[1]
    assert "xuất hồ sơ (PDF)" in accesses and "xuất hồ sơ (JSON)" in accesses


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.COMMUNE_LEADER,
                                  roles.POLICE, roles.PROVINCE_VIEWER, roles.ADMIN])
def test_other_roles_are_refused(client, db, login, make, village, child, role):
    places = [village] if role in roles.FIELD else None
    login(make.user(role, places) if places else make.user(role))
    for kind in ("pdf", "json"):
        assert client.get(f"/children/{child.id}/ho-so.{kind}").status_code == 403
    assert _exports(db, child) == []
    if role in roles.FIELD or role == roles.COMMUNE_LEADER:  # the roles that see the page
        page = client.get(f"/children/{child.id}").get_data(as_text=True)
        assert child.full_name in page and "Xuất hồ sơ của trẻ" not in page


def test_another_communes_child_is_not_found(client, db, login, make, add_child, officer):
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    foreign = add_child("Lê Thị Xa", place=make.village(COMMUNE_B), actor=officer_b)
    login(officer)
    for path in (f"/children/{foreign.id}/ho-so.json", f"/children/{foreign.id}/ho-so.pdf",
                 "/children/not-a-uuid/ho-so.json"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "Lê Thị Xa" not in answer.get_data(as_text=True)
    assert _exports(db, foreign) == []


@pytest.mark.parametrize("path, label", [
    ("child.full_name", "Họ và tên"),
    ("child.village_code", "Thôn, xóm, bản"),
    ("child.household_id", "Hộ gia đình"),
    ("child.closed_reason", "Lý do đóng hồ sơ"),
    ("caregivers.1.phone", "Người nuôi dưỡng 2 · Điện thoại"),
    ("circumstances.0.code", "Hoàn cảnh 1 · Nhóm"),
    ("circumstances.0.confirmed_on", "Hoàn cảnh 1 · Ngày xác nhận"),
    ("support.2.amount_vnd", "Trợ giúp 3 · Số tiền (đồng)"),
    ("child.unknown", "child.unknown"),
])
def test_history_paths_have_the_records_labels(path, label):
    assert flat_label(path) == label


def test_the_audit_log_names_the_export(client, login, officer, child):
    login(officer)
    client.get(f"/children/{child.id}/ho-so.json")
    html = client.get("/audit/?object_type=child").get_data(as_text=True)
    assert "Xuất hồ sơ của trẻ" in html


def test_a_closed_record_says_why(client, login, officer, child, officer_does):
    officer_does("close_child", child, "moved_away", None, "Theo mẹ về Hà Nội")
    login(officer)
    doc = client.get(f"/children/{child.id}/ho-so.json").get_json()
    assert doc["child"]["status"] == "closed"
    assert {k: doc["closure"][k] for k in ("reason", "reason_label", "note")} == {
        "reason": "moved_away", "reason_label": "Chuyển đi nơi khác",
        "note": "Theo mẹ về Hà Nội"}
    assert doc["history"][0]["version"] == 3
    text = _pdf_text(client.get(f"/children/{child.id}/ho-so.pdf").data)
    assert "Chuyển đi nơi khác" in text and "Theo mẹ về Hà Nội" in text


def test_a_missing_font_is_named(client, login, officer, child, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "PDF_FONT", "/nowhere/DejaVuSans.ttf")
    login(officer)
    answer = client.get(f"/children/{child.id}/ho-so.pdf")
    assert answer.status_code == 503
    assert "FIELDAPP_PDF_FONT" in answer.get_data(as_text=True)
    assert _exports(db, child) == []  # nothing was handed over
