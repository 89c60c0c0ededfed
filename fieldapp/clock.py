"""Vietnam's time: the zone a phone's naive date and time is read in, and how pages show it."""

from datetime import timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time


def local_time(when) -> str:
    """A time as Vietnam reads it: dd/mm/yyyy HH:MM ("—" for none)."""
    return when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if when else "—"
