"""One way to show a date or a time (fieldapp/clock.py ``shown``, the ``|shown`` filter)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from fieldapp.clock import day_of, shown


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(datetime(2026, 12, 6, 13, 36, tzinfo=UTC), "06/12/2026 20:36", id="utc"),
        pytest.param(datetime(2026, 12, 6, 16, 59, tzinfo=UTC), "06/12/2026 23:59",
                     id="a minute before Vietnam's midnight"),
        pytest.param(datetime(2026, 12, 6, 17, 0, tzinfo=UTC), "07/12/2026 00:00",
                     id="utc evening is the next day in Vietnam"),
        pytest.param(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "01/01/2027 06:30",
                     id="across the year"),
        pytest.param(datetime(2026, 12, 6, 17, 0), "07/12/2026 00:00",
                     id="naive is utc, as stored"),
        pytest.param(datetime(2026, 12, 6, 20, 36, tzinfo=timezone(timedelta(hours=7))),
                     "06/12/2026 20:36", id="already vietnam"),
        pytest.param(datetime(2026, 3, 1, 9, 5, 59, tzinfo=UTC), "01/03/2026 16:05",
                     id="no seconds"),
        pytest.param(date(2026, 3, 1), "01/03/2026", id="a date alone"),
        pytest.param(None, "—", id="none"),
        pytest.param("", "—", id="empty"),
    ],
)
def test_shown(value, expected):
    assert shown(value) == expected


def test_day_of_is_vietnams_date():
    assert day_of(datetime(2026, 12, 6, 17, 0, tzinfo=UTC)) == date(2026, 12, 7)
    assert day_of(datetime(2026, 12, 6, 16, 59, tzinfo=UTC)) == date(2026, 12, 6)


def test_the_filter_is_in_every_template(app):
    template = app.jinja_env.from_string("{{ when|shown }}")
    assert template.render(when=datetime(2026, 12, 6, 13, 36, tzinfo=UTC)) == "06/12/2026 20:36"
