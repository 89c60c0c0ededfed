"""Migration 0008: the pair tables come empty (``flask duplicates rebuild`` fills them after
an upgrade) and go on the way down."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from fieldapp.extensions import db
from tests.test_migrations import fresh_app, fresh_url, tables

__all__ = ["fresh_app", "fresh_url"]  # the fixtures, shared by name

PAIRS = {"duplicate_pair", "submission_pair"}


def test_0008_adds_the_pair_tables_empty_and_takes_them_away(fresh_app):
    upgrade(revision="0007")
    assert not tables() & PAIRS
    upgrade(revision="0008")
    assert tables() >= PAIRS
    with db.engine.connect() as connection:
        for table in PAIRS:
            assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0
    downgrade(revision="0007")
    assert not tables() & PAIRS
