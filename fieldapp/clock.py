"""Vietnam's time: the zone a phone's naive date and time is read in, how pages show it and
read a day typed in a form, and whether a time a phone sent can be stored at all."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time
DAY, MOMENT = "%d/%m/%Y", "%d/%m/%Y %H:%M"


def shown(value) -> str:
    """A date or a time as every page, sheet and paper shows it: ``06/12/2026 20:36`` in
    Vietnam's time, ``06/12/2026`` for a date alone, "—" for none. A naive time is UTC, as
    the database stores them all (``db.UTCDateTime``)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(VIETNAM).strftime(MOMENT)
    if isinstance(value, date):
        return value.strftime(DAY)
    return str(value)


ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(value) -> date | None:
    """A ``YYYY-MM-DD`` date (what date pickers send), else ``None``.

    Only that form: ``date.fromisoformat`` alone would also take week dates and, in Python
    3.11, ignore trailing characters ("2015030499" read as 4 March 2015).
    """
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not ISO_DAY.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_of(when: datetime) -> date:
    """The date Vietnam was living at ``when``."""
    return when.astimezone(VIETNAM).date()


def today() -> date:
    """Today's date in Vietnam (the server's own clock may run in UTC)."""
    return datetime.now(VIETNAM).date()


def months_ago(today: date, months: int) -> date:
    """The same day ``months`` months before (the month's last day when it has no such
    day): a review period's start."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def storable_time(value: datetime) -> bool:
    """Can the database keep it? ``0001-01-01T00:00+07:00`` is before the first UTC year."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def init_app(app) -> None:
    """``{{ value|shown }}`` in every template."""
    app.jinja_env.filters["shown"] = shown
