"""The report calendar (issue 15 §2): the reporting year's start, the reports of the current
and next cycle, the next one due and its days left, the /reports page's quick dates; with the
defaults (15/05, 20/05, 10/11, 15/11), a province's own dates, 29 February and a due date on
or before its cut-off (a hand-edited table)."""

from datetime import date

import pytest

from fieldapp import roles
from fieldapp.reports import calendar
from fieldapp.settings import services as settings
from fieldapp.settings.models import ProvinceSetting

SON_LA, DA_NANG = "14", "48"
D = date


@pytest.fixture()
def admin(make):
    return make.user(roles.ADMIN)


def change(admin, province=SON_LA, **values):
    settings.change_province_settings(admin, province, values)


@pytest.mark.parametrize("day, start", [
    (D(2027, 1, 1), D(2026, 11, 11)), (D(2027, 5, 15), D(2026, 11, 11)),
    (D(2027, 11, 10), D(2026, 11, 11)), (D(2027, 11, 11), D(2027, 11, 11)),
    (D(2027, 12, 31), D(2027, 11, 11)),
])
def test_the_reporting_year_starts_the_day_after_the_annual_cutoff(db, day, start):
    assert calendar.period_start(SON_LA, day) == start


def labels(reports):
    return [(r.kind, r.label, r.cutoff, r.due, r.start) for r in reports]


def test_the_reports_of_the_current_and_next_cycle(db):
    assert labels(calendar.deadlines(SON_LA, D(2027, 5, 8))) == [
        ("half_year", "Báo cáo 6 tháng đầu năm 2027", D(2027, 5, 15), D(2027, 5, 20),
         D(2026, 11, 11)),
        ("year", "Báo cáo năm 2027", D(2027, 11, 10), D(2027, 11, 15), D(2026, 11, 11)),
        ("half_year", "Báo cáo 6 tháng đầu năm 2028", D(2028, 5, 15), D(2028, 5, 20),
         D(2027, 11, 11)),
        ("year", "Báo cáo năm 2028", D(2028, 11, 10), D(2028, 11, 15), D(2027, 11, 11)),
    ]


@pytest.mark.parametrize("today, label, days", [
    (D(2027, 5, 8), "Báo cáo 6 tháng đầu năm 2027", 12),
    (D(2027, 5, 20), "Báo cáo 6 tháng đầu năm 2027", 0),
    (D(2027, 5, 21), "Báo cáo năm 2027", 178),
    # After the annual cut-off the new reporting year has begun, but last year's report is
    # still to send until its due date.
    (D(2027, 11, 12), "Báo cáo năm 2027", 3),
    (D(2027, 11, 16), "Báo cáo 6 tháng đầu năm 2028", 186),
    (D(2027, 1, 1), "Báo cáo 6 tháng đầu năm 2027", 139),
])
def test_the_next_due_report_and_the_days_left(db, today, label, days):
    report = calendar.next_due(SON_LA, today)
    assert (report.label, report.days_left(today)) == (label, days)
    assert report.due >= today


def test_a_province_with_its_own_dates(db, admin):
    change(admin, half_year_cutoff="30/06", half_year_due="15/07", year_cutoff="15/12",
           year_due="25/12")
    report = calendar.next_due(SON_LA, D(2027, 5, 21))
    assert (report.label, report.cutoff, report.due, report.start) == (
        "Báo cáo 6 tháng đầu năm 2027", D(2027, 6, 30), D(2027, 7, 15), D(2026, 12, 16))
    assert calendar.period_start(SON_LA, D(2027, 12, 16)) == D(2027, 12, 16)
    # The other province keeps the defaults.
    assert calendar.next_due(DA_NANG, D(2027, 5, 21)).label == "Báo cáo năm 2027"
    assert calendar.period_start(DA_NANG, D(2027, 12, 16)) == D(2027, 11, 11)


def test_29_february_falls_on_the_28th_in_a_common_year(db, admin):
    change(admin, half_year_cutoff="29/02", half_year_due="10/03", year_cutoff="29/02",
           year_due="15/03")
    assert calendar.period_start(SON_LA, D(2027, 2, 28)) == D(2026, 3, 1)
    assert calendar.period_start(SON_LA, D(2027, 3, 1)) == D(2027, 3, 1)
    assert calendar.period_start(SON_LA, D(2028, 2, 29)) == D(2027, 3, 1)
    assert calendar.period_start(SON_LA, D(2028, 3, 1)) == D(2028, 3, 1)
    year = calendar.next_due(SON_LA, D(2028, 3, 11))
    assert (year.label, year.cutoff, year.due, year.start) == (
        "Báo cáo năm 2028", D(2028, 2, 29), D(2028, 3, 15), D(2027, 3, 1))


def test_a_due_date_on_or_before_its_cutoff_falls_in_the_next_year(db):
    """The settings refuse it; a table edited by hand may still hold it."""
    db.session.add_all([ProvinceSetting(key="year_cutoff", province_code=SON_LA, value="31/12"),
                        ProvinceSetting(key="year_due", province_code=SON_LA, value="15/01")])
    db.session.flush()
    report = calendar.next_due(SON_LA, D(2028, 1, 3))
    assert (report.label, report.cutoff, report.due, report.start) == (
        "Báo cáo năm 2027", D(2027, 12, 31), D(2028, 1, 15), D(2027, 1, 1))
    assert report.days_left(D(2028, 1, 3)) == 12
    assert calendar.next_due(SON_LA, D(2028, 1, 16)).label == "Báo cáo 6 tháng đầu năm 2028"


@pytest.mark.parametrize("today, half, year", [
    (D(2027, 6, 1), ("Báo cáo 6 tháng đầu năm 2027", D(2027, 5, 15)),
     ("Báo cáo năm 2026", D(2026, 11, 10))),
    (D(2027, 5, 15), ("Báo cáo 6 tháng đầu năm 2026", D(2026, 5, 15)),
     ("Báo cáo năm 2026", D(2026, 11, 10))),
    (D(2027, 12, 1), ("Báo cáo 6 tháng đầu năm 2027", D(2027, 5, 15)),
     ("Báo cáo năm 2027", D(2027, 11, 10))),
])
def test_the_quick_dates_are_today_and_the_last_cutoffs_before_it(db, today, half, year):
    assert calendar.quick_dates(SON_LA, today) == [("Hôm nay", today), half, year]
