"""Stand-in until the report calendar lands (branch ``due``): the reporting year starts the
day after 10/11 of the year before."""

from datetime import date


def period_start(province_code: str, day: date) -> date:
    cutoff = date(day.year, 11, 10)
    return date(day.year, 11, 11) if day > cutoff else date(day.year - 1, 11, 11)


def quick_dates(province_code: str, today: date) -> list[tuple[str, date]]:
    half = date(today.year, 5, 15) if today >= date(today.year, 5, 15) else \
        date(today.year - 1, 5, 15)
    year = date(today.year, 11, 10) if today >= date(today.year, 11, 10) else \
        date(today.year - 1, 11, 10)
    return [("Hôm nay", today), ("Kỳ 6 tháng", half), ("Kỳ năm", year)]
