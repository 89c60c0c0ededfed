"""Schooling that fits the age and a dropout's level and day (issue 14 §1.3,
fieldapp/children/schooling.py): a warning the officer confirms, never an error; HT07 asks the
level left and the day, and any other status clears them. The phone's side of the same table
is tests/collection/test_phone_rules.py (SCHOOLING cases)."""

import uuid
from datetime import date

import pytest

from fieldapp import roles
from fieldapp.catalogue import services as catalogue
from fieldapp.children import schooling
from fieldapp.children import services as register
from fieldapp.children.models import Child, ChildChange
from fieldapp.children.record import CAREGIVER_FIELDS, CHILD_FIELDS
from fieldapp.children.validators import validate_record
from fieldapp.collection.models import Submission
from fieldapp.review import bulk
from tests.children.pages import TODAY, error_of, form_values, personal_id
from tests.review.test_panel import HTMX, token_of
from tests.submissions import changed

STATUS, LEVEL, LEFT_ON = "child.schooling_status", "child.school_left_level", "child.school_left_on"
ON = date(2025, 10, 1)  # school year 2025-2026: the school-year age is 2025 - year of birth


def born_aged(age: int) -> date:
    """A birth date whose school-year age on ``ON`` is ``age`` (born in March)."""
    return date(2025 - age, 3, 10)


AGE_TABLE = [  # (status, school-year age, fits)
    ("HT01", 0, True), ("HT01", 6, True), ("HT01", 7, False),
    ("HT02", 3, True), ("HT02", 6, True), ("HT02", 7, False),
    ("HT03", 4, False), ("HT03", 5, True), ("HT03", 11, True), ("HT03", 12, False),
    ("HT04", 9, False), ("HT04", 10, True), ("HT04", 15, True),
    ("HT05", 3, False), ("HT05", 13, False), ("HT05", 14, True), ("HT05", 15, True),
    ("HT06", 13, False), ("HT06", 14, True),
    ("HT07", 3, False), ("HT07", 5, False), ("HT07", 6, True), ("HT07", 15, True),
    ("HT08", 0, True), ("HT08", 15, True),
]


@pytest.mark.parametrize(("status", "age", "fits"), AGE_TABLE,
                         ids=[f"{s}-at-{a}" for s, a, _ in AGE_TABLE])
def test_status_against_age(ctx, status, age, fits):
    record = _record(born_aged(age), status,
                     **({"school_left_level": "TH", "school_left_on": "2025-05-01"}
                        if status == "HT07" else {}))
    result = validate_record(record, capture_date=ON)
    assert STATUS not in result.errors  # a warning, never an error
    assert (STATUS not in result.warnings) == fits
    if not fits:
        label = catalogue.label("schooling_status", status)
        assert result.warnings[STATUS] == [schooling.age_warning(status, born_aged(age), ON,
                                                                 label)]
        assert f"“{label}” không hợp với tuổi của trẻ ({age} tuổi theo năm học" in \
            result.warnings[STATUS][0]


@pytest.mark.parametrize(("born", "on", "age"), [
    (date(2015, 12, 31), date(2025, 8, 31), 9),  # August: still the school year 2024-2025
    (date(2015, 12, 31), date(2025, 9, 1), 10),  # September: a new school year
    (date(2015, 1, 1), date(2025, 9, 1), 10),  # by year of birth, not by birthday
])
def test_school_year_age(born, on, age):
    assert schooling.school_age(born, on) == age


def test_no_age_warning_over_a_wrong_birth_date(ctx):
    result = validate_record(_record(date(2026, 1, 1), "HT05"), capture_date=ON)
    assert "child.date_of_birth" in result.errors and STATUS not in result.warnings


def _record(born: date, status: str | None, **child) -> dict:
    return {"child": {"full_name": "Lò Văn Thanh", "sex": "1", "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": "03808-001",
                      "schooling_status": status, **child},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]}


DROPOUT_TABLE = [  # (level, day, errors, warnings, stored day)
    ("TH", "2025-05-20", [], [], date(2025, 5, 20)),
    ("THCS", "2025-05", [], [], date(2025, 5, 1)),  # a month is enough: its first day
    (None, None, [LEVEL, LEFT_ON], [], None),
    ("", "", [LEVEL, LEFT_ON], [], None),
    ("DH", "2025-05-20", [LEVEL], [], date(2025, 5, 20)),  # not in the list
    ("THPT", "2025-05-20", [], [LEVEL], date(2025, 5, 20)),  # 12 by school year: too young
    ("TH", "20/05/2025", [LEFT_ON], [], None),
    ("TH", "2025-13", [LEFT_ON], [], None),
    ("TH", "2013-03-09", [LEFT_ON], [], date(2013, 3, 9)),  # before birth
    ("TH", "2025-10-02", [LEFT_ON], [], date(2025, 10, 2)),  # after the day recorded
]


