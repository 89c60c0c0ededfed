"""One submission in the review panel: who may open it, what it shows (three columns for a
stale update, duplicates, conflicts) and how its forms answer."""

import re

import pytest

from fieldapp import roles
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission
from tests.factories import COMMUNE_B, PASSWORD
from tests.submissions import changed, update_of
from tests.web.test_pages import parse

HTMX = {"HX-Request": "true"}


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.fixture()
def officer_in(client, login, officer):
    login(officer, PASSWORD)
    return client


def test_only_the_communes_officer_opens_it(sign_in, make, submit, item, collector):
    s, = submit(item())
    others = ((make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]), 404), (collector, 403),
              (make.user(roles.POLICE), 403), (make.user(roles.COMMUNE_LEADER), 403))
    for user, status in others:
        browser, _ = sign_in(user.username, PASSWORD)
        assert browser.get(f"/review/{s.id}").status_code == status
        assert browser.get(f"/review/{s.id}", headers=HTMX).status_code == status
        inbox = browser.get("/review")
        assert inbox.status_code == (200 if status == 404 else 403)
        assert "Lò Văn Thanh" not in inbox.get_data(as_text=True)
    browser, _ = sign_in(others[0][0].username, PASSWORD)
    assert browser.get("/review/not-a-uuid").status_code == 404


