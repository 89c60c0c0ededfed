"""The import's files: CSV as Excel and others write it (UTF-8 with or without BOM,
Windows-1258, ``,`` ``;`` or a tab), files refused with a message next to the field, and the
template, which imports cleanly."""

import io
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp.children import table
from fieldapp.children.models import Child
from tests.children.import_sheets import (
    csv_bytes,
    fingerprint,
    upload,
    upload_id,
    workbook,
)
from tests.conftest import csrf_token

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn/bản", "Họ tên mẹ"]
ROWS = [[1, "Lò Văn Ánh", "04/03/2016", "Nam", "Thái", "Nà Sàng", "Lường Thị Xuân"],
        [2, "Đặng Thị Hường", "2017", "Nữ", "Dao", "Bản Nà Sàng", "Triệu Thị Mẩy"]]


@pytest.fixture()
def officer_in(client, login, officer, village):
    login(officer)
    return client


def _preview(client, body: bytes, name: str) -> str:
    key = upload_id(upload(client, body, name))
    return client.get(f"/children/import/{key}").get_data(as_text=True)


@pytest.mark.parametrize(("separator", "encoding"), [
    (",", "utf-8"), (",", "utf-8-sig"), (";", "utf-8-sig"), (";", "cp1258"), ("\t", "utf-16"),
])
def test_csv_as_excel_and_others_write_it(officer_in, db, separator, encoding):
    body = csv_bytes([HEADER, *ROWS], separator, encoding)
    html = _preview(officer_in, body, "danh-sach.csv")
    assert "Lò Văn Ánh" in html and "Đặng Thị Hường" in html  # read, diacritics and all
    assert "Sẽ nhập <strong>2</strong> trẻ em" in html
    assert "Chỉ có năm 2017" in html


def test_excels_sep_line_names_the_separator(officer_in):
    body = b"sep=;\r\n" + csv_bytes([HEADER, *ROWS], ";")
    html = _preview(officer_in, body, "danh-sach.csv")
    assert "Sẽ nhập <strong>2</strong> trẻ em" in html


def test_a_csv_is_imported_like_a_workbook(officer_in, db):
    body = csv_bytes([HEADER, *ROWS], ";", "utf-8-sig")
    key = upload_id(upload(officer_in, body, "ds.csv"))
    html = officer_in.get(f"/children/import/{key}").get_data(as_text=True)
    token = csrf_token(officer_in, f"/children/import/{key}")
    officer_in.post(f"/children/import/{key}/confirm",
                    data={"csrf_token": token, "fingerprint": fingerprint(html)})
    made = {c.full_name: c for c in db.session.scalars(select(Child))}
    assert set(made) == {"Lò Văn Ánh", "Đặng Thị Hường"}
    assert made["Đặng Thị Hường"].ethnicity_code == "09"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, body in files.items():
            packed.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(("body", "name", "message"), [
    (b"", "a.xlsx", "Vui lòng chọn tệp danh sách trẻ em"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", "Tệp .xls (Excel 97–2003)"),
    (b"%PDF-1.4\n\x00\x01\x02", "a.pdf", "Tệp không đọc được"),
    (_zip({"hello.txt": b"hi"}), "a.xlsx", "Tệp không đọc được"),
    (_zip({"big.xml": b"0" * 60_000_000}), "a.xlsx", "Tệp không đọc được"),
    (b"\r\n\r\n", "a.csv", "Tệp không có dòng nào"),
    (csv_bytes([["Số thứ tự", "Ghi chú"], ["1", "x"]]), "a.csv",
     "Không tìm thấy dòng tiêu đề"),
    (workbook([["Tên cơ quan", "Điện thoại"], ["UBND xã", "0212"]]), "a.xlsx",
     "Không tìm thấy dòng tiêu đề"),
])
def test_files_refused_with_a_message_next_to_the_field(officer_in, db, body, name, message):
    answer = upload(officer_in, body, name)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    field = html[html.index('id="file"') - 400:]
    assert message in field[:field.index("</div>")]
    assert db.session.scalars(select(Child)).first() is None


def test_a_file_too_big_or_too_long_is_refused(officer_in, monkeypatch):
    body = csv_bytes([HEADER, *ROWS * 3])
    monkeypatch.setattr(table, "MAX_BYTES", len(body) - 1)
    answer = upload(officer_in, body, "a.csv")
    assert answer.status_code == 422
    assert "Tệp quá lớn (tối đa" in answer.get_data(as_text=True)
    monkeypatch.setattr(table, "MAX_BYTES", 5_000_000)
    monkeypatch.setattr(table, "MAX_ROWS", 3)
    monkeypatch.setattr(table, "HEAD_ROOM", 0)
    answer = upload(officer_in, workbook([HEADER, *ROWS * 3]), "a.xlsx")
    assert answer.status_code == 422
    assert "Tệp có quá nhiều dòng: tối đa 3 trẻ em một lần" in answer.get_data(as_text=True)


def test_the_template_has_the_lists_and_imports_cleanly(officer_in, db, village, village2):
    answer = officer_in.get("/children/import/template.xlsx")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["Danh sách trẻ em", "Danh mục"]
    lists = [c.value for row in book["Danh mục"].iter_rows() for c in row if c.value]
    for label in ("Nam", "Nữ", "Thái", "HMông", "Bản Nà Sàng", "Bản Pá Múa", "Khuyết tật",
                  "DB04", "Cận nghèo", "Tiểu học"):
        assert label in lists
    html = _preview(officer_in, answer.data, "mau.xlsx")
    assert 'id="import-problems"' not in html  # the example is clean
    assert "Dòng ví dụ (không nhập): 1" in html
    assert "Không có dòng hợp lệ nào để nhập" in html
    assert "Máy đoán:" not in html  # no column the officer must change
    for header, field in (("Họ tên chủ hộ", "head"), ("Hộ nghèo/cận nghèo", "poverty"),
                          ("Số định danh cá nhân", "personal_id"), ("Thôn/bản", "village")):
        cell = html[html.index(f">{header}</td>"):]
        assert f'<option selected value="{field}">' in cell[:cell.index("</select>")]
    # Filled in below the example, it imports.
    sheet = book["Danh sách trẻ em"]
    sheet.append([1, "Lò Văn Ánh", "04/03/2016", "Nam", "Thái", "", "Bản Pá Múa", "",
                  "Lò Văn Pọm", "Lường Thị Xuân", "", "Cận nghèo", "DB04 (Nhìn, Nhẹ)",
                  "Tiểu học"])
    out = BytesIO()
    book.save(out)
    key = upload_id(upload(officer_in, out.getvalue(), "mau.xlsx"))
    html = officer_in.get(f"/children/import/{key}").get_data(as_text=True)
    assert 'id="import-problems"' not in html and "Sẽ nhập <strong>1</strong>" in html
    token = csrf_token(officer_in, f"/children/import/{key}")
    officer_in.post(f"/children/import/{key}/confirm",
                    data={"csrf_token": token, "fingerprint": fingerprint(html)})
    child = db.session.scalars(select(Child)).one()
    assert child.full_name == "Lò Văn Ánh" and child.village_code == village2.code
    assert child.household.head_name == "Lò Văn Pọm"  # no Chủ hộ: the father
    assert child.household.poverty_status == "near_poor"
    assert sorted(c.code for c in child.circumstances) == ["DB04", "NC02"]  # NC02: the household
    assert child.schooling_status == "HT03"
