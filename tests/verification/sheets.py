"""Filling an exported batch as the police would, in a spreadsheet program (openpyxl)."""

from io import BytesIO

from openpyxl import load_workbook

from fieldapp.verification.sheet import BATCH_LABEL, COLUMNS, HEADER_ROW

COLUMN = {name: i for i, (name, _, _, _) in enumerate(COLUMNS, start=1)}


def fill(raw: bytes, rows: dict[int, dict], *, batch_id: str | None = None,
         keys: dict[int, str] | None = None) -> bytes:
    """``rows``: STT → {column name: value}; ``batch_id`` and ``keys`` (STT → key) tamper."""
    book = load_workbook(BytesIO(raw))
    sheet = book.active
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        position = sheet.cell(row=row, column=COLUMN["position"]).value
        for name, value in rows.get(position, {}).items():
            sheet.cell(row=row, column=COLUMN[name]).value = value
        if keys and position in keys:
            sheet.cell(row=row, column=COLUMN["row_key"]).value = keys[position]
    if batch_id is not None:
        for line in sheet.iter_rows(max_row=HEADER_ROW):
            if line[0].value == BATCH_LABEL:
                line[1].value = batch_id
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(raw: bytes, position: int) -> int:
    """The spreadsheet row number of the child with STT ``position``."""
    sheet = load_workbook(BytesIO(raw)).active
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=COLUMN["position"]).value == position:
            return row
    raise AssertionError(position)
