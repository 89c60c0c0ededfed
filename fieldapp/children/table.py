"""The cells of an uploaded .xlsx or .csv file, as sheets of rows, for the register's import
(``children.imports``): what a spreadsheet of any shape holds, before anything is guessed.

- **.xlsx** is read by openpyxl in its full mode (the read-only mode has no merged cells):
  each merged range's value fills every cell of the range, so a "Họ tên cha/mẹ" merged over
  two sub-columns heads both, and a village merged down a block of rows names each row. The
  ranges that span columns are kept (:attr:`Sheet.spans`) for finding a two-row header.
  Cells hold what Excel shows as values: text, numbers, dates (``datetime``), formulas'
  last results.
- **.csv** is decoded as UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode
  text"), else Windows-1258 (Vietnamese Windows), else Windows-1252; its separator (``,``,
  ``;`` or a tab) is sniffed from the first lines, or read from Excel's ``sep=;`` line.

Refused, with a Vietnamese message for the field (:class:`FileRefused`): an empty file, one
over :data:`MAX_BYTES`, one that unpacks to more than :data:`MAX_UNPACKED` (not a register),
one with more than :data:`MAX_ROWS` filled rows, an old .xls or an .ods (saved again as .xlsx
they are read), and anything else that is neither.
"""

import csv
import io
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from openpyxl import load_workbook

from fieldapp.errors import DomainError

MAX_BYTES = 5_000_000
MAX_UNPACKED = 50_000_000  # a small file that unpacks to much more is not a register
MAX_ROWS = 10_000  # children in one file; and the rows above a header, a few
MAX_COLUMNS = 60  # columns read; a register has 10 to 25
HEAD_ROOM = 30  # title, header and footer rows beyond the children
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003)


class FileRefused(DomainError):
    status = 422


UNREADABLE = ("Tệp không đọc được: hãy chọn tệp Excel (.xlsx) hoặc CSV (.csv) có danh sách "
              "trẻ em.")


@dataclass
class Sheet:
    """One sheet: its rows (1-based as Excel numbers them: ``rows[0]`` is row 1), each a list
    of values (``None`` for an empty cell), and the merged ranges that span columns, as
    ``(first row, first column, last row, last column)``, 1-based."""

    name: str
    rows: list[list]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    kind: str = "xlsx"

    def value(self, row: int, column: int):
        """The value at a 1-based row and 0-based column."""
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[column] if column < len(cells) else None


def read(raw: bytes, filename: str = "") -> list[Sheet]:
    """The sheets of an uploaded file (one for a CSV), or :class:`FileRefused`."""
    if not raw:
        raise FileRefused("Vui lòng chọn tệp danh sách trẻ em (.xlsx hoặc .csv).")
    if len(raw) > MAX_BYTES:
        raise FileRefused(f"Tệp quá lớn (tối đa {MAX_BYTES // 1_000_000} MB). Hãy chia danh "
                          "sách thành nhiều tệp.")
    name = filename.lower()
    if raw.startswith(OLE) or name.endswith(".xls"):
        raise FileRefused("Tệp .xls (Excel 97–2003) chưa đọc được: hãy mở tệp bằng Excel và "
                          "lưu lại dạng .xlsx (Tệp → Lưu thành → Sổ làm việc Excel).")
    if name.endswith(".ods"):
        raise FileRefused("Tệp .ods chưa đọc được: hãy lưu lại dạng .xlsx hoặc .csv.")
    if raw.startswith(ZIP):
        return _workbook(raw)
    return [_csv(raw)]


# --- .xlsx -------------------------------------------------------------------------------

def _workbook(raw: bytes) -> list[Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as packed:
            if sum(info.file_size for info in packed.infolist()) > MAX_UNPACKED:
                raise FileRefused(UNREADABLE)
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - zipfile, XML and openpyxl each raise their own
        raise FileRefused(UNREADABLE) from None
    try:
        sheets = [_sheet(sheet) for sheet in book.worksheets]
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails only when read
        raise FileRefused(UNREADABLE) from None
    finally:
        book.close()
    if not sheets:
        raise FileRefused(UNREADABLE)
    return sheets


def _sheet(sheet) -> Sheet:
    # The cells the file holds, by coordinate: walking rows × columns would make a cell for
    # every coordinate up to the last formatted one (a column styled to row 1,048,576).
    cells = {}
    for (row, column), cell in sheet._cells.items():  # noqa: SLF001 - openpyxl's own store
        if cell.value is not None and column <= MAX_COLUMNS and str(cell.value).strip() != "":
            cells[(row, column)] = cell.value
    spans = []
    for bounds in sheet.merged_cells.ranges:
        first_col, first_row, last_col, last_row = bounds.bounds
        value = sheet.cell(row=first_row, column=first_col).value
        if last_col > first_col:
            spans.append((first_row, first_col, last_row, last_col))
        if value is None:
            continue
        if (last_row - first_row + 1) * (last_col - first_col + 1) > 4 * MAX_ROWS:
            last_row = min(last_row, first_row + MAX_ROWS)  # a whole column merged
        for row in range(first_row, last_row + 1):
            for column in range(first_col, min(last_col, MAX_COLUMNS) + 1):
                cells[(row, column)] = value
    filled = {row for row, _ in cells}
    if len(filled) > MAX_ROWS + HEAD_ROOM:
        raise too_many()
    last_row = max(filled, default=0)
    rows: list[list] = [[] for _ in range(last_row)]
    for (row, column), value in cells.items():
        line = rows[row - 1]
        if len(line) < column:
            line.extend([None] * (column - len(line)))
        line[column - 1] = value
    return Sheet(sheet.title, rows, sorted(spans))


def too_many() -> FileRefused:
    return FileRefused(f"Tệp có quá nhiều dòng: tối đa {MAX_ROWS:,} trẻ em một lần".replace(
        ",", ".") + ". Hãy chia danh sách thành nhiều tệp (ví dụ mỗi thôn một tệp).")


# --- .csv --------------------------------------------------------------------------------

SEPARATORS = (",", ";", "\t")


def decode(raw: bytes) -> str:
    """The text of a CSV file, NFC (Windows-1258 writes tones as combining marks)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1258", "cp1252")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary, or UTF-16 without its BOM: not a CSV this reads
        return unicodedata.normalize("NFC", text)
    raise FileRefused(UNREADABLE)


def sniff(lines: list[str]) -> str:
    """The separator that splits the first lines into the same number (more than one) of
    fields most often; a comma when none does."""
    best, best_score = ",", (0, 0)
    sample = [line for line in lines[:30] if line.strip()]
    for separator in SEPARATORS:
        widths = [len(fields) for fields in csv.reader(sample, delimiter=separator)]
        if not widths:
            continue
        width, times = Counter(widths).most_common(1)[0]
        if width > 1 and (times, width) > best_score:
            best, best_score = separator, (times, width)
    return best


def _csv(raw: bytes) -> Sheet:
    text = decode(raw)
    lines = text.splitlines()
    separator = None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        separator = lines[0].strip()[4]  # the line stays: row numbers are the file's lines
    separator = separator or sniff(lines)
    try:  # at most 5 MB of text: read whole, then counted
        rows = [[value if value.strip() else None for value in fields[:MAX_COLUMNS]]
                for fields in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]
    except csv.Error:
        raise FileRefused(UNREADABLE) from None
    filled = sum(1 for row in rows if any(v is not None for v in row))
    if not filled:
        raise FileRefused("Tệp không có dòng nào.")
    if filled > MAX_ROWS + HEAD_ROOM:
        raise too_many()
    return Sheet("CSV", rows, kind="csv")
