"""``demo seed``: the demo commune's villages and accounts, only when DEMO is on."""

import re

import pytest
from sqlalchemy import func, select

from fieldapp.auth.models import User
from fieldapp.cases.models import Case
from fieldapp.places.models import Village

DEMO_PASSWORD = "demo-2026"
LOCKED = "tạm thời bị khóa"
OFFICE_LINKS = {"Thôn/bản", "Tài khoản", "Nhật ký truy cập"}


def users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


@pytest.fixture()
def seeded(db, runner, demo_on):
    assert users(db) == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return result


def nav_links(page: str) -> set[str]:
    nav = re.search(r'<nav class="nav".*?</nav>', page, re.S).group(0)
    return set(re.findall(r"<a [^>]*>([^<]+)</a>", nav))


def test_seed_is_refused_unless_demo_is_on(db, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 1
    assert "FIELDAPP_DEMO" in result.output
    assert users(db) == 0


def test_seed_creates_the_villages_and_loads_nothing_twice(db, runner, seeded):
    codes = db.session.scalars(select(Village.code).order_by(Village.code))
    assert list(codes) == [f"03808-00{n}" for n in range(1, 5)]
    assert users(db) == 7
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "nothing loaded" in again.output
    assert users(db) == 7


@pytest.mark.parametrize(
    ("username", "links"),
    [
        ("canbo", OFFICE_LINKS),
        ("admin", {"Tài khoản", "Nhật ký truy cập"}),
        ("truongban1", set()),
        ("ctv2", set()),
        ("congan", set()),
        ("chutich", set()),
        ("sodyte", set()),
    ],
)
def test_each_demo_account_sees_the_navigation_of_its_role(seeded, sign_in, username, links):
    browser, answer = sign_in(username, DEMO_PASSWORD)
    assert answer.headers["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert nav_links(home.get_data(as_text=True)) & OFFICE_LINKS == links


def test_five_wrong_passwords_lock_an_account(seeded, sign_in):
    for _ in range(5):
        _, answer = sign_in("truongban1", "sai-mat-khau")
    assert LOCKED in answer.get_data(as_text=True)
    _, answer = sign_in("truongban1", DEMO_PASSWORD)
    assert answer.status_code == 200 and LOCKED in answer.get_data(as_text=True)


def test_the_officer_finds_the_demo_phones_one_of_them_flagged(seeded, sign_in):
    browser, _ = sign_in("canbo", DEMO_PASSWORD)
    page = browser.get("/devices").get_data(as_text=True)
    assert "2 máy · 1 máy có thể mất phiếu" in page and "Có thể mất 2 phiếu" in page
    assert "Số phiếu chưa gửi trên máy giảm 4 mà máy chủ chỉ nhận 2." in page
    assert "Android 12 · Samsung Internet 23" in page and "đã dùng 87%" in page
    home = re.sub(r"<[^>]+>", "", browser.get("/").get_data(as_text=True))
    assert "1 máy có thể mất phiếu · 1 máy có phiếu chưa gửi quá 3 ngày" in home


def test_the_demo_has_cases_one_overdue_and_a_report_from_a_phone(seeded, db, sign_in):
    """Case management (issue 16): three cases at different steps, one overdue, and a report
    just sent from the collaborator's phone."""
    states = sorted(db.session.scalars(select(Case.state)))
    assert states == ["acting", "planned", "received", "received"]
    [reported] = db.session.scalars(select(Case).where(Case.submission_id.is_not(None)))
    assert reported.urgent and db.session.get(User, reported.created_by_id).username == "ctv2"
    officer, _ = sign_in("canbo", DEMO_PASSWORD)
    home = re.sub(r"<[^>]+>", "", officer.get("/").get_data(as_text=True))
    assert "1 hồ sơ quá hạn" in home
    assert "1 tin báo mới từ thôn, bản (1 khẩn cấp)" in home
    leader, _ = sign_in("chutich", DEMO_PASSWORD)
    home = re.sub(r"<[^>]+>", "", leader.get("/").get_data(as_text=True))
    assert "1 kế hoạch chờ Chủ tịch UBND xã phê duyệt" in home
