"""**Báo cáo** (issue 15 §2): the commune's indicators at a day as tables and SVG bars, the
same report as an A4 PDF and as an .xlsx in the administrative layout, each download
audited; who may see it."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from tests.factories import COMMUNE_A
from tests.reports.conftest import T

pytestmark = pytest.mark.usefixtures("small_register")
DAY = T.isoformat()


def test_the_officer_reads_every_indicator_with_tables_and_bars(client, login, officer):
    login(officer)
    page = client.get(f"/reports?date={DAY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Số liệu đến hết ngày <strong>{T:%d/%m/%Y}</strong>" in html
    assert '<tr id="sum-child_population"><td><a href="#child_population">Tổng số trẻ em</a>' \
        '</td><td class="num">8</td>' in html
    assert 'id="sum-abused"><td><a href="#abused">Trẻ em bị xâm hại</a> (0101)</td>' \
        '<td class="num">2</td><td class="num">25,0%</td>' in html
    assert html.count('<svg class="chart"') >= 10
    assert "<td>Bị mua bán</td>" in html  # the abused children's groups, by their labels
    assert "<td>Bản Nà Sàng</td>" in html  # the village of the register
    assert 'aria-label="Nhóm hoàn cảnh"' in html
    assert 'aria-label="Hình thức xâm hại"' in html  # abused, by form (0101)


def test_a_day_after_today_is_said_next_to_the_date(client, login, officer):
    login(officer)
    html = client.get("/reports?date=2999-01-01").get_data(as_text=True)
    assert "Ngày báo cáo không được sau hôm nay." in html
    assert 'id="summary"' not in html


def test_the_pdf_is_an_a4_report_and_audited(client, db, login, officer):
    login(officer)
    answer = client.get(f"/reports/bao-cao.pdf?date={DAY}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    reader = PdfReader(BytesIO(answer.data))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4 portrait, in points
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO CÁC CHỈ TIÊU VỀ TRẺ EM" in text and f"{T:%d/%m/%Y}" in text
    assert "Trẻ em bị xâm hại: 2 trẻ" in text
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_printed")).one()
    assert entry.object_id == COMMUNE_A and entry.detail == {"date": DAY}


def test_the_excel_file_has_the_administrative_layout_and_the_numbers(client, db, login,
                                                                     officer):
    login(officer)
    answer = client.get(f"/reports/bao-cao.xlsx?date={DAY}")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert f"bao-cao-{COMMUNE_A}-{DAY}.xlsx" in answer.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(answer.data)).active
    assert sheet["A1"].value == "UBND XÃ MƯỜNG LA"
    assert sheet["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["C2"].value == "Độc lập - Tự do - Hạnh phúc"
    rows = [tuple(c.value for c in row[:5]) for row in sheet.iter_rows()]
    assert ("BÁO CÁO CÁC CHỈ TIÊU VỀ TRẺ EM", None, None, None, None) in rows
    assert any(f"{T:%d/%m/%Y}" in (row[0] or "") for row in rows)  # the period line
    assert ("STT", "Mã", "Chỉ tiêu", "Số trẻ", "Tỷ lệ") in rows
    assert (6, "0101", "Trẻ em bị xâm hại", 2, 0.25) in rows
    assert (None, None, "Bị mua bán", 1, 0.5) in rows  # abused, by group
    assert ("NGƯỜI LẬP BIỂU", None, "CHỦ TỊCH UBND XÃ", None, None) in rows
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_exported")).one().object_id == COMMUNE_A


@pytest.mark.parametrize("role, status", [
    (roles.COMMUNE_LEADER, 200), (roles.COLLABORATOR, 403), (roles.POLICE, 403)])
def test_who_may_read_the_commune_s_report(client, login, make, village, role, status):
    user = make.user(role, [village] if role == roles.COLLABORATOR else None)
    login(user)
    for path in ("/reports", "/reports/bao-cao.pdf", "/reports/bao-cao.xlsx"):
        assert client.get(f"{path}?date={DAY}").status_code == status, path


def test_another_commune_s_report_is_not_found(client, login, far_officer):
    login(far_officer)
    assert client.get(f"/reports?place={COMMUNE_A}").status_code == 404
    assert client.get(f"/reports/bao-cao.xlsx?place={COMMUNE_A}").status_code == 404


def test_the_province_reads_small_restricted_numbers_as_under_five(client, login, make):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    html = client.get(f"/reports?date={DAY}").get_data(as_text=True)
    assert 'id="sum-abused"><td><a href="#abused">Trẻ em bị xâm hại</a> (0101)</td>' \
        '<td class="num">&lt;5</td>' in html
    assert "Bản Nà Sàng" not in html


def test_a_count_in_thousands_is_written_with_dots(app):
    """Pages (the ``number`` filter), the PDF and the Excel text all write 12.345."""
    from fieldapp.reports.paper import count
    from fieldapp.text import number

    assert number(12345) == "12.345" and count(1234567) == "1.234.567" and count(None) == "<5"
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ 2500|number }}").render() == "2.500"
