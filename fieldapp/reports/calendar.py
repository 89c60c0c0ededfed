"""The report calendar (issue 15 §2): a province's half-year and annual reports, their
cut-off ("số liệu tính đến ngày"), due date and period, from the province's settings.

The reporting year starts the day after the previous year's annual cut-off, so a report at a
day covers [start of the reporting year containing it, that day]. A cut-off or due date of
29/02 falls on 28/02 in a year without it (``DayMonth.in_year``); a due date on or before its
cut-off (the settings refuse it, a hand-edited table may not) falls in the next year.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from fieldapp.settings import services as settings

HALF_YEAR, YEAR = "half_year", "year"
LABELS = {HALF_YEAR: "Báo cáo 6 tháng đầu năm {}", YEAR: "Báo cáo năm {}"}
TODAY = "Hôm nay"


@dataclass(frozen=True)
class Due:
    """One report of the calendar: named by its cut-off's year."""

    kind: str
    label: str
    cutoff: date
    due: date
    start: date

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the due date (0 on the day, negative once past)."""
        return (self.due - today).days


def _dates(province_code: str | None) -> dict:
    return {item.key: settings.value(item.key, province_code)
            for item in settings.PROVINCE_SETTINGS}


def _start(dates: dict, day: date) -> date:
    cutoff = dates["year_cutoff"]
    this_year = cutoff.in_year(day.year)
    previous = cutoff.in_year(day.year - 1) if day <= this_year else this_year
    return previous + timedelta(days=1)


def _report(dates: dict, kind: str, year: int) -> Due:
    cutoff = dates[f"{kind}_cutoff"].in_year(year)
    due = dates[f"{kind}_due"].in_year(year)
    if due <= cutoff:
        due = dates[f"{kind}_due"].in_year(year + 1)
    return Due(kind, LABELS[kind].format(year), cutoff, due, _start(dates, cutoff))


def period_start(province_code: str | None, day: date) -> date:
    """The first day of the reporting year containing ``day``: the day after the annual
    cut-off of the previous year if ``day`` is on or before this year's, else the day after
    this year's."""
    return _start(_dates(province_code), day)


def deadlines(province_code: str | None, today: date) -> list[Due]:
    """The half-year and annual reports of the current cycle (the first whose annual report
    is due today or later) and of the next one, by due date."""
    dates = _dates(province_code)
    current = next(year for year in (today.year - 1, today.year, today.year + 1)
                   if _report(dates, YEAR, year).due >= today)
    reports = [_report(dates, kind, year) for year in (current, current + 1)
               for kind in (HALF_YEAR, YEAR)]
    return sorted(reports, key=lambda report: (report.due, report.cutoff))


def next_due(province_code: str | None, today: date) -> Due:
    """The first report due today or later."""
    return next(report for report in deadlines(province_code, today) if report.due >= today)


def quick_dates(province_code: str | None, today: date) -> list[tuple[str, date]]:
    """The /reports page's quick choices: today, then the most recent half-year and annual
    cut-offs before today, each named by its report."""
    dates = _dates(province_code)
    choices = [(TODAY, today)]
    for kind in (HALF_YEAR, YEAR):
        year = today.year if dates[f"{kind}_cutoff"].in_year(today.year) < today \
            else today.year - 1
        report = _report(dates, kind, year)
        choices.append((report.label, report.cutoff))
    return choices
