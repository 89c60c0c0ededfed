"""Formula injection: the list for the police carries addresses and names as text, never as
a live formula, and what the police type still reads back as they typed it."""

from io import BytesIO

from openpyxl import load_workbook

from tests.spreadsheets import FORMULA, assert_text_only
from tests.verification.sheets import COLUMN


def test_the_police_list(client, login, officer, add_child, send, village, db):
    child = add_child("Lò Văn Thanh")
    child.address = FORMULA
    child.caregivers[0].full_name = "@Lường Thị Xuân"
    village.name = "-Bản Nà Sàng"
    db.session.flush()
    batch = send(child)
    login(officer)
    answer = client.get(f"/verification/{batch.id}/danh-sach.xlsx")
    assert answer.status_code == 200
    assert_text_only(answer.data, FORMULA, "-Bản Nà Sàng", "@Lường Thị Xuân")
    sheet = load_workbook(BytesIO(answer.data)).active
    row = next(r for r in sheet.iter_rows() if r[0].value == 1)
    assert row[COLUMN["address"] - 1].value == FORMULA
