"""Migrations on an empty database: upgrade to head matches the models exactly, and the way
down to base and back up works (ARCHITECTURE §3)."""

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import DBAPIError

from fieldapp import create_app
from fieldapp.extensions import db
from tests.conftest import _throwaway_postgres
from tests.postgres_url import admin_url


@pytest.fixture()
def fresh_url(tmp_path):
    """A database nobody has touched: a new SQLite file or a new PostgreSQL database."""
    if os.environ.get("FIELDAPP_TEST_ENGINE") != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    admin = admin_url()
    if admin is None:
        pytest.fail("FIELDAPP_TEST_ENGINE=postgresql but no PostgreSQL answers")
    yield from _throwaway_postgres(admin)


@pytest.fixture()
def fresh_app(fresh_url):
    app = create_app({"ENV": "test", "TESTING": True, "SECRET_KEY": "x",
                      "DATABASE_URL": fresh_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def pending_changes() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_leaves_no_autogenerate_diff(fresh_app):
    assert tables() == set()
    upgrade()
    assert tables() == set(db.metadata.tables)
    assert pending_changes() == []


def test_downgrade_to_base_and_upgrade_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert tables() == set()
    upgrade()
    assert pending_changes() == []
    with db.engine.begin() as connection:  # the data migration ran again
        assert connection.execute(sa.text("SELECT count(*) FROM code_item")).scalar_one() > 300
        connection.execute(sa.text("INSERT INTO audit_entry (at, action) VALUES (:at, 'x')"),
                           {"at": datetime.now(UTC)})
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_entry"))  # and the trigger came back
