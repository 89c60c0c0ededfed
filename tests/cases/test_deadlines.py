"""Deadlines counted on Vietnam's calendar (issue 16 §2): the plan by the end of the 5th
working day after the day a report was received (that day not counted), the initial
assessment 12 hours after it; weekends, public holidays, Tết and the government's swaps from
the ``holidays`` library, the admin's declared days first."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from fieldapp import roles
from fieldapp.cases import queries, services
from fieldapp.cases.deadlines import deadlines
from fieldapp.cases.models import Case
from fieldapp.clock import VIETNAM
from fieldapp.errors import Forbidden
from fieldapp.settings import services as settings
from fieldapp.workdays import is_working_day, working_day_after
from tests.conftest import csrf_token
from tests.factories import PASSWORD


@contextmanager
def statements(db):
    """The SQL statements run inside the block."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def received(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=VIETNAM).astimezone(UTC)


# (received, plan due: the 5th working day after, why)
TABLE = [
    (date(2026, 12, 4), date(2026, 12, 11), "a Friday afternoon: the weekend does not count"),
    (date(2026, 2, 13), date(2026, 2, 27), "the Friday before Tết: Giao thừa to Mùng bốn off"),
    (date(2026, 8, 28), date(2026, 9, 9), "before 2/9: 31/8 (bridge), 1/9 and 2/9 off"),
    (date(2026, 8, 20), date(2026, 8, 26), "across Saturday 22/8, worked in exchange for 31/8"),
    (date(2026, 4, 24), date(2026, 5, 6), "Hùng Kings' day (Monday in lieu), 30/4 and 1/5"),
]


@pytest.mark.parametrize(("day", "due", "why"), TABLE, ids=[row[2] for row in TABLE])
def test_the_plan_is_due_at_the_end_of_the_fifth_working_day(day, due, why, db):
    assert working_day_after(day, 5) == due, why
    case = Case(received_at=received(day), state="received")
    plan = deadlines(case).plan_due.astimezone(VIETNAM)
    assert plan.date() == due and (plan + timedelta(microseconds=1)).date() == due + timedelta(1)


def test_the_initial_assessment_is_due_twelve_hours_after_the_report(db):
    case = Case(received_at=received(date(2026, 12, 4), 20), state="received")
    due = deadlines(case)
    assert due.assessment_due == case.received_at + timedelta(hours=12)
    assert due.open == ("assessment", "plan")
    assert due.overdue(case.received_at + timedelta(hours=12)) == ("assessment",)
    assert due.overdue(case.received_at + timedelta(hours=11)) == ()


def test_a_deadline_met_is_no_longer_open(db):
    case = Case(received_at=received(date(2026, 12, 4)), state="assessed")
    assert deadlines(case).open == ("plan",)
    case.state = "planned"
    assert deadlines(case).open == ()
    assert deadlines(case).overdue(datetime(2027, 1, 1, tzinfo=UTC)) == ()


def test_the_admin_s_declared_days_come_before_the_library(db, make):
    admin = make.user(roles.ADMIN)
    friday, saturday = date(2026, 12, 11), date(2026, 12, 5)
    assert is_working_day(friday) and not is_working_day(saturday)
    settings.declare_day(admin, friday, False, "Nghỉ bù (thông báo của Chính phủ)")
    assert working_day_after(date(2026, 12, 4), 5) == date(2026, 12, 14)
    settings.declare_day(admin, saturday, True, "Làm bù")
    assert working_day_after(date(2026, 12, 4), 5) == date(2026, 12, 10)
    settings.forget_day(admin, friday)
    settings.forget_day(admin, saturday)
    assert working_day_after(date(2026, 12, 4), 5) == date(2026, 12, 11)
    assert [d.day for d in settings.calendar_days()] == []


def test_a_page_of_cases_reads_the_admin_s_days_once_and_counts_them(db, make):
    """The list's deadlines (``deadlines_of``) are each case's own, the admin's days read once
    for the whole page, reaching past the last report far enough for Tết."""
    settings.declare_day(make.user(roles.ADMIN), date(2026, 12, 11), False, "Nghỉ bù")
    cases = [Case(received_at=received(day), state="received")
             for day, _due, _why in TABLE]
    with statements(db) as seen:
        listed = services.deadlines_of(cases)
    assert len([sql for sql in seen if "calendar_day" in sql]) == 1
    assert listed == [deadlines(case) for case in cases]
    assert listed[0].plan_due.astimezone(VIETNAM).date() == date(2026, 12, 14)  # the day off
    assert services.deadlines_of([]) == []


def test_only_the_admin_declares_days(db, officer):
    with pytest.raises(Forbidden):
        settings.declare_day(officer, date(2026, 12, 11), False)


def test_the_admin_declares_a_day_on_the_settings_page(db, make, sign_in, officer):
    admin = make.user(roles.ADMIN)
    page, _ = sign_in(admin.username, PASSWORD)
    html = page.get("/settings").get_data(as_text=True)
    assert 'id="calendar"' in html and "Tết Nguyên Đán" in html
    token = csrf_token(page, "/settings")
    answer = page.post("/settings/calendar", data={"csrf_token": token, "day": "2026-12-11",
                                                   "working": "false", "note": "Nghỉ bù"})
    assert answer.status_code == 302
    assert working_day_after(date(2026, 12, 4), 5) == date(2026, 12, 14)
    refused = page.post("/settings/calendar", data={"csrf_token": token, "day": "",
                                                    "working": ""})
    assert refused.status_code == 422
    assert 'id="calendar-day-error"' in refused.get_data(as_text=True)
    page.post("/settings/calendar/2026-12-11/delete", data={"csrf_token": token})
    assert working_day_after(date(2026, 12, 4), 5) == date(2026, 12, 11)
    reader, _ = sign_in(officer.username, PASSWORD)
    html = reader.get("/settings").get_data(as_text=True)
    assert 'id="calendar"' in html and 'id="declare-day"' not in html
    mine = csrf_token(reader, "/settings")
    assert reader.post("/settings/calendar", data={"csrf_token": mine}).status_code == 403


def test_the_home_counts_cases_due_today_and_overdue(app, db, officer, add_child):
    child = add_child("Lò Văn Bình")
    report = {"received_at": "2026-12-04T08:00:00+07:00", "source": "school",
              "situation": "Trẻ nghỉ học.", "child_id": str(child.id)}
    with app.test_request_context():
        waiting = services.open_case(officer, report)
        assessed = services.open_case(officer, report)
        services.take_step(officer, assessed, "verify", {"founded": True})
        services.take_step(officer, assessed, "assess", {"risk": "thap", "emergency": False})
    db.session.commit()
    morning = datetime(2026, 12, 4, 10, 0, tzinfo=VIETNAM)  # assessments due at 20:00
    assert queries.counts(officer, morning) == {
        "open": 2, "overdue": 0, "due_today": 1, "waiting_approval": 0,
        "new_reports": 0, "urgent": 0}
    plan_day = datetime(2026, 12, 11, 10, 0, tzinfo=VIETNAM)  # both plans due tonight
    assert queries.counts(officer, plan_day) == {
        "open": 2, "overdue": 1, "due_today": 2, "waiting_approval": 0,
        "new_reports": 0, "urgent": 0}
    assert waiting.id and assessed.state == "assessed"
