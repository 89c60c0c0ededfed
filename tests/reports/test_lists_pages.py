"""The named lists' pages and files (issue 15 §2): the table and its count, the .xlsx in the
administrative layout, the A4 PDF, each export audited; who may open them."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from tests.factories import COMMUNE_B


@pytest.fixture()
def two(add_child, village, village2):
    add_child("Lò Văn An", circumstances=[{"code": "DB01", "since": "2026-09-01"}],
              support=[{"form": "TG02", "date": "2026-10-15"}])
    add_child("Lường Thị Dung", sex="2", place=village2,
              circumstances=[{"code": "DB05", "since": "2026-01-01"}])


def test_the_page_lists_and_counts(client, login, officer, two, village2):
    login(officer)
    page = client.get("/reports/lists/special?period=2026-10").get_data(as_text=True)
    assert "2 trẻ" in page and "Lò Văn An" in page and "Lường Thị Dung" in page
    assert "Tháng 10/2026" in page and "Tải Excel" in page
    one = client.get(f"/reports/lists/special?period=2026-10&village={village2.code}")
    assert "1 trẻ" in one.get_data(as_text=True)
    assert "Lò Văn An" not in one.get_data(as_text=True)
    assert client.get("/reports/lists").status_code == 200
    assert client.get("/reports/lists/dropouts").status_code == 200  # this month


def test_a_wrong_period_is_said_next_to_the_field(client, login, officer):
    login(officer)
    answer = client.get("/reports/lists/special?period=2026-13")
    assert answer.status_code == 422
    assert "nhập tháng (ví dụ 2026-11)" in answer.get_data(as_text=True)


def test_the_xlsx_in_the_administrative_layout(client, login, officer, two, village2, db):
    login(officer)
    answer = client.get(f"/reports/lists/unsupported.xlsx?period=2026-10&village={village2.code}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="danh-sach-unsupported-2026-10-{village2.code}-'
        f'{_today():%Y%m%d}.xlsx"')
    sheet = load_workbook(BytesIO(answer.data)).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["UBND XÃ MƯỜNG LA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert cells[1] == ["Độc lập - Tự do - Hạnh phúc"]
    assert cells[4] == ["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT CHƯA ĐƯỢC TRỢ GIÚP"]
    assert cells[5][0].startswith("Tháng 10/2026 (từ ngày 01/10/2026 đến ngày 31/10/2026)")
    assert cells[7] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Thôn/bản", "Nhóm",
                        "Từ ngày"]
    assert cells[8][:3] == [1, "Lường Thị Dung", "Nữ"] and cells[8][4:] == [
        village2.name, "DB05 · Nhiễm HIV/AIDS", "01/01/2026"]
    assert cells[9] == ["Tổng số: 1 trẻ"]
    assert cells[11][0].startswith("Mường La, ngày ")
    assert cells[12] == ["NGƯỜI LẬP BIỂU", "CHỦ TỊCH UBND XÃ"]
    assert cells[13] == ["(Ký, ghi rõ họ tên)"] * 2
    assert sheet.print_title_rows == "$8:$8" and sheet.page_setup.paperSize == 9
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_list_exported"))
    assert entry.detail == {"list": "unsupported", "format": "xlsx", "period": "2026-10",
                            "village": village2.code, "left_in_period": False, "rows": 1}


def test_the_print_is_an_a4_pdf(client, login, make, two, db):
    login(make.user(roles.COMMUNE_LEADER))
    answer = client.get("/reports/lists/special.pdf?period=2026-Q4")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF") and len(answer.data) > 1000
    assert "danh-sach-special-2026-Q4-" in answer.headers["Content-Disposition"]
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_list_exported"))
    assert (entry.detail["format"], entry.detail["rows"]) == ("pdf", 2)


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.POLICE, roles.PROVINCE_VIEWER])
def test_others_are_refused(client, login, make, village, role):
    login(make.user(role, [village] if role == roles.COLLABORATOR else
                    (["14"] if role == roles.PROVINCE_VIEWER else None)))
    for path in ("/reports/lists", "/reports/lists/special", "/reports/lists/special.xlsx",
                 "/reports/lists/dropouts.pdf"):
        assert client.get(path).status_code == 403, path


def test_a_leader_of_another_commune_sees_nothing_of_this_one(client, login, make, two,
                                                              village2):
    login(make.user(roles.COMMUNE_LEADER, [COMMUNE_B]))
    page = client.get("/reports/lists/special?period=2026-10").get_data(as_text=True)
    assert "Lò Văn An" not in page and "0 trẻ" in page
    assert client.get(f"/reports/lists/special?village={village2.code}").status_code == 404


def _today():
    from fieldapp.clock import today

    return today()


def test_reading_a_list_is_audited_and_the_print_names_its_children(client, login, officer,
                                                                    two, db):
    from pypdf import PdfReader

    login(officer)
    client.get("/reports/lists/special?period=2026-10")
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_list_viewed"))
    assert entry.detail == {"list": "special", "period": "2026-10", "village": None,
                            "rows": 2}
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(client.get(
        "/reports/lists/special.pdf?period=2026-10").data)).pages)
    assert "Lò Văn An" in text and "Lường Thị Dung" in text and "Tháng 10/2026" in text


def test_the_report_page_leads_to_the_lists(client, login, officer):
    login(officer)
    assert 'href="/reports/lists"' in client.get("/reports").get_data(as_text=True)
