"""Dates are YYYY-MM-DD and amounts are whole đồng in ASCII digits, nothing looser: what the
forms and the phone send, and what the phone checks before saving."""

from datetime import date

import pytest

from fieldapp.children.validators import parse_amount, parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("2015-03-04", date(2015, 3, 4)), (" 2015-03-04 ", date(2015, 3, 4)),
    (date(2015, 3, 4), date(2015, 3, 4)), ("2019-02-29", None), ("20150304", None),
    ("2015030499", None), ("2015-W10-3", None), ("2015-03-04T08:00", None), ("04/03/2015", None),
    ("２０１５-03-04", None), ("", None), (None, None),
])
def test_dates_are_only_iso_days(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("500.000", 500000), ("1,000", 1000), (" 360000 ", 360000), (500000, 500000),
    (500000.0, 500000), (1.5, None), ("-5", None), ("+5", None), ("1_000", None),
    ("５００", None), ("500 000", None), ("abc", None), (True, None),
])
def test_amounts_are_whole_dong_in_plain_digits(value, expected):
    assert parse_amount(value) == expected
