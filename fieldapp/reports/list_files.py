"""A named list (``reports.lists``) as the commune sends it upward: an .xlsx workbook in the
administrative layout (``fieldapp.spreadsheet.administrative``) and an A4 PDF with the same
heading, table and signers (``fieldapp.pdf``). Names of files carry the list, the period, the
village code and the day: never a child's data."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook

from fieldapp import spreadsheet
from fieldapp.clock import shown
from fieldapp.pdf import A4, FONT, add_fonts, signatures, state_heading
from fieldapp.pdf import table as pdf_table
from fieldapp.reports.lists import COMMON, COMMON_WIDTHS, LISTS, Period, Row, table

SHEET_TITLE = 31  # Excel's limit on a sheet's name
PDF_WIDTHS = {  # mm, 180 in all: A4 portrait less the margins
    "special": (8, 32, 11, 18, 23, 40, 18, 30),
    "unsupported": (8, 36, 12, 19, 28, 55, 22),
    "dropouts": (8, 40, 12, 20, 32, 42, 26),
}


def subtitle(period: Period, village_name: str | None, left_in_period: bool = False) -> str:
    """The line under the title: the period, the village (or the whole commune)."""
    where = f"Thôn/bản: {village_name}" if village_name else "Toàn xã"
    left = " · Chỉ trẻ bỏ học trong kỳ" if left_in_period else ""
    return (f"{period.label} (từ ngày {shown(period.start)} đến ngày {shown(period.end)})"
            f" · {where}{left}")


def workbook(name: str, found: list[Row], *, commune: str, line: str, day: date) -> bytes:
    """The list as the bytes of an .xlsx file."""
    kind = LISTS[name]
    book = Workbook()
    sheet = book.active
    short = kind.title.removeprefix("Danh sách ")
    sheet.title = (short[:1].upper() + short[1:])[:SHEET_TITLE]
    columns = list(zip(COMMON + kind.columns, COMMON_WIDTHS + kind.widths, strict=True))
    spreadsheet.administrative(
        sheet, authority=spreadsheet.committee(commune), title=kind.title.upper(), period=line,
        place=spreadsheet.place_name(commune), day=day, columns=columns, rows=table(found),
        landscape=kind.landscape, total=f"Tổng số: {len(found)} trẻ")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def paper(name: str, found: list[Row], *, commune: str, line: str, day: date) -> bytes:
    """The list as an A4 PDF (portrait; headings repeated on each page)."""
    kind = LISTS[name]
    pdf = A4(f"{kind.title} — tài liệu chứa dữ liệu cá nhân")
    add_fonts(pdf)
    pdf.add_page()
    state_heading(pdf, commune, kind.title.upper())
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows = [(n, full_name, sex, shown(born), village, *(
        shown(v) if isinstance(v, date) else v for v in cells))
        for n, full_name, sex, born, village, *cells in table(found)]
    pdf_table(pdf, PDF_WIDTHS[name], COMMON + kind.columns, rows,
              "Không có trẻ nào trong danh sách.")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, f"Tổng số: {len(found)} trẻ", new_x="LMARGIN", new_y="NEXT")
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(3)
    signatures(pdf, f"{spreadsheet.place_name(commune)}, ngày {day.day:02d} tháng "
               f"{day.month:02d} năm {day.year}", spreadsheet.SIGNERS)
    return bytes(pdf.output())


def filename(name: str, period: Period, village: str, day: date, extension: str) -> str:
    """``danh-sach-<list>-<period>[-<village code>]-<yyyymmdd>.<extension>``."""
    where = f"-{village}" if village else ""
    return f"danh-sach-{name}-{period.key}{where}-{day:%Y%m%d}.{extension}"
