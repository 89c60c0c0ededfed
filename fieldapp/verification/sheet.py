"""The batch as an .xlsx workbook for the police to fill offline, and reading it back.

Each row carries its item's ``row_key`` in a hidden, locked "Mã dòng" column and the sheet
carries the batch id: rows are matched by that key, never by a name. The sheet is protected
(no password: it guards against slips, the keys guard against tampering) with only the
columns the police fill left editable, formatted as text so that Excel keeps a number's
leading zeros.
"""

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from fieldapp import spreadsheet
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.errors import DomainError
from fieldapp.verification import identity
from fieldapp.verification.models import VerificationBatch

MAX_BYTES = 5_000_000
MAX_UNPACKED = 50_000_000  # a small file that unpacks to much more is not one of ours
MAX_ROWS = 5000
BATCH_LABEL = "Mã danh sách"
KEY = "Mã dòng"
HEADER_ROW = 6
# (name, heading, width, filled by the police). A returned file is read by its headings
# (HEADINGS): changing a label here would make sheets already handed out unreadable.
COLUMNS = (
    ("position", "STT", 6, False),
    ("full_name", child_record.heading("child.full_name"), 26, False),
    ("sex", child_record.heading("child.sex"), 10, False),
    ("date_of_birth", child_record.heading("child.date_of_birth"), 12, False),
    ("ethnicity", child_record.heading("child.ethnicity_code"), 12, False),
    ("village", child_record.heading("child.village"), 20, False),
    ("address", child_record.heading("child.address"), 20, False),
    ("caregivers", "Cha, mẹ, người nuôi dưỡng (họ tên, số định danh)", 36, False),
    ("personal_id", "Số định danh hiện có", 17, False),
    ("verified_id", "Số định danh đã xác thực", 19, True),
    ("not_found", "Không tìm thấy (ghi x)", 12, True),
    ("note", "Ghi chú", 30, True),
    ("fix_full_name", "Họ và tên đúng (nếu sai)", 24, True),
    ("fix_date_of_birth", "Ngày sinh đúng (nếu sai, ngày/tháng/năm)", 16, True),
    ("fix_sex", "Giới tính đúng (nếu sai: Nam/Nữ)", 14, True),
    ("row_key", KEY, 10, False),
)
HEADINGS = {heading: name for name, heading, _, _ in COLUMNS}
NEEDED = ("row_key", "verified_id", "not_found", "note")
FILLED = {name for name, _, _, editable in COLUMNS if editable}
FILL = PatternFill("solid", fgColor="FFF4CC")
INSTRUCTIONS = ("Công an ghi số định danh đã xác thực (12 chữ số), hoặc ghi x ở cột Không tìm "
                "thấy và ghi lý do ở cột Ghi chú; sửa họ tên, ngày sinh, giới tính ở các cột cuối "
                "nếu sai. Không sửa, thêm hay xóa dòng và cột Mã dòng.")


class ImportRefused(DomainError):
    status = 422


