"""The spreadsheet round trip: export, the police fill it offline, the officer imports it,
previews it and confirms the valid rows; bad files are refused with a clear message."""

import io
import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Child
from fieldapp.verification import sheet
from fieldapp.verification.models import VerificationItem
from tests.conftest import csrf_token
from tests.submissions import BORN, child_id_number
from tests.verification.sheets import fill, row_of
from tests.web.test_pages import parse

BOY, GIRL = child_id_number(BORN, "1", "000111"), child_id_number(BORN, "2", "000222")
CONFIRM = re.compile(r'id="token" name="token" type="hidden" value="([^"]+)"')


@pytest.fixture()
def exported(client, login, officer, batch):
    login(officer)
    answer = client.get(f"/verification/{batch.id}/danh-sach.xlsx")
    assert answer.status_code == 200
    return answer.data


def _upload(client, batch, body: bytes, name="ket-qua.xlsx"):
    token = csrf_token(client, f"/verification/{batch.id}")
    return client.post(f"/verification/{batch.id}/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (BytesIO(body), name)})


def _confirm(client, batch, preview_html: str):
    token = csrf_token(client, f"/verification/{batch.id}")
    return client.post(f"/verification/{batch.id}/import/confirm",
                       data={"csrf_token": token,
                             "token": CONFIRM.search(preview_html).group(1)})


def _positions(batch):
    return {i.sent["full_name"]: i.position for i in batch.items}


def _outcomes(db, batch):
    db.session.expire_all()
    return {i.position: i.outcome for i in
            db.session.scalars(select(VerificationItem).filter_by(batch_id=batch.id))}


def test_export(exported, batch, db):
    sheet = load_workbook(BytesIO(exported)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert ("Mã danh sách", str(batch.id)) == lines[2][:2]
    heads = lines[5]
    for heading in ("STT", "Họ và tên", "Ngày sinh", "Số định danh đã xác thực",
                    "Không tìm thấy (ghi x)", "Ghi chú", "Mã dòng"):
        assert heading in heads
    key_column = heads.index("Mã dòng")
    assert {line[key_column] for line in lines[6:]} == {i.row_key for i in batch.items}
    assert sheet.protection.sheet is True
    assert sheet.column_dimensions["P"].hidden is True
    typed = sheet.cell(row=7, column=heads.index("Số định danh đã xác thực") + 1)
    assert typed.protection.locked is False and typed.number_format == "@"
    assert sheet.cell(row=7, column=2).protection.locked is True
    shown = " ".join(str(v) for line in lines for i, v in enumerate(line)
                     if v is not None and i != key_column)
    assert not re.search(r"\b(DB|NC|TG)\d\d\b|\bK0\d\b|Hoàn cảnh|Trợ giúp", shown)
    entry = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_exported")).one()
    assert entry.object_id == str(batch.id)


def test_round_trip(client, login, officer, police, batch, exported, db, three):
    at = _positions(batch)
    filled = fill(exported, {
        at["Lò Văn Thanh"]: {"verified_id": int(BOY)},  # typed as a number: zeros lost
        at["Cầm Thị Ánh"]: {"verified_id": GIRL, "fix_full_name": "Cầm Thị Ánh Dương",
                            "fix_date_of_birth": BORN.strftime("%d/%m/%Y")},
        at["Quàng Văn Hùng"]: {"not_found": "x", "note": "Chưa đăng ký khai sinh"},
    })
    preview = _upload(client, batch, filled)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    html = preview.get_data(as_text=True)
    assert "3 dòng hợp lệ · 0 dòng có lỗi" in html and "Chưa có gì được ghi." in html
    assert BOY in html and "Cầm Thị Ánh Dương" in html
    assert all(c.get("id") in parse(preview).label_for for c in parse(preview).controls)
    assert set(_outcomes(db, batch).values()) == {"pending"}  # nothing before confirming
    done = _confirm(client, batch, html)
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)
    assert "Đã ghi 3 kết quả từ tệp" in page and "Nhập từ tệp của công an" in page
    db.session.expire_all()
    items = {i.position: i for i in
             db.session.scalars(select(VerificationItem).filter_by(batch_id=batch.id))}
    assert (items[at["Lò Văn Thanh"]].outcome, items[at["Lò Văn Thanh"]].verified_id) == (
        "verified", BOY)
    girl = items[at["Cầm Thị Ánh"]]
    assert girl.outcome == "corrected" and girl.corrections == {"full_name": "Cầm Thị Ánh Dương"}
    assert items[at["Quàng Văn Hùng"]].outcome == "not_found"
    assert {i.decided_by_id for i in items.values()} == {officer.id}
    assert db.session.get(Child, three[0].id).personal_id is None  # the police finish
    imported = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_imported")).one()
    assert imported.detail == {"recorded": 3, "refused": 0}
    token = csrf_token(client, "/")
    client.post("/logout", data={"csrf_token": token})
    login(police)
    token = csrf_token(client, f"/verification/{batch.id}")
    client.post(f"/verification/{batch.id}/finish", data={"csrf_token": token})
    db.session.expire_all()
    boy = db.session.get(Child, three[0].id)
    assert (boy.personal_id, boy.version) == (BOY, 2)
    assert db.session.get(Child, three[1].id).full_name == "Cầm Thị Ánh Dương"


def test_row_errors_by_row_number(client, batch, exported, db):
    at = _positions(batch)
    filled = fill(exported, {
        at["Lò Văn Thanh"]: {"verified_id": "12345"},
        at["Cầm Thị Ánh"]: {"verified_id": BOY},  # a boy's number for a girl
        at["Quàng Văn Hùng"]: {"not_found": "x"},  # no note
    })
    preview = _upload(client, batch, filled)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "0 dòng hợp lệ · 3 dòng có lỗi" in html and "Ghi 0" not in html
    for name, message in (("Lò Văn Thanh", "phải gồm đúng 12 chữ số"),
                          ("Cầm Thị Ánh", "không khớp giới tính"),
                          ("Quàng Văn Hùng", "vui lòng ghi lý do không tìm thấy")):
        number = row_of(filled, at[name])
        assert re.search(rf"Dòng {number}</strong>[^<]*<span class=\"error\">[^<]*{message}",
                         html), (name, number)
    assert set(_outcomes(db, batch).values()) == {"pending"}


def test_valid_rows_only_and_empty_rows(client, batch, exported, db):
    at = _positions(batch)
    filled = fill(exported, {at["Lò Văn Thanh"]: {"verified_id": BOY},
                             at["Cầm Thị Ánh"]: {"verified_id": "99"}})
    html = _upload(client, batch, filled).get_data(as_text=True)
    assert "1 dòng hợp lệ · 1 dòng có lỗi · 1 dòng chưa ghi kết quả" in html
    _confirm(client, batch, html)
    assert _outcomes(db, batch) == {at["Lò Văn Thanh"]: "verified",
                                    at["Cầm Thị Ánh"]: "pending",
                                    at["Quàng Văn Hùng"]: "pending"}


def test_online_corrections_the_file_cannot_hold_are_kept(client, batch, exported, app, db,
                                                          police):
    from fieldapp.verification import services

    at = _positions(batch)
    item = next(i for i in batch.items if i.position == at["Lò Văn Thanh"])
    with app.test_request_context():
        services.record_result(police, batch, item, {
            "verified_id": BOY, "corrections": {"address": "Tổ 5", "full_name": "Lò Văn Thành"}})
    db.session.flush()
    again = client.get(f"/verification/{batch.id}/danh-sach.xlsx").data
    sheet_now = load_workbook(BytesIO(again)).active
    assert "Lò Văn Thành" in [c.value for c in sheet_now[row_of(again, item.position)]]
    filled = fill(again, {item.position: {"fix_full_name": None, "note": "Đã đối chiếu"}})
    html = _upload(client, batch, filled).get_data(as_text=True)
    assert "Thay kết quả đã ghi trước" in html
    _confirm(client, batch, html)
    db.session.expire_all()
    stored = db.session.get(VerificationItem, item.id)
    assert stored.corrections == {"address": "Tổ 5"}  # the name column emptied: as sent
    assert (stored.verified_id, stored.note) == (BOY, "Đã đối chiếu")


def test_same_number_twice_in_the_file(client, batch, exported):
    at = _positions(batch)
    filled = fill(exported, {at["Lò Văn Thanh"]: {"verified_id": BOY},
                             at["Quàng Văn Hùng"]: {"verified_id": BOY}})
    html = _upload(client, batch, filled).get_data(as_text=True)
    assert "1 dòng hợp lệ · 1 dòng có lỗi" in html
    assert "số này đã ghi cho trẻ STT" in html


def test_another_batchs_file_is_refused(client, batch, exported, send, add_child, db):
    other = send(add_child("Hà Văn Khoa"))
    filled = fill(exported, {1: {"verified_id": BOY}})
    answer = _upload(client, other, filled)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Tệp này thuộc một danh sách khác, không phải Danh sách cần xác thực số 2" in html
    # The batch id changed to this batch's, but the rows' keys are another batch's.
    forged = fill(exported, {1: {"verified_id": BOY}}, batch_id=str(other.id))
    answer = _upload(client, other, forged)
    assert answer.status_code == 422
    assert "Cột Mã dòng ở dòng 7, 8, 9 không khớp danh sách này" in answer.get_data(
        as_text=True)
    assert set(_outcomes(db, other).values()) == {"pending"}


def test_a_tampered_key_is_refused(client, batch, exported, db):
    at = _positions(batch)
    thanh = at["Lò Văn Thanh"]
    filled = fill(exported, {thanh: {"verified_id": BOY}}, keys={thanh: "x" * 22})
    answer = _upload(client, batch, filled)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert f"Cột Mã dòng ở dòng {row_of(filled, thanh)} không khớp danh sách này" in html
    assert "Không kết quả nào được ghi" in html
    other_key = next(i.row_key for i in batch.items if i.position != thanh)
    duplicated = fill(exported, {thanh: {"verified_id": BOY}}, keys={thanh: other_key})
    assert _upload(client, batch, duplicated).status_code == 422
    assert set(_outcomes(db, batch).values()) == {"pending"}


def test_a_forged_confirmation_is_refused(client, batch, exported, db):
    at = _positions(batch)
    html = _upload(client, batch, fill(exported, {at["Lò Văn Thanh"]: {"verified_id": BOY}})
                   ).get_data(as_text=True)
    token = CONFIRM.search(html).group(1)
    csrf = csrf_token(client, f"/verification/{batch.id}")
    answer = client.post(f"/verification/{batch.id}/import/confirm",
                         data={"csrf_token": csrf, "token": token[:-3] + "abc"})
    assert answer.status_code == 422
    assert "hãy nhập lại tệp" in answer.get_data(as_text=True)
    assert set(_outcomes(db, batch).values()) == {"pending"}


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, body in files.items():
            packed.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(("body", "message"), [
    (b"", "Vui lòng chọn tệp .xlsx"),
    (b"STT,Ho va ten\n1,An\n", "không phải tệp Excel (.xlsx)"),
    (b"%PDF-1.4 not a sheet", "không phải tệp Excel (.xlsx)"),
    (_zip({"hello.txt": b"hi"}), "không phải tệp Excel (.xlsx)"),
    (_zip({"big.xml": b"0" * 60_000_000}), "không phải tệp Excel (.xlsx)"),
])
def test_bad_files(client, batch, exported, body, message, db):
    answer = _upload(client, batch, body)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert set(_outcomes(db, batch).values()) == {"pending"}


def test_too_big(client, batch, exported, monkeypatch):
    # The limit made small: werkzeug's test client leaves a temporary file open for a large
    # upload (it builds the body in one), which the warnings-as-errors setting catches.
    monkeypatch.setattr(sheet, "MAX_BYTES", len(exported) - 1)
    answer = _upload(client, batch, exported)
    assert answer.status_code == 422
    assert "Tệp quá lớn (tối đa 5 MB)" in answer.get_data(as_text=True)


def test_other_workbooks_and_empty_results(client, batch, exported):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["STT", "Họ và tên"])
    out = BytesIO()
    book.save(out)
    answer = _upload(client, batch, out.getvalue())
    assert answer.status_code == 422
    assert "không phải tệp tải từ một danh sách cần xác thực" in answer.get_data(as_text=True)
    answer = _upload(client, batch, exported)  # nothing filled in
    assert answer.status_code == 422
    assert "Tệp chưa có kết quả nào" in answer.get_data(as_text=True)


def test_import_is_the_officers(client, login, police, batch, exported):
    token = csrf_token(client, "/")
    client.post("/logout", data={"csrf_token": token})
    login(police)
    assert client.get(f"/verification/{batch.id}/danh-sach.xlsx").status_code == 200
    assert _upload(client, batch, exported).status_code == 403


def test_no_import_once_finished(client, batch, exported, app, db, police):
    from fieldapp.verification import services

    with app.test_request_context():
        for item in batch.items:
            services.record_result(police, batch, item, {"not_found": True, "note": "Không"})
        services.finish_batch(police, batch)
    db.session.flush()
    filled = fill(exported, {1: {"verified_id": BOY}})
    answer = _upload(client, batch, filled)
    assert answer.status_code == 422
    assert "Danh sách đã hoàn tất" in answer.get_data(as_text=True)
