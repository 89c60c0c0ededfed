"""A child at risk reported from the field (issue 16 §3): a submission of kind
``protection_report`` through the same sync API, answered with a receipt like any other, opens a
case in Tiếp nhận for the commune officer at once. The reporter is told only that it was
received (Đã tiếp nhận): never the case, in no answer of the field's API."""

import io
import uuid
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.cases.models import Case
from fieldapp.collection.models import Submission, SubmissionConflict
from fieldapp.db import utcnow
from tests.submissions import REPORTED as SITUATION
from tests.submissions import changed
from tests.submissions import make_report as report


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def case_of(db, key) -> Case:
    db.session.expire_all()
    return db.session.scalars(select(Case).where(Case.submission_id == uuid.UUID(key))).one()


def test_a_report_is_acknowledged_and_opens_a_case_at_once(api, db, collector, village):
    sent = report(village.code)
    [result] = api.submit(sent)

    assert result["status"] == "accepted" and result["errors"] == {}
    assert result["receipt"]["id"] == sent["uuid"]
    assert result["receipt"]["state"] == "acknowledged"  # Đã tiếp nhận: nothing more to wait for
    case = case_of(db, sent["uuid"])
    assert (case.state, case.source, case.commune_code) == ("received", "field_report",
                                                           village.commune_code)
    assert case.child_id is None and case.child_name == "Lò Thị Nhỏ"
    assert (case.child_sex, case.child_age, case.village_code) == ("2", 7, village.code)
    assert case.situation == SITUATION and case.location == "Sân nhà"
    assert case.urgent is True and case.reporter_phone == "0912345678"
    assert case.reporter_name == (collector.full_name or collector.username)
    assert case.created_by_id == collector.id
    assert case.received_at.isoformat() == result["receipt"]["received_at"]
    assert case.seen_at.isoformat() == "2026-12-06T10:45:00+00:00"  # 17:45 in Vietnam
    assert abs(case.reported_at - utcnow()) < timedelta(minutes=31)
    [step] = case.steps
    assert (step.step, step.actor_id) == ("receive", collector.id)
    stored = db.session.get(Submission, uuid.UUID(sent["uuid"]))
    assert (stored.kind, stored.state, stored.child_id) == ("protection_report", "acknowledged",
                                                            None)
    assert stored.data == {"child": {"full_name": "Lò Thị Nhỏ"}}  # the content is the case's
    actions = set(db.session.scalars(select(AuditEntry.action)
                                     .where(AuditEntry.user_id == collector.id)))
    assert {"submission_received", "case_opened"} <= actions


def test_a_report_about_a_register_child_names_that_child(api, db, village, add_child):
    child = add_child("Lò Văn Bé")
    sent = report(village.code, child_id=str(child.id),
                  child={"full_name": "Lò Văn Bé", "village": village.code}, urgent=False,
                  seen_at=None)
    [result] = api.submit(sent)

    assert result["status"] == "accepted", result
    case = case_of(db, sent["uuid"])
    assert case.child_id == child.id and case.child_name == "Lò Văn Bé"
    assert case.child_born == child.date_of_birth and case.village_code == village.code
    assert case.urgent is False and case.seen_at is None


def test_sending_it_again_is_a_duplicate_and_opens_no_second_case(api, db, village):
    sent = report(village.code)
    [first] = api.submit(sent)
    [again] = api.submit(sent)

    assert again["status"] == "duplicate" and again["receipt"] == first["receipt"]
    assert count(db, Case) == 1 and count(db, Submission) == 1


def test_other_content_under_its_uuid_is_kept_aside_and_opens_no_case(api, db, village):
    sent = report(village.code)
    api.submit(sent)
    [other] = api.submit(changed(sent, {"data.situation": "Trẻ bỏ nhà đi hai ngày."}))

    assert other["status"] == "conflict"
    assert count(db, Case) == 1 and count(db, SubmissionConflict) == 1


@pytest.mark.parametrize(("changes", "errors"), [
    ({"data.situation": "  "}, {"situation": ["Sự việc đã thấy: vui lòng nhập."]}),
    ({"data.urgent": None},
     {"urgent": ["Trẻ đang gặp nguy hiểm, cần can thiệp ngay: vui lòng chọn có hoặc không."]}),
    ({"data.child": None}, {"child": [
        "Trẻ em: chọn trẻ trong danh sách hoặc ghi họ tên, tuổi, thôn."]}),
    ({"data.child.full_name": ""}, {"child.full_name": ["Họ tên trẻ: vui lòng nhập."]}),
    ({"data.child.estimated_age": None},
     {"child.estimated_age": ["Nhập ngày sinh hoặc tuổi ước tính của trẻ."]}),
    ({"data.child.estimated_age": 19},
     {"child.estimated_age": ["Tuổi ước tính: một số từ 0 đến 17."]}),
    ({"data.seen_at": "hôm qua"},
     {"seen_at": ["Thời điểm phát hiện: nhập ngày giờ (YYYY-MM-DDTHH:MM)."]}),
    ({"data.seen_at": "2099-01-01T08:00"},
     {"seen_at": ["Thời điểm phát hiện không thể sau lúc báo tin."]}),
    ({"data.reporter_phone": "12"}, {"reporter_phone": ["Số điện thoại gồm 9 đến 12 chữ số."]}),
    ({"data.child_id": "not-a-uuid"}, {"child_id": ["Không phải mã UUID hợp lệ."]}),
    ({"child_id": str(uuid.uuid4())}, {"child_id": ["Tin báo ghi trẻ trong data.child_id."]}),
    ({"data": "tin báo"}, {"data": ["Phải là một đối tượng JSON."]}),
], ids=["no-situation", "no-urgency", "no-child", "no-name", "no-age", "too-old",
        "seen-at-text", "seen-later", "phone", "child-id", "update-envelope", "data-text"])
