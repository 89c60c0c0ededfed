"""What the register's pages show (issue 14 §4): codes with their labels, ages in words, the
history's times in Vietnam's time with the author's name."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from fieldapp.children.models import ChildChange
from fieldapp.children.queries import age_shown
from tests.children.pages import days_ago
from tests.factories import PASSWORD

DISABILITY = {"code": "DB04", "detail": {"disability_type": "KT01", "disability_level": "MD02"}}


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2026, 5, 6), date(2026, 12, 6), "7 tháng tuổi"),
        (date(2026, 5, 7), date(2026, 12, 6), "6 tháng tuổi"),
        (date(2026, 11, 20), date(2026, 12, 6), "chưa đủ 1 tháng tuổi"),
        (date(2025, 12, 7), date(2026, 12, 6), "11 tháng tuổi"),
        (date(2025, 12, 6), date(2026, 12, 6), "1 tuổi"),
        (date(2020, 2, 29), date(2026, 12, 6), "6 tuổi"),
    ],
)
def test_age_shown(born, on, expected):
    assert age_shown(born, on) == expected


def seven_months_ago() -> date:
    today = date.today()
    month = today.month - 7
    year = today.year - (month < 1)
    return date(year, month % 12 or 12, min(today.day, 28))


@pytest.fixture()
def named_officer(db, officer):
    officer.full_name = "Hà Thị Cán Bộ"
    db.session.flush()
    return officer


def test_the_list_shows_codes_with_labels_and_months_under_a_year(
        client, login, listing, add_child, named_officer):
    add_child("Lò Thị Bé", born=seven_months_ago(),
              circumstances=[{**DISABILITY, "since": days_ago(30)}])
    login(named_officer, PASSWORD)
    html = listing()
    assert '<span class="tag">DB04 · Khuyết tật</span>' in html
    assert "(7 tháng tuổi)" in html and "(0 tuổi)" not in html


def test_the_child_page_shows_times_in_vietnam_and_the_authors_name(
        client, login, add_child, named_officer, db):
    child = add_child("Lò Thị Bé", born=seven_months_ago())
    change = db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)).one()
    change.at = datetime(2026, 12, 6, 13, 36, tzinfo=UTC)
    db.session.flush()
    login(named_officer, PASSWORD)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "7 tháng tuổi" in page
    assert f"Phiên bản 1 · 06/12/2026 20:36 · Hà Thị Cán Bộ ({named_officer.username})" in page
    assert "UTC" not in page
    # the officer's own visit, just recorded, is named too
    again = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert f"<li>Hà Thị Cán Bộ ({named_officer.username}) · " in again


def test_the_history_names_fields_and_values_in_words(
        client, login, add_child, named_officer, village, village2, db):
    child = add_child("Lò Thị Bé", circumstances=[{**DISABILITY, "since": "2026-01-02"}])
    login(named_officer, PASSWORD)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    history = page[page.index("Lịch sử thay đổi"):]
    assert "<li>Hoàn cảnh 1 · Nhóm: — → DB04 · Khuyết tật</li>" in history
    assert "<li>Hoàn cảnh 1 · Từ ngày: — → 02/01/2026</li>" in history
    assert "<li>Giới tính: — → Nam</li>" in history
    assert f"<li>Thôn, xóm, bản: — → {village.name}</li>" in history
    assert "<code>" not in history and "child.sex" not in history
