"""Vietnam's time: the zone a phone's naive date and time is read in, and how pages show it;
and whether a time a phone sent can be stored at all."""

from datetime import UTC, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time


def local_time(when) -> str:
    """A time as Vietnam reads it: dd/mm/yyyy HH:MM ("—" for none)."""
    return when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if when else "—"


def storable_time(value: datetime) -> bool:
    """Can the database keep it? ``0001-01-01T00:00+07:00`` is before the first UTC year."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True
