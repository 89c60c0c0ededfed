"""The case pages (issue 16 §2, §4, §5): the list, a report received, one case with its next
step as the obvious button, errors next to the field, 404 for every other role, and the
officer's and leader's home."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.cases import services
from tests.cases.test_api import REPORT, STEPS
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.quality.test_recheck_pages import assert_labelled

TODAY = date.today()


@pytest.fixture()
def browser(sign_in, officer):
    page, answer = sign_in(officer.username, PASSWORD)
    assert answer.status_code == 302
    return page


@pytest.fixture()
def case(app, db, officer, add_child):
    child = add_child("Lò Văn Bình")
    with app.test_request_context():
        made = services.open_case(officer, {**REPORT, "child_id": str(child.id)})
    db.session.commit()
    return made


def post(page, path: str, form: dict):
    return page.post(path, data={"csrf_token": csrf_token(page, path.rsplit("/steps", 1)[0]),
                                 **form})


def test_the_officer_receives_a_report_on_the_page(browser, village, db):
    form = browser.get("/cases/new")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Tiếp nhận tin báo (Mẫu 01)" in html
    assert_labelled(html)
    answer = post(browser, "/cases/new", {
        "received_at": (datetime.now(UTC) + timedelta(hours=7, minutes=-30))
        .strftime("%Y-%m-%dT%H:%M"), "source": "school", "situation": "Trẻ nghỉ học nhiều ngày.",
        "child-full_name": "Lò Thị Nhỏ", "child-sex": "2", "child-estimated_age": "7",
        "child-village": village.code})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    page = browser.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Hồ sơ vụ việc: Lò Thị Nhỏ" in page and "Đã tiếp nhận" in page
    assert "Xác minh thông tin" in page  # the next step, open
    assert_labelled(page)


def test_a_report_with_mistakes_comes_back_with_each_error_beside_its_field(browser):
    answer = post(browser, "/cases/new", {"received_at": "", "source": "",
                                          "situation": "", "child-full_name": ""})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="received_at-error"' in html and 'id="situation-error"' in html
    assert 'id="child.full_name-error"' in html and "Sự việc: vui lòng nhập." in html


def test_the_case_page_takes_the_next_step_and_refuses_one_out_of_turn(browser, case):
    path = f"/cases/{case.id}"
    page = browser.get(path).get_data(as_text=True)
    assert "Lò Văn Bình" in page and "quá hạn" in page  # the report was on 4/12
    done = post(browser, f"{path}/steps", {"step": "verify", "founded": "true",
                                           "note": "Đã gặp trẻ."})
    assert done.status_code == 303
    page = browser.get(path).get_data(as_text=True)
    assert "Đã xác minh" in page and "Đã gặp trẻ." in page
    assert 'id="step-assess"' in page
    missing = post(browser, f"{path}/steps", {"step": "assess", "risk": "", "emergency": ""})
    assert missing.status_code == 422
    assert 'id="risk-error"' in missing.get_data(as_text=True)
    late = post(browser, f"{path}/steps", {"step": "close", "summary": "x"})
    assert late.status_code == 409
    assert "Bước tiếp theo: Đánh giá nguy cơ ban đầu" in late.get_data(as_text=True)


def test_the_chair_sees_the_plan_to_approve(app, db, case, officer, make, sign_in):
    with app.test_request_context():
        for body in STEPS:
            services.take_step(officer, case, body["step"], {
                k: v for k, v in body.items() if k != "step"})
    db.session.commit()
    leader = make.user(roles.COMMUNE_LEADER)
    page, _ = sign_in(leader.username, PASSWORD)
    home = page.get("/").get_data(as_text=True)
    assert "kế hoạch chờ Chủ tịch UBND xã phê duyệt" in home
    html = page.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="step-approve"' in html and 'id="step-return"' in html
    assert 'id="step-verify"' not in html
    answer = post(page, f"/cases/{case.id}/steps", {"step": "approve", "note": "Đồng ý."})
    assert answer.status_code == 303
    assert "Kế hoạch đã được phê duyệt" in page.get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_officer_s_home_shows_cases_overdue(browser, case):
    home = browser.get("/").get_data(as_text=True)
    assert 'id="cases-due"' in home and "1 hồ sơ quá hạn" in home
    listed = browser.get("/cases?overdue=1").get_data(as_text=True)
    assert "Lò Văn Bình" in listed and 'class="overdue"' in listed
    assert_labelled(listed)


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.POLICE, roles.PROVINCE_VIEWER])
def test_for_other_roles_the_pages_do_not_exist(make, sign_in, case, role):
    user = make.user(role)
    page, _ = sign_in(user.username, PASSWORD)
    for path in ("/cases", "/cases/new", f"/cases/{case.id}", f"/cases/{case.id}/ho-so.pdf"):
        assert page.get(path).status_code == 404, path
    assert "Hồ sơ vụ việc" not in page.get("/").get_data(as_text=True)


def test_the_child_page_says_there_is_a_case_only_to_the_officer_and_leader(
        browser, case, make, sign_in, collector):
    child_page = f"/children/{case.child_id}"
    html = browser.get(child_page).get_data(as_text=True)
    assert "Có hồ sơ vụ việc (1)" in html and "Tiếp nhận tin báo về trẻ" in html
    listed = browser.get(f"/cases?child={case.child_id}&state=").get_data(as_text=True)
    assert "Hồ sơ vụ việc về Lò Văn Bình" in listed
    leader = make.user(roles.COMMUNE_LEADER)
    page, _ = sign_in(leader.username, PASSWORD)
    html = page.get(child_page).get_data(as_text=True)
    assert "Có hồ sơ vụ việc (1)" in html and "Tiếp nhận tin báo về trẻ" not in html
    page, _ = sign_in(collector.username, PASSWORD)
    html = page.get(child_page).get_data(as_text=True)
    assert page.get(child_page).status_code == 200
    assert "hồ sơ vụ việc" not in html.lower()


def test_the_case_file_prints_every_step_and_is_audited(browser, case, app, db, officer):
    with app.test_request_context():
        services.take_step(officer, case, "verify", {"founded": True, "note": "Đã gặp trẻ."})
    db.session.commit()
    answer = browser.get(f"/cases/{case.id}/ho-so.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.data)).pages)
    for words in ("HỒ SƠ VỤ VIỆC", "Tiếp nhận thông tin (Mẫu 01)", "Xác minh thông tin",
                  "Đã gặp trẻ.", "CHỦ TỊCH UBND XÃ", REPORT["situation"][:30]):
        assert words in text, words
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "case_printed")) == 1
