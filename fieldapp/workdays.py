"""Vietnam's working days, for deadlines counted in them (ARCHITECTURE decision 11; issue 16:
a case's plan is due within 5 working days of the report).

Weekends, public holidays and Tết (lunar), and the bridge days with the Saturdays worked in
exchange that the government announced, come from the ``holidays`` library; the days the
admin records (``settings.models.CalendarDay``: an announcement the library does not have
yet, or one it has wrong) come first. Computed when read: nothing is scheduled.
"""

from datetime import date, timedelta
from functools import cache

import holidays
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.settings.models import CalendarDay


@cache
def _country():
    """Vietnam's calendar (years are added as they are asked for)."""
    return holidays.country_holidays("VN", language="vi")


def declared(start: date, end: date) -> dict[date, bool]:
    """The admin's days from ``start`` to ``end``: working or not."""
    return dict(db.session.execute(select(CalendarDay.day, CalendarDay.working).where(
        CalendarDay.day >= start, CalendarDay.day <= end)).all())


def is_working_day(day: date, days: dict[date, bool] | None = None) -> bool:
    """Whether ``day`` is a working day: the admin's word (``days``, else read) first."""
    days = declared(day, day) if days is None else days
    if day in days:
        return days[day]
    return _country().is_working_day(day)


def working_day_after(day: date, n: int, days: dict[date, bool] | None = None) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted): a report received
    on Friday 4/12/2026 has its 5th working day on Friday 11/12. ``days``: the admin's days,
    read already (else read here, a stretch at a time)."""
    current, left = day, n
    read_to = date.max if days is not None else day
    days = {} if days is None else days
    while left:
        current += timedelta(days=1)
        if current > read_to:
            read_to = current + timedelta(days=7 * left + 30)
            days.update(declared(current, read_to))
        if is_working_day(current, days):
            left -= 1
    return current


def upcoming_holidays(start: date, months: int) -> list[tuple[date, str]]:
    """The library's days off from ``start`` on, for ``months`` months (for the settings
    page, beside the admin's own)."""
    end = start + timedelta(days=31 * months)
    country = holidays.country_holidays("VN", years=range(start.year, end.year + 1),
                                        language="vi")
    return sorted((day, name) for day, name in country.items() if start <= day <= end)
