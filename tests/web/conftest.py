"""Pages to inspect, each fetched by a role that may see it, and a second app factory."""

import pytest

from fieldapp import create_app, roles
from fieldapp.extensions import db as _db

# path -> the role that opens it (None: anonymous)
PAGES = {
    "/login": None,
    "/offline": None,
    "/": roles.COMMUNE_OFFICER,
    "/account/password": roles.COMMUNE_OFFICER,
    "/villages/": roles.COMMUNE_OFFICER,
    "/villages/03808-001/rename": roles.COMMUNE_OFFICER,
    "/accounts/": roles.COMMUNE_OFFICER,
    "/accounts/new": roles.COMMUNE_OFFICER,
    "/audit/": roles.COMMUNE_OFFICER,
    "/devices": roles.COMMUNE_OFFICER,
}


@pytest.fixture()
def page(client, make, login):
    """``page(path, role=None, **kwargs)``: the answer to GET ``path`` as a user of ``role``,
    with a village in 03808 so that the village lists and checkboxes are not empty."""

    def fetch(path: str, role: str | None = None, **kwargs):
        make.village()
        if role is not None:
            login(make.user(role, ["14"] if role == roles.PROVINCE_VIEWER else None))
        return client.get(path, **kwargs)

    return fetch


@pytest.fixture()
def other_app(tmp_path):
    """``other_app(**config)``: a separate app on an empty SQLite file (not migrated)."""
    made = []

    def build(**config):
        settings = {"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
        built = create_app({**settings, **config})
        made.append(built)
        return built

    yield build
    for built in made:
        with built.app_context():
            _db.engine.dispose()