def export(batch: VerificationBatch, commune_name: str, villages: dict[str, str]) -> bytes:
    """The batch as the bytes of an .xlsx file, results so far filled in."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Danh sách số {batch.number}"
    for line in ([f"DANH SÁCH CẦN XÁC THỰC SỐ ĐỊNH DANH CÁ NHÂN — {batch.title}"],
                 [commune_name], [BATCH_LABEL, str(batch.id)], [INSTRUCTIONS], [],
                 [heading for _, heading, _, _ in COLUMNS]):
        spreadsheet.append(sheet, line)
    for item in batch.items:
        spreadsheet.append(sheet, _row(item, villages))
    _style(sheet, len(batch.items))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _row(item, villages: dict[str, str]) -> list:
    sent = item.sent
    found = identity.after(sent, item.corrections) if item.corrections else {}
    people = "\n".join(
        f"{identity.relation_label(c['relation'])}: {c['full_name']}"
        + (f" ({c['personal_id']})" if c.get("personal_id") else "")
        for c in sent.get("caregivers") or [])
    fixes = item.corrections or {}
    return [
        item.position, sent["full_name"], identity.shown("sex", sent["sex"]),
        identity.shown("date_of_birth", sent["date_of_birth"]),
        identity.shown("ethnicity_code", sent["ethnicity_code"]),
        villages.get(sent["village_code"], sent["village_code"]), sent.get("address") or "",
        people, sent.get("personal_id") or "", item.verified_id or "",
        "x" if item.outcome == "not_found" else "", item.note or "",
        found.get("full_name", "") if "full_name" in fixes else "",
        identity.shown("date_of_birth", found["date_of_birth"])
        if "date_of_birth" in fixes else "",
        identity.shown("sex", found["sex"]) if "sex" in fixes else "",
        item.row_key,
    ]


def _style(sheet, count: int) -> None:
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(COLUMNS) - 1)
    sheet.row_dimensions[4].height = 45
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, (_, _, width, editable) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = width
        for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + count):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if editable:
                cell.protection = Protection(locked=False)
                cell.number_format = "@"
                cell.fill = FILL
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.oddFooter.right.text = "Trang &P/&N"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may change; nothing else locked may


@dataclass
class Row:
    """One filled row of the file: its number as Excel shows it, its key and its values."""

    number: int
    key: str
    values: dict


def read(batch: VerificationBatch, raw: bytes) -> tuple[list[Row], int]:
    """The rows of a file exported from ``batch``, or :class:`ImportRefused` with why not.

    :returns: the rows the police filled, and how many rows they left empty.
    """
    lines = _lines(raw)
    if len(lines) > MAX_ROWS:
        raise ImportRefused(f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS}).")
    _same_batch(batch, lines)
    start, columns = _header(lines)
    keys = {item.row_key for item in batch.items}
    rows, empty, seen, tampered = [], 0, set(), []
    for number, line in enumerate(lines[start:], start=start + 1):
        values = {name: _cell(line, i) for name, i in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        key = str(values.pop("row_key") or "").strip()
        if key not in keys or key in seen:
            tampered.append(number)
            continue
        seen.add(key)
        if all(values.get(name) in (None, "") for name in FILLED):
            empty += 1
            continue
        rows.append(Row(number, key, values))
    if tampered:
        shown = ", ".join(str(n) for n in tampered[:10]) + ("…" if len(tampered) > 10 else "")
        raise ImportRefused(
            f"Cột Mã dòng ở dòng {shown} không khớp danh sách này (tệp đã bị sửa, thêm dòng "
            "hoặc chép từ danh sách khác). Không kết quả nào được ghi: hãy tải lại tệp từ "
            "trang danh sách và ghi lại kết quả.")
    return rows, empty


def _lines(raw: bytes) -> list[tuple]:
    """The first sheet's rows as values (read-only mode: little memory, then closed)."""
    if not raw:
        raise ImportRefused("Vui lòng chọn tệp .xlsx đã tải từ danh sách này.")
    if len(raw) > MAX_BYTES:
        raise ImportRefused("Tệp quá lớn (tối đa 5 MB).")
    unreadable = ImportRefused("Tệp không đọc được: không phải tệp Excel (.xlsx).")
    try:
        with zipfile.ZipFile(BytesIO(raw)) as packed:
            if sum(info.file_size for info in packed.infolist()) > MAX_UNPACKED:
                raise unreadable
        book = load_workbook(BytesIO(raw), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - zipfile, XML and openpyxl each raise their own
        raise unreadable from None
    try:
        if not book.worksheets:
            raise unreadable
        return list(book.worksheets[0].iter_rows(max_row=MAX_ROWS + 1, values_only=True))
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails only when read
        raise unreadable from None
    finally:
        book.close()


def _cell(line: tuple, index: int):
    value = line[index] if index < len(line) else None
    return value.strip() if isinstance(value, str) else value


def _same_batch(batch: VerificationBatch, lines: list[tuple]) -> None:
    found = next((_cell(line, 1) for line in lines[:HEADER_ROW + 4]
                  if _cell(line, 0) == BATCH_LABEL), None)
    if found is None:
        raise ImportRefused("Đây không phải tệp tải từ một danh sách cần xác thực (thiếu ô "
                            f"{BATCH_LABEL}).")
    if str(found) != str(batch.id):
        raise ImportRefused(f"Tệp này thuộc một danh sách khác, không phải {batch.title}. "
                            "Hãy nhập đúng tệp của danh sách này.")


def _header(lines: list[tuple]) -> tuple[int, dict[str, int]]:
    for index, line in enumerate(lines[:HEADER_ROW + 10]):
        names = {HEADINGS[str(v).strip()]: i for i, v in enumerate(line)
                 if v is not None and str(v).strip() in HEADINGS}
        if "row_key" in names:
            missing = [h for name, h, _, _ in COLUMNS if name in NEEDED and name not in names]
            if missing:
                raise ImportRefused("Tệp thiếu cột: " + ", ".join(missing) + ".")
            return index + 1, {name: i for name, i in names.items()
                               if name in FILLED or name == "row_key"}
    raise ImportRefused(f"Đây không phải tệp tải từ một danh sách cần xác thực (thiếu cột {KEY}).")


def number_text(value) -> str:
    """A number cell as text: Excel turns 001… typed into a number into 1…; put zeros back."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value < 10**12:
        return f"{value:012d}"
    return "" if value is None else str(value).strip()


def date_text(value):
    """A date cell as ``YYYY-MM-DD`` (from a date, or typed as dd/mm/yyyy); else as typed."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = "" if value is None else str(value).strip()
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        day, month, year = (int(p) for p in parts)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def sex_code(value) -> str:
    """"Nam", "Nữ" (or a code) as the code; anything else as typed, for the check to refuse."""
    text = "" if value is None else str(value).strip()
    for code, name in catalogue.choices("sex"):
        if text.lower() in (code, name.lower()):
            return code
    return text
