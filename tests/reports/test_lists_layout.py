"""``fieldapp.spreadsheet.administrative``: the Vietnamese administrative layout the lists
and the indicator report share — heading blocks merged over the left and right columns, the
table bordered with its widths, dates as dd/mm/yyyy, data written as text (a name that looks
like a formula stays text), A4 landscape fitted to the width with the heading row repeated."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook, load_workbook

from fieldapp import spreadsheet
from tests.spreadsheets import FORMULA, assert_text_only


def _sheet(**overrides):
    book = Workbook()
    options = dict(authority=spreadsheet.committee("Xã Mường La"), title="DANH SÁCH THỬ",
                   period="Tháng 11/2026", place=spreadsheet.place_name("Xã Mường La"),
                   day=date(2026, 12, 5), columns=[("STT", 6), ("Họ và tên", 30),
                                                    ("Ngày sinh", 12), ("Ghi chú", 40)],
                   rows=[(1, FORMULA, date(2019, 3, 1), "-5 tuổi")], landscape=True,
                   total="Tổng số: 1 trẻ")
    end = spreadsheet.administrative(book.active, **{**options, **overrides})
    out = BytesIO()
    book.save(out)
    return end, out.getvalue()


def test_names_of_a_commune():
    assert spreadsheet.committee("Xã Mường La") == "UBND XÃ MƯỜNG LA"
    assert spreadsheet.committee("Phường Ba Đình") == "UBND PHƯỜNG BA ĐÌNH"
    assert spreadsheet.committee("Mường La") == "UBND XÃ MƯỜNG LA"
    assert spreadsheet.place_name("Đặc khu Phú Quốc") == "Phú Quốc"


def test_the_layout():
    end, raw = _sheet()
    sheet = load_workbook(BytesIO(raw)).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Rows: 1-3 the heading blocks, 5 title, 6 period, 8 the table's headings, 9 its row,
    # 10 the total, 12 place and day, 13 the signers, 14 "(Ký, ghi rõ họ tên)".
    assert {"B1:D1", "B2:D2", "A5:D5", "A6:D6", "A10:D10", "B12:D12", "B13:D13"} <= merged
    assert sheet["A1"].value == "UBND XÃ MƯỜNG LA" and sheet["A1"].font.b
    assert (sheet["A5"].value, sheet["A10"].value) == ("DANH SÁCH THỬ", "Tổng số: 1 trẻ")
    assert sheet["B12"].value == "Mường La, ngày 05 tháng 12 năm 2026"
    assert (sheet["A13"].value, sheet["B13"].value) == ("NGƯỜI LẬP BIỂU", "CHỦ TỊCH UBND XÃ")
    assert sheet["A14"].value == "(Ký, ghi rõ họ tên)"
    assert sheet["A9"].value == 1 and sheet["C9"].number_format == "DD/MM/YYYY"
    assert sheet["A8"].border.left.style == "thin" and sheet["D9"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$8:$8"
    assert end == 20
    assert_text_only(raw, FORMULA, "-5 tuổi")


def test_one_column_and_no_total():
    _, raw = _sheet(columns=[("STT", 6)], rows=[(1,)], total="", landscape=False)
    sheet = load_workbook(BytesIO(raw)).active
    assert (sheet["A1"].value, sheet["B1"].value) == (
        "UBND XÃ MƯỜNG LA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert sheet.page_setup.orientation == "portrait"
