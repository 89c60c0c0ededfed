"""One live gunicorn for the fault tests (see live.py)."""

import os
import subprocess

import pytest

from tests.faults.live import Live
from tests.fresh import POSTGRES, Databases, commune, migrate

DISK_SIZE = "24m"


def _mount_small_disk(folder) -> bool:
    """A tmpfs of DISK_SIZE on ``folder`` when this process may mount one (root)."""
    if POSTGRES or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0700",
                           "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    disk = tmp_path_factory.mktemp("disk")
    mounted = _mount_small_disk(disk)
    databases = Databases(disk)
    server = None
    try:
        app = databases.app(databases.new())
        migrate(app)
        world = commune(app)
        databases.dispose()  # the server alone on the database
        pause = tmp_path_factory.mktemp("pause")
        server = Live(app.config["SQLALCHEMY_DATABASE_URI"], pause, world["village"],
                      world["tokens"][0], disk if mounted else None)
        server.start(tmp_path_factory.mktemp("log") / "gunicorn.log")
        yield server
    finally:
        if server is not None:
            server.stop()
        databases.close()
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)