@pytest.mark.parametrize(("level", "day", "errors", "warnings", "stored"), DROPOUT_TABLE)
def test_dropout_level_and_day(ctx, level, day, errors, warnings, stored):
    record = _record(born_aged(12), "HT07", school_left_level=level, school_left_on=day)
    result = validate_record(record, capture_date=ON)
    assert sorted(p for p in result.errors if p.startswith("child.school")) == sorted(errors)
    assert sorted(p for p in result.warnings if p.startswith("child.school_left")) == warnings
    assert result.clean["child"]["school_left_on"] == stored


@pytest.mark.parametrize("status", [None, "HT03", "HT04", "HT08"])
def test_another_status_clears_level_and_day(ctx, status):
    record = _record(born_aged(12), status, school_left_level="DH", school_left_on="x")
    result = validate_record(record, capture_date=ON)
    assert not [p for p in result.errors if p.startswith("child.school")]
    assert (result.clean["child"]["school_left_level"],
            result.clean["child"]["school_left_on"]) == (None, None)


def test_dropout_is_stored_shown_and_cleared_with_history(client, db, login, officer,
                                                          add_child):
    child = add_child(born=date(TODAY.year - 13, 1, 15), fields={
        "schooling_status": "HT07", "school_left_level": "THCS",
        "school_left_on": date(TODAY.year - 1, 5, 1).isoformat()})
    assert (child.school_left_level, child.school_left_on) == ("THCS",
                                                               date(TODAY.year - 1, 5, 1))
    login(officer)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Trung học cơ sở" in page and f"{date(TODAY.year - 1, 5, 1):%d/%m/%Y}" in page

    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    assert (values["school_left_level"], values["school_left_on"]) == (
        "THCS", date(TODAY.year - 1, 5, 1).isoformat())
    values["schooling_status"] = "HT04"
    assert client.post(f"/children/{child.id}/edit", data=values).status_code == 302
    db.session.expire_all()
    child = db.session.get(Child, child.id)
    assert (child.schooling_status, child.school_left_level, child.school_left_on) == (
        "HT04", None, None)
    last = db.session.query(ChildChange).filter_by(child_id=child.id, version=2).one()
    assert {c["field"] for c in last.changes} == {
        "child.schooling_status", "child.school_left_level", "child.school_left_on"}
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Cấp học khi bỏ học: Trung học cơ sở → —" in page


def test_officer_form_requires_level_and_day_of_a_dropout(client, db, login, officer,
                                                          add_child):
    child = add_child(born=date(TODAY.year - 13, 1, 15))
    login(officer)
    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    values["schooling_status"] = "HT07"
    refused = client.post(f"/children/{child.id}/edit", data=values)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert error_of(html, "school_left_level") == schooling.ASK_LEVEL
    assert error_of(html, "school_left_on") == schooling.ASK_LEFT_ON
    db.session.refresh(child)
    assert child.version == 1


def test_officer_confirms_a_status_that_does_not_fit(client, db, login, officer, add_child):
    child = add_child(born=date(TODAY.year - 4, 1, 15), fields={"schooling_status": "HT02"})
    login(officer)
    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    assert 'id="schooling-warning"' not in client.get(
        f"/children/{child.id}/edit").get_data(as_text=True)
    values["schooling_status"] = "HT05"  # a 4-year-old in upper secondary
    first = client.post(f"/children/{child.id}/edit", data=values)
    assert first.status_code == 422
    html = first.get_data(as_text=True)
    assert 'id="schooling-warning"' in html and "không hợp với tuổi của trẻ" in html
    assert "Tôi đã kiểm tra, vẫn lưu" in html and 'name="schooling_confirmed"' in html
    db.session.refresh(child)
    assert (child.schooling_status, child.version) == ("HT02", 1)  # not saved yet

    again = form_values(html, "child-form")
    assert again["schooling_status"] == "HT05"  # the form keeps what the officer chose
    again["schooling_confirmed"] = "y"
    assert client.post(f"/children/{child.id}/edit", data=again).status_code == 302
    db.session.refresh(child)
    assert (child.schooling_status, child.version) == ("HT05", 2)

    # Confirmed once: another change of the record does not ask again.
    later = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                        "child-form")
    later["address"] = "Tổ 9"
    assert client.post(f"/children/{child.id}/edit", data=later).status_code == 302
    db.session.refresh(child)
    assert (child.address, child.version) == ("Tổ 9", 3)


