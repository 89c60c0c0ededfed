"""A migrated database with committed rows (a commune, two collectors, a ``note`` table that
tests write to from outside the app), and new empty databases to restore into."""

import pytest
import sqlalchemy as sa

from fieldapp.extensions import db
from tests.fresh import Databases, commune, migrate


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("backup"))
    yield made
    made.close()


@pytest.fixture(scope="module")
def source(databases):
    app = databases.app(databases.new())
    migrate(app)
    commune(app, collectors=2)
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE note (grp INTEGER, n INTEGER, body TEXT)"))
        db.session.execute(sa.text("INSERT INTO note VALUES (0, 1, 'first'), (0, 2, 'first')"))
        db.session.commit()
        db.session.remove()
    return app
