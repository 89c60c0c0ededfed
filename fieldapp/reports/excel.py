"""The report as an .xlsx in the Vietnamese administrative layout (issue 15 §2,
``spreadsheet.header``/``table``/``signatures``): the people's committee and the national name
and motto, the title and the period, the summary table, each indicator's breakdowns, the
place and day, and the signature blocks; counts as numbers Excel adds up, shares as percents."""

from io import BytesIO

from openpyxl import Workbook

from fieldapp.reports.paper import TITLE, count, period, signers
from fieldapp.spreadsheet import committee, header, place_name, print_setup, put, signatures, table

WIDTH = 5
SUMMARY = (("STT", 8), ("Mã", 10), ("Chỉ tiêu", 60), ("Số trẻ", 14), ("Tỷ lệ", 12))


def report_xlsx(place, report, tables: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    authority = committee(place.name) if place.is_commune else place.name.upper()
    first = header(sheet, authority=authority, title=TITLE, period=period(report), width=WIDTH)
    row = _table(sheet, first, SUMMARY, [
        (i, r.indicator.code or "", r.indicator.name, _n(r.value), r.share)
        for i, r in enumerate(report.indicators, start=1)])
    for number, result in enumerate(report.indicators, start=1):
        put(sheet, row + 1, 1, WIDTH, f"{number}. {result.indicator.name}: "
            f"{count(result.value)} trẻ", bold=True, align="left")
        row += 2
        for t in tables[result.key]:
            columns = (("", 8), ("", 10), (t.title, 60), ("Số trẻ", 14), ("Tỷ lệ", 12))
            row = _table(sheet, row, columns, [("", "", label, _n(n), share)
                                               for label, n, share in t.rows]) + 1
    signatures(sheet, row + 1, place=place_name(place.name), day=report.day, width=WIDTH,
               signers=signers(place))
    print_setup(sheet, first)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _n(value: int | str | None):
    """A count as a number Excel adds up; a hidden one as text ("<5", "ẩn")."""
    return count(value) if value is None or isinstance(value, str) else value


def _table(sheet, row: int, columns, rows) -> int:
    end = table(sheet, row, columns, rows)
    for line in range(row + 1, end):
        sheet.cell(line, WIDTH).number_format = "0.0%"
    return end
