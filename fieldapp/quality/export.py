"""A cleaning list as an .xlsx workbook: Vietnamese headers, one row per child."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from fieldapp import spreadsheet
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import Child
from fieldapp.clock import shown

HEADERS = ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Thôn/bản", "Người nuôi dưỡng",
           "Số định danh hiện có", "Lý do")
WIDTHS = (6, 28, 12, 12, 22, 36, 18, 60)
SHEET_TITLE = 31  # Excel's limit on a sheet's name


def caregivers(child: Child) -> str:
    """"Mẹ: Lường Thị Xuân; Cha: Lò Văn Pọm", as the list shows them."""
    return "; ".join(
        f"{catalogue.label('caregiver_relation', c.relation)}: {c.full_name}"
        for c in child.caregivers if (c.full_name or "").strip())


def workbook(title: str, rows: list[tuple[Child, list[str]]], place: str,
             today: date) -> bytes:
    """The list ``title`` for ``place`` on ``today``, as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:SHEET_TITLE]
    spreadsheet.append(sheet, HEADERS)
    for i, (child, reasons) in enumerate(rows, start=1):
        spreadsheet.append(sheet, [
            i, child.full_name, catalogue.label("sex", child.sex), child.date_of_birth,
            child.village.name if child.village else child.village_code, caregivers(child),
            child.personal_id or "", "\n".join(reasons),
        ])
        sheet.cell(row=i + 1, column=4).number_format = "DD/MM/YYYY"
        sheet.cell(row=i + 1, column=8).alignment = Alignment(wrap_text=True, vertical="top")
    return finish(book, WIDTHS, title, place, today)


def finish(book: Workbook, widths, title: str, place: str, today: date) -> bytes:
    """The header row bold, frozen and printed on every page; column widths; the title and
    the page numbers in the print header and footer. The workbook's bytes."""
    sheet = book.active
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    # "&" starts a code in a print header ("&P", the page): a village's "&" is doubled.
    sheet.oddHeader.center.text = f"{title} · {place}".replace("&", "&&")
    sheet.oddFooter.right.text = f"Ngày xuất {shown(today)} · Trang &P/&N"
    sheet.print_title_rows = "1:1"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
