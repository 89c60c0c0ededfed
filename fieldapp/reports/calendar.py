"""Stand-in until the report calendar lands (branch ``due``): the reporting year starts the
day after 10/11 of the year before."""

from datetime import date


def period_start(province_code: str, day: date) -> date:
    cutoff = date(day.year, 11, 10)
    return date(day.year, 11, 11) if day > cutoff else date(day.year - 1, 11, 11)
