"""Quality-list dates and numbers. Children come from ``add_child`` (tests/conftest.py), given
the faults legacy data has through its unchecked columns (the services refuse them, so a test
writes them straight onto the row)."""

from datetime import date, timedelta
from functools import partial

import pytest

from tests.submissions import child_id_number

TODAY = date.today()
BORN = date(TODAY.year - 7, 3, 15)  # a child of about seven


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def personal_id(born: date = BORN, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return child_id_number(born, sex, tail)


@pytest.fixture()
def add_child(add_child):
    """The one ``add_child`` of tests/conftest.py, born on BORN unless told: the quality lists
    read a child's birth year against its ID number."""
    return partial(add_child, born=BORN)
