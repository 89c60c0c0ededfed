"""The probable-duplicates page: the pairs side by side, the village filter, the .xlsx export,
"không phải cùng một trẻ" (CSRF on), who may open it, and the count on the officer's home."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.quality.models import NotDuplicate
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B
from tests.quality import test_matcher
from tests.quality.test_matcher import BORN

register_child = test_matcher.register_child  # the fixture, shared by name

LIST = "/quality/duplicates"


@pytest.fixture()
def pair(register_child, village2):
    """Lò Văn Thanh recorded twice: in two villages, the second time without diacritics."""
    a, b = register_child(), register_child("Lo Van Thanh", place=village2)
    return tuple(sorted((a, b), key=lambda c: c.id))


def actions(a, b) -> dict:
    return {"merge": f"{LIST}/{a.id}/{b.id}/merge", "dismiss": f"{LIST}/{a.id}/{b.id}/dismiss"}


def audited(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_pairs_side_by_side_with_score_and_reasons(client, db, login, officer, pair):
    a, b = pair
    login(officer)
    html = client.get(LIST).get_data(as_text=True)
    assert "1 cặp hồ sơ có thể trùng · cả xã" in html
    assert html.index(f'/children/{a.id}">{a.full_name}') < html.index(
        f'/children/{b.id}">{b.full_name}')
    assert "<strong>95</strong>" in html
    assert "<li>Cùng họ tên (khác dấu, chữ hoa)</li>" in html and "<li>Khác thôn/bản</li>" in html
    assert f'href="{actions(a, b)["merge"]}"' in html and "Gộp</a>" in html
    assert f'action="{actions(a, b)["dismiss"]}"' in html and "Không phải cùng một trẻ" in html
    assert f"{BORN:%d/%m/%Y}" in html and "Mẹ: Lường Thị Xuân" in html
    assert audited(db, "duplicates_listed")[-1].detail == {"village": None}


def test_prints_as_a_table(client, login, officer, pair):
    login(officer)
    html = client.get(LIST).get_data(as_text=True)
    assert '<table class="list quality">' in html and 'class="print-only"' in html
    assert '<th scope="col" class="no-print">Xử lý</th>' in html
    assert 'class="filters"' in html and '<p class="actions">' in html  # hidden on paper


def test_village_filter_and_the_fragment(client, login, officer, pair, register_child,
                                         village, village2):
    register_child("Cầm Thị Hoa", sex="2")
    register_child("Cam Thi Hoa", sex="2")
    login(officer)
    whole = client.get(LIST).get_data(as_text=True)
    assert "2 cặp hồ sơ có thể trùng" in whole
    there = client.get(f"{LIST}?village={village2.code}").get_data(as_text=True)
    assert "1 cặp hồ sơ có thể trùng · Bản Pá Múa" in there and "Cầm Thị Hoa" not in there
    assert f'<option value="{village2.code}" selected>' in there
    fragment = client.get(f"{LIST}?village={village.code}", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert 'id="duplicate-list"' in body and "<html" not in body and "Cầm Thị Hoa" in body
    assert "HX-Request" in fragment.headers["Vary"]
    assert client.get(f"{LIST}?village={COMMUNE_B}-001").status_code == 404


def test_not_the_same_child(client, db, login, officer, pair):
    a, b = pair
    login(officer)
    token = csrf_token(client, LIST)
    answer = client.post(actions(a, b)["dismiss"], data={"csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"] == LIST
    stored = db.session.scalars(select(NotDuplicate)).all()
    assert [(n.child_a_id, n.child_b_id, n.commune_code, n.decided_by_id) for n in stored] == [
        (a.id, b.id, "03808", officer.id)]
    assert audited(db, "duplicate_dismissed")[-1].object_id == str(a.id)
    html = client.get(LIST).get_data(as_text=True)
    assert "Đã ghi: không phải cùng một trẻ." in html and "0 cặp hồ sơ" in html
    # The other way round, or twice: still one decision.
    assert client.post(f"{LIST}/{b.id}/{a.id}/dismiss",
                       data={"csrf_token": token}).status_code == 302
    assert len(db.session.scalars(select(NotDuplicate)).all()) == 1


def test_not_the_same_child_keeps_the_village_filter(client, login, officer, pair, village2):
    a, b = pair
    login(officer)
    token = csrf_token(client, LIST)
    answer = client.post(actions(a, b)["dismiss"],
                         data={"csrf_token": token, "village": village2.code})
    assert answer.headers["Location"] == f"{LIST}?village={village2.code}"


def test_dismiss_needs_the_csrf_token(client, db, login, officer, pair):
    login(officer)
    answer = client.post(actions(*pair)["dismiss"], data={})
    assert answer.status_code == 400
    assert db.session.scalars(select(NotDuplicate)).all() == []


def test_export_one_row_per_pair(client, db, login, officer, pair):
    a, b = pair
    login(officer)
    answer = client.get(f"{LIST}/export.xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert answer.headers["Cache-Control"] == "no-store"
    assert re.match(r'attachment; filename="tre-co-the-trung-\d{8}\.xlsx"',
                    answer.headers["Content-Disposition"])
    sheet = load_workbook(BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Điểm", "Lý do", "Họ và tên (hồ sơ 1)")
    assert "Số định danh (hồ sơ 2)" in rows[0] and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["STT"], row["Điểm"], row["Họ và tên (hồ sơ 1)"], row["Họ và tên (hồ sơ 2)"]) == (
        1, 95, a.full_name, b.full_name)
    assert "Khác thôn/bản" in row["Lý do"] and row["Ngày sinh (hồ sơ 1)"].date() == BORN
    assert row["Người nuôi dưỡng (hồ sơ 2)"] == "Mẹ: Lường Thị Xuân"
    assert audited(db, "duplicates_exported")[-1].detail == {"village": None, "rows": 1}


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE,
                                  roles.COMMUNE_LEADER])
def test_only_the_commune_officer(client, login, make, pair, role):
    login(make.user(role))
    paths = [LIST, f"{LIST}/export.xlsx", actions(*pair)["merge"]]
    assert [client.get(path).status_code for path in paths] == [403, 403, 403]
    token = csrf_token(client, "/")
    assert client.post(actions(*pair)["dismiss"], data={"csrf_token": token}).status_code == 403


def test_another_communes_children_do_not_exist(client, db, login, make, pair):
    login(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    assert "0 cặp hồ sơ có thể trùng" in client.get(LIST).get_data(as_text=True)
    assert client.get(actions(*pair)["merge"]).status_code == 404
    token = csrf_token(client, LIST)
    assert client.post(actions(*pair)["dismiss"], data={"csrf_token": token}).status_code == 404
    assert db.session.scalars(select(NotDuplicate)).all() == []


def test_the_officers_home_counts_the_pairs(client, login, officer, pair):
    login(officer)
    html = client.get("/").get_data(as_text=True)
    assert f'href="{LIST}"><strong>1</strong> cặp hồ sơ có thể trùng' in html
