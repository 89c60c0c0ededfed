"""Run the backup commands and read a database whole."""

import sqlalchemy as sa

from fieldapp.extensions import db


def run(app, *args):
    """``flask <args>`` against ``app``'s database; the click result."""
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def contents(app) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two databases holding the same data compare equal."""
    with app.app_context():
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        with db.engine.connect() as conn:
            out = {name: sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(table)))
                   for name, table in metadata.tables.items()}
        db.engine.dispose()
    return out


def restored_elsewhere(databases, backup):
    """A new empty database with ``backup`` restored into it; its app."""
    app = databases.app(databases.new())
    result = run(app, "restore", backup, "--yes")
    assert result.exit_code == 0, result.output
    return app