def test_a_new_child_that_does_not_fit_is_confirmed_before_it_is_made(client, db, login,
                                                                      officer, village):
    login(officer)
    values = form_values(client.get("/children/new").get_data(as_text=True), "child-form")
    values.update({"full_name": "Lò Thị Mai", "sex": "2",
                   "date_of_birth": date(TODAY.year - 3, 2, 1).isoformat(),
                   "ethnicity_code": "03", "village_code": village.code,
                   "schooling_status": "HT04", "household-head_name": "Lò Văn Pọm",
                   "caregivers-0-relation": "mother",
                   "caregivers-0-full_name": "Lường Thị Xuân"})
    first = client.post("/children/new", data=values)
    assert first.status_code == 422 and 'id="schooling-warning"' in first.get_data(as_text=True)
    assert db.session.query(Child).count() == 0
    values["schooling_confirmed"] = "y"
    assert client.post("/children/new", data=values).status_code == 302
    assert [c.schooling_status for c in db.session.query(Child)] == ["HT04"]


# --- the sync API and the officer's review -------------------------------------------------

UPPER_AT_7 = {"data.child.schooling_status": "HT05"}  # tests.submissions.BORN: about seven


def test_the_api_accepts_it_with_a_warning_in_the_receipt(api, item):
    [result] = api.submit(changed(item(), UPPER_AT_7))
    assert result["status"] == "accepted" and result["errors"] == {}
    assert list(result["warnings"]) == [STATUS]
    assert "không hợp với tuổi của trẻ" in result["warnings"][STATUS][0]


def test_the_api_refuses_a_dropout_without_level_and_day(api, item):
    [result] = api.submit(changed(item(), {"data.child.schooling_status": "HT07"}))
    assert result["status"] == "invalid"
    assert sorted(result["errors"]) == [LEVEL, LEFT_ON]
    [ok] = api.submit(changed(item(), {"data.child.schooling_status": "HT07",
                                       "data.child.school_left_level": "TH",
                                       "data.child.school_left_on": TODAY.isoformat()[:7]}))
    assert ok["status"] == "accepted"


@pytest.fixture()
def sent(api, db):
    def send(*items) -> list[Submission]:
        results = api.submit(*items)
        assert all(r["status"] == "accepted" for r in results), results
        return [db.session.get(Submission, uuid.UUID(i["uuid"])) for i in items]

    return send


def test_review_shows_the_warning_and_approving_confirms_it(client, db, login, officer, sent,
                                                            item):
    s, = sent(changed(item(), UPPER_AT_7))
    login(officer)
    html = client.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert 'id="schooling-warning"' in html and 'Bấm "Duyệt" là bạn xác nhận' in html
    assert "không hợp với tuổi của trẻ" in html
    answer = client.post(f"/review/{s.id}/approve", headers=HTMX,
                         data={"csrf_token": token_of(html)})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert [c.schooling_status for c in db.session.query(Child)] == ["HT05"]


def test_bulk_approval_leaves_a_schooling_warning_to_a_single_approval(app, db, officer, sent,
                                                                       item):
    fits, warned = sent(changed(item(), {"data.child.personal_id": None}),
                        changed(item(), {**UPPER_AT_7, "data.child.full_name": "Cầm Thị Ún",
                                         "data.child.sex": "2",
                                         "data.child.personal_id": None}))
    with app.test_request_context():
        made, skipped = bulk.bulk_approve(officer, [fits, warned])
        db.session.flush()
    assert [c.full_name for c in made] == ["Lò Văn Thanh"]
    assert skipped == {warned.id: [bulk.SCHOOLING_REASON]}
    db.session.refresh(warned)
    assert warned.state == "received"


def test_the_bulk_page_says_why(client, login, officer, sent, item):
    s, = sent(changed(item(), UPPER_AT_7))
    login(officer)
    html = client.get("/review/bulk").get_data(as_text=True)
    assert f'id="b-{s.id}"' in html and bulk.SCHOOLING_REASON in html


def test_a_dropout_from_before_the_level_was_asked_is_not_refused_to_the_police(
        app, db, client, login, make, officer, add_child):
    child = add_child(born=date(TODAY.year - 13, 1, 15), raw_schooling_status="HT07")
    police = make.user(roles.POLICE)
    record = {"child": {**{name: getattr(child, name) for name in CHILD_FIELDS},
                        "personal_id": personal_id(child.date_of_birth)},
              "caregivers": [{name: getattr(c, name) for name in CAREGIVER_FIELDS}
                             for c in child.caregivers]}
    with app.test_request_context():
        changes = register.update_child(police, child, record, source=register.Source("police"))
        db.session.flush()
    assert [c["field"] for c in changes] == ["child.personal_id"]
    assert (child.schooling_status, child.school_left_level) == ("HT07", None)

    login(officer)  # the officer's form asks them
    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    values["address"] = "Tổ 3"
    refused = client.post(f"/children/{child.id}/edit", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "school_left_level") == schooling.ASK_LEVEL