def test_a_bad_report_is_invalid_by_field_and_nothing_is_stored(api, db, village, changes,
                                                                 errors):
    [result] = api.submit(changed(report(village.code), changes))

    assert result["status"] == "invalid" and result["receipt"] is None
    assert {path: result["errors"][path] for path in errors} == errors, result["errors"]
    assert count(db, Case) == 0 and count(db, Submission) == 0


def test_only_children_of_the_reporters_villages(api, db, make, village, officer):
    elsewhere = make.village()  # the same commune, not the collaborator's
    foreign = make.child(officer, elsewhere, "Lò Văn Xa")
    results = api.submit(report(elsewhere.code), report(village.code, child_id=str(foreign.id)),
                         report(village.code, child_id=str(uuid.uuid4())))

    assert [r["errors"] for r in results] == [
        {"child.village": ["Thôn, bản không thuộc địa bàn của bạn."]},
        {"child_id": ["Không tìm thấy trẻ này trong địa bàn của bạn."]},
        {"child_id": ["Không tìm thấy trẻ này trong địa bàn của bạn."]}]
    assert count(db, Case) == 0


def test_the_reporter_sees_only_that_it_was_received(api, db, village, collector):
    sent = report(village.code)
    api.submit(sent)

    feed = api.get("/api/v1/submissions").get_json()
    [mine] = [s for s in feed["submissions"] if s["uuid"] == sent["uuid"]]
    assert (mine["kind"], mine["state"], mine["state_label"]) == (
        "protection_report", "acknowledged", "Đã tiếp nhận")
    assert mine["data"] is None and mine["label"] == "Lò Thị Nhỏ"
    case = case_of(db, sent["uuid"])
    assert str(case.id) not in str(feed)
    assert api.get("/api/v1/cases").status_code in (403, 404)
    assert api.get(f"/api/v1/cases/{case.id}").status_code == 404
    assert str(case.id) not in api.get("/api/v1/packet").get_data(as_text=True)


def test_the_officer_finds_the_case_not_a_submission_to_review(api, api_as, db, village,
                                                               officer, login, client):
    sent = report(village.code)
    api.submit(sent)
    case = case_of(db, sent["uuid"])

    answer = api_as(officer).get(f"/api/v1/cases/{case.id}")
    assert answer.status_code == 200 and answer.get_json()["source"] == "field_report"
    inbox = api_as(officer).get("/api/v1/review/submissions").get_json()
    assert inbox["items"] == [] and sent["uuid"] not in str(inbox)
    assert api_as(officer).get(f"/api/v1/review/submissions/{sent['uuid']}").status_code == 404

    login(officer)
    home = client.get("/").get_data(as_text=True)
    assert "1 tin báo mới từ thôn, bản" in home and "1 khẩn cấp" in home
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Báo khẩn" in page and "06/12/2026 17:45" in page and "(báo từ điện thoại)" in page
    listed = client.get("/cases?state=received&source=field_report").get_data(as_text=True)
    assert "Lò Thị Nhỏ" in listed and "Tin báo từ thôn, bản" in listed
    assert "Lò Thị Nhỏ" not in client.get("/cases?source=hotline_111").get_data(as_text=True)
    paper = client.get(f"/cases/{case.id}/ho-so.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(paper.data)).pages)
    for words in ("Báo từ điện thoại lúc", "người báo đánh giá khẩn cấp", "06/12/2026 17:45",
                  SITUATION[:30]):
        assert words in text, words


def test_the_leader_of_another_commune_and_the_police_never_see_it(api, api_as, db, make,
                                                                   village):
    sent = report(village.code)
    api.submit(sent)
    case = case_of(db, sent["uuid"])
    for user in (make.user(roles.POLICE), make.user(roles.VILLAGE_HEAD, [village])):
        assert api_as(user).get(f"/api/v1/cases/{case.id}").status_code == 404


def test_the_cases_api_tells_a_field_report_and_filters_by_source(api, api_as, db, village,
                                                                  officer):
    sent = report(village.code)
    api.submit(sent)
    case = case_of(db, sent["uuid"])
    mine = api_as(officer)

    listed = mine.get("/api/v1/cases?source=field_report").get_json()["items"]
    assert [(c["id"], c["source"], c["urgent"]) for c in listed] == [
        (str(case.id), "field_report", True)]
    assert mine.get("/api/v1/cases?source=school").get_json()["items"] == []
    bad = mine.get("/api/v1/cases?source=zalo")
    assert bad.status_code == 400 and "source" in bad.get_json()["errors"]
    one = mine.get(f"/api/v1/cases/{case.id}").get_json()
    assert one["report"]["seen_at"] == "2026-12-06T10:45:00+00:00"
    assert one["report"]["reported_at"] == case.reported_at.isoformat()
    assert one["report"]["reporter_phone"] == "0912345678"
