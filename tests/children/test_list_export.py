"""**Tải Excel** of the register list: the filtered rows of every page, sorted as the page,
masked as the page, in the administrative layout; officer and leader only; audited; capped."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import list_export
from tests.conftest import csrf_token

FILTERS = {"q": "", "village": "", "sex": "", "age_group": "", "circumstance": "",
           "has_id": "", "status": "active", "sort": "name"}


def _export(client, **filters):
    token = csrf_token(client, "/children/")
    return client.post("/children/danh-sach.xlsx",
                       data={"csrf_token": token, **FILTERS, **filters})


def _rows(answer) -> list[list]:
    sheet = load_workbook(BytesIO(answer.data)).active
    return [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture()
def three(add_child, village, village2):
    add_child("Lò Văn An", circumstances=[{"code": "DB05", "since": "2026-01-01"}])
    add_child("Cầm Thị Bình", sex="2")
    add_child("Quàng Văn Chi", place=village2)


def test_every_filtered_row_sorted_as_the_page(client, login, officer, three, db,
                                               monkeypatch):
    login(officer)
    monkeypatch.setattr("fieldapp.children.queries.PAGE_SIZE", 1)  # the page shows one
    answer = _export(client, sex="1")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith(
        'attachment; filename="danh-sach-tre-em-')
    rows = _rows(answer)
    assert rows[0] == ["UBND XÃ MƯỜNG LA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert rows[4] == ["DANH SÁCH TRẺ EM"]
    assert "Giới tính: Nam" in rows[5][0]
    assert rows[7][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert [r[1] for r in rows[8:10]] == ["Lò Văn An", "Quàng Văn Chi"]
    assert "DB05 · Nhiễm HIV/AIDS" in rows[8]
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "children_list_exported"))
    assert entry.detail == {"sex": "1", "status": "active", "sort": "name",
                            "searched": False, "rows": 2}


def test_masked_as_the_page_when_the_reader_may_not_see(client, login, officer, three,
                                                        monkeypatch):
    login(officer)
    monkeypatch.setattr("fieldapp.access.sees_restricted", lambda user: False)
    rows = _rows(_export(client, sort="village"))
    assert [r[1] for r in rows[8:11]] == ["Cầm Thị Bình", "Lò Văn An", "Quàng Văn Chi"]
    assert "hạn chế" in rows[9] and "DB05" not in str(rows)


def test_a_search_is_audited_without_its_text(client, login, make, three, db):
    login(make.user(roles.COMMUNE_LEADER))
    rows = _rows(_export(client, q="Bình"))
    assert [r[1] for r in rows[8:9]] == ["Cầm Thị Bình"] and "Có tìm kiếm" in rows[5][0]
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "children_list_exported"))
    assert "Bình" not in str(entry.detail) and entry.detail["searched"] is True


def test_too_many_rows_are_refused_with_a_message(client, login, officer, three, monkeypatch):
    login(officer)
    monkeypatch.setattr(list_export, "MAX_ROWS", 2)
    answer = _export(client)
    assert answer.status_code == 302
    page = client.get("/children/").get_data(as_text=True)
    assert "Danh sách có 3 trẻ, quá 2 trẻ của một tệp Excel" in page


def test_the_button_shows_for_officer_and_leader_only(client, login, officer, make, village):
    login(officer)
    assert "Tải Excel" in client.get("/children/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/children/")})
    login(make.user(roles.COLLABORATOR, [village]))
    assert "Tải Excel" not in client.get("/children/").get_data(as_text=True)


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_field_staff_are_refused(client, login, make, village, role):
    login(make.user(role, [village]))
    assert _export(client).status_code == 403


def test_an_officer_of_another_commune_gets_none_of_these(client, login, far_officer, three):
    login(far_officer)
    rows = _rows(_export(client))
    assert all("Lò Văn An" not in row for row in rows)
    assert any("Tổng số: 0 trẻ" in row for row in rows)
