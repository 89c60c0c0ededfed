"""A list as .xlsx (read back with openpyxl), and "Đánh dấu đã rà soát" on the periodic
review (CSRF on, history and audit written, the child leaves the list)."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import ChildChange
from fieldapp.quality import queries as lists
from fieldapp.quality import services
from tests.conftest import csrf_token
from tests.cookies import session_text
from tests.quality.conftest import BORN, TODAY, days_ago, personal_id

HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Thôn/bản", "Người nuôi dưỡng",
           "Số định danh hiện có", "Lý do"]


def sheet_of(answer):
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == ("application/vnd.openxmlformats-officedocument"
                               ".spreadsheetml.sheet")
    return load_workbook(BytesIO(answer.data)).active


def test_wrong_ids_export_one_row_per_child(client, login, officer, add_child, village2, db):
    add_child("Lò Văn Một", personal_id="014299001234")
    add_child("Lường Thị Hai", sex="2", place=village2, personal_id="0143")
    add_child("Lò Văn Ba", pid=personal_id())  # right: not exported
    login(officer)
    answer = client.get("/quality/wrong-id.xlsx")
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="wrong-id-')
    sheet = sheet_of(answer)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[:3] == (1, "Lò Văn Một", "Nam")
    assert first[3] == datetime.combine(BORN, datetime.min.time())
    assert first[4:7] == ("Bản Nà Sàng", "Mẹ: Lường Thị Xuân", "014299001234")
    assert first[7] == (f"Số định danh cá nhân: chữ số thứ 5–6 là 99, không khớp năm sinh "
                        f"{BORN.year}.")
    assert second[1:3] == ("Lường Thị Hai", "Nữ") and second[4] == "Bản Pá Múa"
    assert second[6] == "0143" and second[7] == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 20 and sheet.column_dimensions["H"].width > 40


def test_export_is_audited_and_filtered_by_village(client, login, officer, add_child, village,
                                                   village2, db):
    add_child("Lò Văn Một")
    add_child("Lò Văn Hai", place=village2)
    login(officer)
    sheet = sheet_of(client.get(f"/quality/without-id.xlsx?village={village2.code}"))
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Lò Văn Hai"]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "quality_exported")).one()
    assert entry.user_id == officer.id and entry.commune_code == officer.commune_code
    assert entry.detail == {"list": "without-id", "village": village2.code, "rows": 1}


@pytest.mark.parametrize("name", ["missing-basic", "needs-review"])
def test_each_list_exports(client, login, officer, add_child, name):
    add_child("Lò Văn Một", raw_sex="3", circumstances=[
        {"code": "DB01", "since": days_ago(400)}])
    login(officer)
    rows = list(sheet_of(client.get(f"/quality/{name}.xlsx")).iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 2 and rows[1][1] == "Lò Văn Một"
    assert rows[1][7]  # the reasons


def test_an_empty_list_exports_its_headers(client, login, officer):
    login(officer)
    rows = list(sheet_of(client.get("/quality/wrong-id.xlsx")).iter_rows(values_only=True))
    assert rows == [tuple(HEADERS)]


# --- "Đánh dấu đã rà soát" ---------------------------------------------------------------

@pytest.fixture()
def stale(add_child):
    return add_child("Lò Văn Một", pid=personal_id(), circumstances=[
        {"code": "DB01", "since": days_ago(400)},
        {"code": "DB03", "since": days_ago(300), "until": days_ago(200)},  # ended: untouched
    ], poverty="poor", capture_date=days_ago(250))  # and NC02 from then, as its household


def test_mark_reviewed_writes_history_and_audit(client, login, officer, stale, db, village):
    login(officer)
    html = client.get("/quality/needs-review").get_data(as_text=True)
    assert "Xác nhận tất cả" in html
    version = stale.version
    answer = client.post(f"/quality/needs-review/{stale.id}/reviewed?village={village.code}",
                         data={"csrf_token": csrf_token(client, "/quality/needs-review")})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/quality/needs-review?village={village.code}")
    db.session.expire_all()
    assert stale.version == version + 1
    assert [c.confirmed_on for c in stale.circumstances] == [TODAY, None, TODAY]
    change = db.session.scalars(select(ChildChange).where(
        ChildChange.child_id == stale.id).order_by(ChildChange.id.desc())).first()
    assert change.version == version + 1 and change.user_id == officer.id
    assert change.source == "officer_edit" and change.note.startswith("Rà soát định kỳ")
    assert change.changes == [
        {"field": "circumstances.0.confirmed_on", "old": None, "new": TODAY.isoformat()},
        {"field": "circumstances.2.confirmed_on", "old": None, "new": TODAY.isoformat()}]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "circumstances_reviewed")).one()
    assert entry.object_id == str(stale.id) and entry.detail == {"version": version + 1,
                                                                  "confirmed": 2}
    assert "Lò Văn Một" not in session_text(client)  # signed, not encrypted
    follow = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã đánh dấu đã rà soát hồ sơ." in follow
    assert f'href="/children/{stale.id}"' not in follow
    assert lists.needs_review(officer) == []


def test_mark_reviewed_needs_the_csrf_token(client, login, officer, stale, db):
    login(officer)
    answer = client.post(f"/quality/needs-review/{stale.id}/reviewed", data={})
    assert answer.status_code == 400
    db.session.expire_all()
    assert stale.circumstances[0].confirmed_on is None
    assert len(lists.needs_review(officer)) == 1


def test_mark_reviewed_twice_in_a_day_changes_nothing(app, officer, stale, db):
    with app.test_request_context():
        assert len(services.mark_reviewed(officer, stale, TODAY)) == 2
        version = stale.version
        assert services.mark_reviewed(officer, stale, TODAY) == []
    assert stale.version == version


def test_mark_reviewed_a_child_with_nothing_open(client, login, officer, add_child, db):
    child = add_child("Lò Văn Hai")
    login(officer)
    answer = client.post(f"/quality/needs-review/{child.id}/reviewed",
                         data={"csrf_token": csrf_token(client, "/quality/needs-review")})
    assert answer.status_code == 302
    follow = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Trẻ không có hoàn cảnh nào đang mở để xác nhận." in follow
    db.session.expire_all()
    assert child.version == 1


def test_mark_reviewed_refuses_a_closed_record(client, login, officer, stale, db):
    stale.closed_on, stale.closed_reason = days_ago(1), "moved_away"
    db.session.flush()
    login(officer)
    answer = client.post(f"/quality/needs-review/{stale.id}/reviewed",
                         data={"csrf_token": csrf_token(client, "/quality/needs-review")})
    follow = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Hồ sơ đã đóng, chỉ xem được." in follow
    db.session.expire_all()
    assert stale.circumstances[0].confirmed_on is None


def test_review_cutoff_is_six_months(db):  # the review period is a setting: the database
    assert lists.review_cutoff(date(2026, 12, 1)) == date(2026, 6, 1)
