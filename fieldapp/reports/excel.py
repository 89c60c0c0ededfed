"""The report as an .xlsx in the Vietnamese administrative layout (issue 15 §2): the
people's committee and the national name and motto, the title and the period, the summary
table, each indicator's breakdowns, the place and day, and the signature blocks."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from fieldapp.reports.paper import SIGNERS, TITLE, count, period
from fieldapp.spreadsheet import append

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = {"A": 8, "B": 10, "C": 60, "D": 14, "E": 12}


def report_xlsx(place, report, tables: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    _heading(sheet, place, report)
    _table(sheet, ("STT", "Mã", "Chỉ tiêu", "Số trẻ", "Tỷ lệ"), [
        (i, r.indicator.code or "", r.indicator.name, _n(r.value), r.share)
        for i, r in enumerate(report.indicators, start=1)])
    for number, result in enumerate(report.indicators, start=1):
        append(sheet, [])
        row = append(sheet, [f"{number}. {result.indicator.name}: {count(result.value)} trẻ"])
        sheet.cell(row, 1).font = BOLD
        for t in tables[result.key]:
            _table(sheet, ("", "", t.title, "Số trẻ", "Tỷ lệ"),
                   [("", "", label, _n(n), share) for label, n, share in t.rows])
    _signatures(sheet, place, report)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet, place, report) -> None:
    for row, (left, right) in enumerate((
            ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (place.name.upper(), "Độc lập - Tự do - Hạnh phúc")), start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        for column, text in ((1, left), (3, right)):
            cell = sheet.cell(row, column, text)
            cell.font, cell.alignment = BOLD, CENTRE
    for row, text, font in ((4, TITLE, Font(bold=True, size=14)),
                            (5, period(report), Font(italic=True))):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, CENTRE
    sheet.row_dimensions[5].height = 30


def _n(value: int | None):
    """A count as a number Excel adds up; a hidden one as the text "<5"."""
    return "<5" if value is None else value


def _table(sheet, headings, rows) -> None:
    first = append(sheet, list(headings))
    for row in rows:
        append(sheet, list(row))
    last = sheet.max_row
    for line in sheet.iter_rows(min_row=first, max_row=last, min_col=1, max_col=5):
        for cell in line:
            cell.border = BOX
            if cell.row == first:
                cell.font, cell.alignment = BOLD, CENTRE
            elif cell.column == 5:
                cell.number_format = "0.0%"


def _signatures(sheet, place, report) -> None:
    append(sheet, [])
    row = append(sheet, ["", "", "", f"{place.name}, ngày {report.day:%d} tháng "
                                     f"{report.day:%m} năm {report.day:%Y}"])
    sheet.cell(row, 4).alignment = Alignment(horizontal="right")
    row = append(sheet, [SIGNERS[0], "", SIGNERS[1]])
    append(sheet, ["(Ký, ghi rõ họ tên)", "", "(Ký, ghi rõ họ tên)"])
    for column in (1, 3):
        sheet.cell(row, column).font = BOLD
