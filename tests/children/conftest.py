import pytest


@pytest.fixture()
def ctx(app, db):
    """A request context on the test database: code lists are read from it (cached in ``g``)."""
    with app.test_request_context():
        yield db
