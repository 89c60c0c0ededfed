"""``/api/v1/cases`` (issue 16 §1, §4, §5): a case from the report to its closing, every step
checked against the state, who may read and act, and what is audited."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.cases.models import CaseStep
from fieldapp.children.models import SupportRecord
from tests.factories import COMMUNE_B

URL = "/api/v1/cases"
TODAY = date.today()
REPORT = {
    "received_at": "2026-12-04T15:30:00+07:00", "source": "hotline_111",
    "reporter_name": "Lò Thị Báo", "reporter_phone": "0912 345 678",
    "situation": "Hàng xóm nghe tiếng trẻ khóc nhiều đêm, trên tay có vết bầm.",
    "location": "Nhà riêng", "child_state": "Sợ hãi, không đi học",
    "current_carer": "Bà ngoại", "actions_taken": "Trưởng thôn đã đến thăm",
}
PLAN = {"step": "plan", "goals": "Trẻ được an toàn, đi học lại.",
        "actions": [{"form": "TG06", "date": TODAY.isoformat(), "provider": "Trạm y tế"}]}
STEPS = [
    {"step": "verify", "founded": True, "note": "Đã gặp trẻ và bà ngoại."},
    {"step": "assess", "risk": "cao", "emergency": True,
     "emergency_action": "Tạm thời cho trẻ ở nhà bà ngoại", "emergency_by": "Cán bộ xã",
     "child_location": "Nhà bà ngoại, Bản Một"},
    {"step": "detail", "needs": "Tư vấn tâm lý; đi học lại.",
     "meeting": "Họp ngày 5/12 gồm cán bộ xã, nhà trường, trạm y tế."},
    PLAN,
]


@pytest.fixture()
def leader(make):
    return make.user(roles.COMMUNE_LEADER)


@pytest.fixture()
def opened(api_as, officer, add_child):
    child = add_child("Lò Văn Bình")
    answer = api_as(officer).post(URL, json={**REPORT, "child_id": str(child.id)})
    assert answer.status_code == 201, answer.json
    return answer.json


def test_a_report_opens_a_case_with_its_deadlines(opened):
    assert opened["state"] == "received" and opened["child_name"] == "Lò Văn Bình"
    deadlines = opened["deadlines"]
    assert deadlines["assessment_due"] == "2026-12-04T20:30:00+00:00"  # 12 hours on
    # the end of Friday 11/12 (Vietnam): the 5th working day after Friday 4/12
    assert deadlines["plan_due"] == "2026-12-11T16:59:59.999999+00:00"
    assert deadlines["open"] == ["assessment", "plan"]
    assert "assessment" in deadlines["overdue"]  # 4/12 is past
    assert opened["next_steps"] == ["verify"]


def test_a_child_not_yet_in_the_register_is_described(api_as, officer, village):
    answer = api_as(officer).post(URL, json={**REPORT, "child": {
        "full_name": "lò thị nhỏ", "sex": "2", "estimated_age": 6, "village": village.code}})
    assert answer.status_code == 201, answer.json
    assert answer.json["child_id"] is None and answer.json["child_name"] == "Lò Thị Nhỏ"
    assert answer.json["village"] == village.code


def test_bad_input_answers_each_field_in_vietnamese(api_as, officer, far_village):
    answer = api_as(officer).post(URL, json={
        "received_at": "hôm qua", "source": "radio", "reporter_phone": "12",
        "child": {"full_name": "", "village": far_village.code}})
    assert answer.status_code == 422
    errors = answer.json["errors"]
    assert {"received_at", "source", "reporter_phone", "situation", "child.full_name",
            "child.estimated_age", "child.village"} <= set(errors)
    assert "Thôn, bản không thuộc xã." in errors["child.village"]
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    answer = api_as(officer).post(URL, json={**REPORT, "received_at": later,
                                             "child_id": "not-a-child"})
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"received_at", "child_id"}


def test_the_case_goes_from_report_to_closing(api_as, officer, leader, opened, db):
    path = f"{URL}/{opened['id']}/steps"
    for body in STEPS:
        answer = api_as(officer).post(path, json=body)
        assert answer.status_code == 200, (body["step"], answer.json)
    assert answer.json["state"] == "planned"
    assert answer.json["risk"] == "cao" and answer.json["emergency"] is True
    assert answer.json["deadlines"]["open"] == []
    refused = api_as(officer).post(path, json={"step": "approve"})
    assert refused.status_code == 403  # the chair's
    returned = api_as(leader).post(path, json={"step": "return", "reason": "Thiếu người "
                                                "phụ trách tư vấn."})
    assert returned.json["state"] == "returned" and returned.json["next_steps"] == ["plan"]
    assert api_as(officer).post(path, json=PLAN).json["state"] == "planned"
    assert api_as(leader).post(path, json={"step": "approve"}).json["state"] == "approved"
    acted = api_as(officer).post(path, json={"step": "act", "actions": [
        {"form": "TG06", "date": TODAY.isoformat(), "provider": "Trạm y tế",
         "amount_vnd": "200.000"}]})
    assert acted.status_code == 200 and acted.json["state"] == "acting"
    support = db.session.scalars(select(SupportRecord).where(
        SupportRecord.child_id == uuid.UUID(opened["child_id"]))).all()
    assert [(s.form, s.given_on, s.amount_vnd) for s in support] == [("TG06", TODAY, 200000)]
    review = api_as(officer).post(path, json={"step": "review", "outcome": "close",
                                              "child_state": "Ổn định, đã đi học lại."})
    assert review.json["state"] == "reviewed"
    closed = api_as(officer).post(path, json={"step": "close", "summary": "Trẻ an toàn."})
    assert closed.json["state"] == "closed" and closed.json["next_steps"] == []
    steps = [s["step"] for s in closed.json["steps"]]
    assert steps == ["receive", "verify", "assess", "detail", "plan", "return", "plan",
                     "approve", "act", "review", "close"]
    assert all(s["by"] for s in closed.json["steps"])
    assert closed.json["report"]["situation"] == REPORT["situation"]
    again = api_as(officer).post(path, json={"step": "review", "outcome": "close",
                                             "child_state": "x"})
    assert again.status_code == 409 and "đã đóng" in again.json["detail"]


def test_a_step_out_of_turn_is_refused_with_what_comes_next(api_as, officer, opened):
    path = f"{URL}/{opened['id']}/steps"
    answer = api_as(officer).post(path, json=PLAN)
    assert answer.status_code == 409
    assert "Xác minh thông tin" in answer.json["detail"]
    unknown = api_as(officer).post(path, json={"step": "delete"})
    assert unknown.status_code == 422 and "step" in unknown.json["errors"]
    empty = api_as(officer).post(path, json={"step": "assess"})
    assert empty.status_code == 409  # not verified yet: the state first
    api_as(officer).post(path, json=STEPS[0])
    missing = api_as(officer).post(path, json={"step": "assess", "risk": "cao",
                                               "emergency": True})
    assert missing.status_code == 422
    assert {"emergency_action", "emergency_by", "child_location"} <= set(
        missing.json["errors"])


def test_an_unfounded_report_closes_with_its_reason(api_as, officer, opened):
    path = f"{URL}/{opened['id']}/steps"
    answer = api_as(officer).post(path, json={"step": "verify", "founded": False})
    assert answer.status_code == 422 and "reason" in answer.json["errors"]
    answer = api_as(officer).post(path, json={"step": "verify", "founded": False,
                                              "reason": "Trẻ không ở địa bàn."})
    assert answer.json["state"] == "closed"


def test_support_needs_a_register_child(api_as, officer, leader, village, add_child):
    answer = api_as(officer).post(URL, json={**REPORT, "child": {
        "full_name": "Lò Thị Nhỏ", "sex": "2", "estimated_age": 6, "village": village.code}})
    path = f"{URL}/{answer.json['id']}/steps"
    for body in STEPS:
        api_as(officer).post(path, json=body)
    api_as(leader).post(path, json={"step": "approve"})
    act = {"step": "act", "actions": [{"form": "TG01", "date": TODAY.isoformat(),
                                       "provider": "UBND xã"}]}
    assert api_as(officer).post(path, json=act).status_code == 409
    child = add_child("Lò Thị Nhỏ")
    linked = api_as(officer).post(path, json={"step": "link", "child_id": str(child.id)})
    assert linked.status_code == 200 and linked.json["child_id"] == str(child.id)
    assert linked.json["state"] == "approved"
    again = api_as(officer).post(path, json={"step": "link", "child_id": str(child.id)})
    assert again.status_code == 409
    assert api_as(officer).post(path, json=act).json["state"] == "acting"


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE,
                                  roles.PROVINCE_VIEWER])
def test_for_every_other_role_a_case_does_not_exist(api_as, make, opened, role):
    user = make.user(role)
    for answer in (api_as(user).get(URL), api_as(user).get(f"{URL}/{opened['id']}"),
                   api_as(user).post(URL, json=REPORT),
                   api_as(user).post(f"{URL}/{opened['id']}/steps", json=STEPS[0])):
        assert answer.status_code == 404, (role, answer.json)


def test_another_commune_does_not_see_the_case(api_as, make, opened):
    other = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    assert api_as(other).get(f"{URL}/{opened['id']}").status_code == 404
    assert api_as(other).get(URL).json["items"] == []


def test_the_leader_and_the_admin_read_and_reading_is_audited(api_as, make, leader, opened, db):
    admin = make.user(roles.ADMIN)
    for user in (leader, admin):
        answer = api_as(user).get(f"{URL}/{opened['id']}")
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert api_as(leader).post(URL, json=REPORT).status_code == 403  # the officer opens
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_id == opened["id"]).order_by(AuditEntry.id)).all()
    assert actions == ["case_opened", "case_viewed", "case_viewed"]


def test_the_list_filters_and_pages(api_as, officer, add_child, opened, db):
    child = add_child("Lò Văn Khác")
    recent = datetime.now(UTC) - timedelta(hours=1)
    api_as(officer).post(URL, json={**REPORT, "received_at": recent.isoformat(),
                                    "child_id": str(child.id)})
    listed = api_as(officer).get(f"{URL}?limit=1")
    assert listed.status_code == 200 and len(listed.json["items"]) == 1
    assert listed.json["items"][0]["received_at"].startswith(recent.date().isoformat())
    following = api_as(officer).get(f"{URL}?limit=1&cursor={listed.json['next']}")
    assert [i["id"] for i in following.json["items"]] == [opened["id"]]
    assert following.json["next"] is None
    overdue = api_as(officer).get(f"{URL}?overdue=true").json["items"]
    assert [i["id"] for i in overdue] == [opened["id"]]  # the recent one has 11 hours left
    assert api_as(officer).get(f"{URL}?state=closed").json["items"] == []
    assert api_as(officer).get(f"{URL}?state=nonsense").status_code == 400
    steps = db.session.scalars(select(CaseStep.step)).all()
    assert steps == ["receive", "receive"]