def test_a_stale_update_shows_three_values_and_waits_for_a_choice(
        officer_in, submit, add_child, collector, officer_does, db):
    child = add_child()
    item = update_of(child, collector, {"data.child.full_name": "Lò Văn Thành"})
    record = {"child": {"full_name": "Lò Văn Thắng", "sex": "1",
                        "date_of_birth": child.date_of_birth, "ethnicity_code": "03",
                        "village_code": child.village_code},
              "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]}
    officer_does("update_child", child, record)
    s, = submit(item)
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Sổ đăng ký đã thay đổi" in html and "Cả hai đã sửa" in html
    assert "Bản người thu thập lấy: Lò Văn Thanh" in html
    assert "Giữ trong sổ: <strong>Lò Văn Thắng</strong>" in html
    assert "Lấy đề xuất: <strong>Lò Văn Thành</strong>" in html
    assert 'name="choice.child.full_name" value="register">' in html  # nothing pre-chosen
    token = token_of(html)
    refused = officer_in.post(f"/review/{s.id}/approve", headers=HTMX,
                              data={"csrf_token": token, "seen_version": "2"})
    assert refused.status_code == 422
    assert "chọn giá trị giữ lại" in refused.get_data(as_text=True)
    stale_view = officer_in.post(f"/review/{s.id}/approve", headers=HTMX, data={
        "csrf_token": token, "seen_version": "1", "choice.child.full_name": "proposed"})
    assert stale_view.status_code == 409  # the officer looked at another version
    assert "vừa thay đổi" in stale_view.get_data(as_text=True)
    done = officer_in.post(f"/review/{s.id}/approve", headers=HTMX, data={
        "csrf_token": token, "seen_version": "2", "choice.child.full_name": "proposed"})
    assert done.status_code == 200
    db.session.expire_all()
    assert (db.session.get(Child, child.id).full_name, child.version) == ("Lò Văn Thành", 3)


def test_a_probable_duplicate_becomes_an_update_of_that_child(
        officer_in, submit, item, add_child, db):
    child = add_child()
    s, = submit(item())  # the same name, birth date and mother as the register's child
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Có thể trùng với trẻ đã có trong sổ" in html and "Cùng ngày sinh" in html
    answer = officer_in.post(f"/review/{s.id}/same", headers=HTMX, data={
        "csrf_token": token_of(html), "child_id": str(child.id)})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Đã gộp vào trẻ có trong sổ" in html
    assert "đã xác định đây là trẻ đã có trong sổ" in html
    db.session.expire_all()
    assert db.session.get(Submission, s.id).child_id == child.id


def test_a_conflict_shows_both_versions(officer_in, api, submit, item, db):
    first = item()
    s, = submit(first)
    other = changed(first, {"data.child.full_name": "Lò Văn Thành Khác"})
    assert api.submit(other)[0]["status"] == "conflict"
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Xung đột: cùng mã phiếu, nội dung khác" in html
    assert "Lò Văn Thành Khác" in html and "Bản đang xét" in html


def test_an_officer_does_not_approve_their_own(officer_in, officer, submit, item, db):
    s, = submit(item())
    db.session.get(Submission, s.id).user_id = officer.id
    db.session.flush()
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "cán bộ khác phải duyệt" in html and ">Duyệt</button>" not in html
    answer = officer_in.post(f"/review/{s.id}/approve", data={"csrf_token": token_of(html)},
                             headers=HTMX)
    assert answer.status_code == 403
    assert db.session.get(Submission, s.id).state == "received"


def test_a_decided_one_shows_what_was_sent_and_the_decision(officer_in, submit, item, decide):
    s, = submit(item())
    decide("reject_submission", s, "Trẻ không sống ở xã.", actor=None)
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Thêm trẻ mới: Lò Văn Thanh" in html and "Bị từ chối" in html
    assert "Trẻ không sống ở xã." in html and ">Duyệt</button>" not in html
    approved, = submit(changed(item(), {"data.child.full_name": "Lò Thị Mai",
                                        "data.child.sex": "2", "data.child.personal_id": None}))
    decide("approve_submission", approved)
    html = officer_in.get(f"/review/{approved.id}", headers=HTMX).get_data(as_text=True)
    assert "Thêm trẻ mới: Lò Thị Mai" in html and "Đã duyệt" in html
    assert "Trẻ trong sổ" in html and "Trả lại hoặc từ chối" not in html


def test_every_field_of_the_review_pages_has_a_label_and_no_inline_script(
        officer_in, submit, add_child, item, collector, officer_does):
    child = add_child()
    stale = update_of(child, collector, {"data.child.full_name": "Lò Văn Thành"})
    officer_does("update_child", child, {
        "child": {"full_name": "Lò Văn Thắng", "sex": "1", "date_of_birth": child.date_of_birth,
                  "ethnicity_code": "03", "village_code": child.village_code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    s, = submit(stale)
    duplicate, = submit(item())
    for path in (f"/review/{s.id}", f"/review/{duplicate.id}", "/review", "/review/bulk"):
        markup = parse(officer_in.get(path))
        assert markup.controls, path
        for control in markup.controls:
            assert control.get("id") in markup.label_for, f"unlabelled {control} on {path}"
        assert all(script.get("src") for script in markup.scripts), path
        assert markup.script_bodies == [] and markup.handlers == [], path


def test_a_household_changed_since_the_packet_is_chosen_on_the_page(
        officer_in, submit, add_child, collector, officer_does, db):
    child = add_child()
    item = update_of(child, collector, {"data.household.poverty_status": "near_poor"})
    officer_does("update_household", child.household, {
        "head_name": "Lò Văn Pọm", "address": "Tổ 2", "poverty_status": "none"})
    s, = submit(item)  # not stale: the child's version did not move, its household did
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert 'name="choice.household.poverty_status" value="register"' in html
    assert "Sổ đăng ký đã thay đổi" not in html
    done = officer_in.post(f"/review/{s.id}/approve", headers=HTMX, data={
        "csrf_token": token_of(html), "seen_version": "1",
        "choice.household.poverty_status": "proposed"})
    assert done.status_code == 200, done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Child, child.id).household.poverty_status == "near_poor"


def test_a_waiting_twin_from_another_collector_is_shown(officer_in, api_as, make, submit, item,
                                                        village):
    other_collector = make.user(roles.COLLABORATOR, [village])
    twin = changed(item(), {"data.child.full_name": "Lo Van Thanh"})
    assert api_as(other_collector).submit(twin)[0]["status"] == "accepted"
    s, = submit(item())
    html = officer_in.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Có thể trùng với phiếu khác đang chờ duyệt" in html
    assert f"/review/{twin['uuid']}" in html and "Lo Van Thanh" in html
    assert "Có thể trùng với trẻ đã có trong sổ" not in html
    assert "Đây là cùng một trẻ" not in html  # nothing in the register to merge into yet
    inbox = officer_in.get("/review?flag=duplicate").get_data(as_text=True)
    assert str(s.id) in inbox and twin["uuid"] in inbox
