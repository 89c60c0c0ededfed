"""The spreadsheet to fill for an import (``/children/import/template.xlsx``): a sheet with
the columns the import reads (their headers are the import's own names for its fields, so
the guesses are exact), one invented example row, and a second sheet with the code lists
(sex, ethnicity, circumstances and their details, schooling, poverty, the villages of the
officer's commune). The date and ID columns are text, so that Excel neither turns
04/03/2015 into an American date nor drops an ID number's leading zero."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fieldapp import spreadsheet
from fieldapp.catalogue import services as catalogue

HEADER_ROW = 4
LISTS = "Danh mục"
# (header, width, example). The example child is invented; its ID number is left empty.
COLUMNS = (
    ("STT", 6, "Ví dụ"),
    ("Họ và tên", 24, "Lò Thị Mẫu"),
    ("Ngày sinh", 12, None),  # filled in with a date seven years ago
    ("Giới tính", 9, "Nữ"),
    ("Dân tộc", 11, "Thái"),
    ("Số định danh cá nhân", 17, ""),
    ("Thôn/bản", 18, None),  # the commune's first village
    ("Địa chỉ", 18, ""),
    ("Họ tên cha", 20, "Lò Văn Bình"),
    ("Họ tên mẹ", 20, "Lường Thị Hoa"),
    ("Họ tên chủ hộ", 20, "Lò Văn Bình"),
    ("Hộ nghèo/cận nghèo", 12, "Không nghèo"),
    ("Hoàn cảnh", 22, ""),
    ("Tình trạng học tập", 16, "Tiểu học"),
    ("Cấp học khi bỏ học", 12, ""),
    ("Ngày bỏ học", 12, ""),
)
TEXT_COLUMNS = ("Ngày sinh", "Số định danh cá nhân", "Ngày bỏ học")
HELP = ("Mỗi dòng một trẻ, từ dòng 6 (dòng 5 là ví dụ, có chữ «Ví dụ» ở cột STT nên không "
        "được nhập). Ngày sinh ghi ngày/tháng/năm (04/03/2015); chỉ biết năm thì ghi năm "
        "(2015): ghi 01/01 của năm đó, cần bổ sung sau. Giới tính ghi Nam hoặc Nữ. Dân tộc, "
        "thôn/bản ghi tên như trang Danh mục. Hoàn cảnh ghi mã hoặc tên, nhiều nhóm cách nhau "
        "bằng dấu chấm phẩy; chi tiết trong ngoặc: DB04 (Vận động, Nặng). Trẻ cùng chủ hộ "
        "trong một thôn được ghi vào cùng một hộ.")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def build(commune_name: str, villages: list[tuple[str, str]], today: date | None = None) -> bytes:
    """The template as .xlsx bytes; ``villages``: ``(code, name)`` of the officer's commune."""
    today = today or date.today()
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách trẻ em"
    width = len(COLUMNS)
    spreadsheet.append(sheet, ["DANH SÁCH TRẺ EM"])
    spreadsheet.append(sheet, [commune_name])
    spreadsheet.append(sheet, [HELP])
    spreadsheet.append(sheet, [header for header, _, _ in COLUMNS])
    born = date(today.year - 7, 3, 15)
    example = {"Ngày sinh": born.strftime("%d/%m/%Y"),
               "Thôn/bản": villages[0][1] if villages else ""}
    spreadsheet.append(sheet, [example.get(header, value) for header, _, value in COLUMNS])
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[3].height = 75
    for column, (header, size, _) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = size
        cell = sheet.cell(row=HEADER_ROW, column=column)
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.cell(row=HEADER_ROW + 1, column=column).font = Font(italic=True, color="7F7F7F")
        if header in TEXT_COLUMNS:
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1001):
                sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    places = _lists(book.create_sheet(LISTS), villages)
    _choices(sheet, places)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _lists(sheet, villages: list[tuple[str, str]]) -> dict[str, str]:
    """The code lists, one block under another; the ranges of the names a column offers."""
    spreadsheet.append(sheet, ["DANH MỤC DÙNG KHI ĐIỀN DANH SÁCH"])
    sheet["A1"].font = Font(bold=True, size=13)
    ranges = {}
    blocks = [
        ("Giới tính", "sex", [(c.code, c.label) for c in catalogue.items("sex")]),
        ("Dân tộc", "ethnicity", [(c.code, c.label) for c in catalogue.items("ethnicity")]),
        ("Thôn/bản của xã", "village", villages),
        ("Hộ nghèo/cận nghèo", "poverty",
         [(c.code, c.label) for c in catalogue.items("poverty_status")]),
        ("Tình trạng học tập", "schooling",
         [(c.code, c.label) for c in catalogue.items("schooling_status")]),
        ("Cấp học khi bỏ học (trẻ bỏ học: ghi cả ngày bỏ học)", "school_level",
         [(c.code, c.label) for c in catalogue.items("school_level")]),
        ("Hoàn cảnh (ghi mã hoặc tên; nhóm có chi tiết ghi chi tiết trong ngoặc)",
         "circumstance", [(c.code, c.label) for c in catalogue.items("circumstance")]),
    ]
    for title, key, rows in blocks:
        spreadsheet.append(sheet, [])
        heading = spreadsheet.append(sheet, [title])
        sheet.cell(row=heading, column=1).font = Font(bold=True)
        first = None
        for code, label in rows:
            extra = []
            if key == "circumstance":
                extra = ["; ".join(f"{_list_title(name)}: " + ", ".join(i.label for i in items)
                                   for name, items in catalogue.detail_lists(code).items())]
            row = spreadsheet.append(sheet, [code, label, *extra])
            first = first or row
        if first:
            ranges[key] = f"'{LISTS}'!$B${first}:$B${first + len(rows) - 1}"
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 80
    return ranges


def _list_title(name: str) -> str:
    return {"disability_type": "Dạng khuyết tật", "disability_level": "Mức độ",
            "risk_reason": "Lý do", "injury_cause": "Nguyên nhân"}.get(name, name)


def _choices(sheet, ranges: dict[str, str]) -> None:
    """Drop-down lists on the columns with a closed list (a warning, not a refusal, for a
    value typed otherwise: the import reads other spellings too)."""
    for header, key in (("Giới tính", "sex"), ("Dân tộc", "ethnicity"),
                        ("Thôn/bản", "village"), ("Hộ nghèo/cận nghèo", "poverty"),
                        ("Tình trạng học tập", "schooling"),
                        ("Cấp học khi bỏ học", "school_level")):
        if key not in ranges:
            continue
        column = next(i for i, (h, _, _) in enumerate(COLUMNS, start=1) if h == header)
        letter = get_column_letter(column)
        check = DataValidation(type="list", formula1=ranges[key], allow_blank=True,
                               errorStyle="warning")
        check.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + 1000}")
        sheet.add_data_validation(check)
