"""Print the PostgreSQL URL the tests would use and exit 0, or exit 1 when none answers.

``FIELDAPP_TEST_POSTGRES_URL`` set but unreachable is an error (exit 2): CI insists on it.
"""

import os
import sys

import sqlalchemy as sa

DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str | None:
    url = os.environ.get("FIELDAPP_TEST_POSTGRES_URL")
    try:
        engine = sa.create_engine(url or DEFAULT, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        if url:
            print(f"FIELDAPP_TEST_POSTGRES_URL is set but not reachable: {error}", file=sys.stderr)
            sys.exit(2)
        return None
    return url or DEFAULT


if __name__ == "__main__":
    found = admin_url()
    if found is None:
        sys.exit(1)
    print(found)
