"""Verification fixtures (the commune, its officers and register are tests/conftest.py's): the
commune's police, a police account of another commune, and a batch sent through the real service.

Pages are driven through the real HTTP stack with CSRF on (``page`` reads the tokens)."""

import re

import pytest

from fieldapp import roles
from fieldapp.verification import services
from tests.factories import COMMUNE_B

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture()
def police(make):
    return make.user(roles.POLICE)


@pytest.fixture()
def far_police(make, far_village):
    return make.user(roles.POLICE, [COMMUNE_B])


@pytest.fixture()
def send(app, db, officer):
    """``send(*children, actor=officer)``: a batch of the children, sent by the service."""

    def run(*children, actor=None, village=None):
        with app.test_request_context():
            batch, _ = services.create_batch(actor or officer, [c.id for c in children],
                                             village=village)
            db.session.flush()
        return batch

    return run


@pytest.fixture()
def three(add_child, village, village2):
    """Three children without an ID number (two boys, one girl), in two villages."""
    return [add_child("Lò Văn Thanh"), add_child("Cầm Thị Ánh", sex="2"),
            add_child("Quàng Văn Hùng", place=village2)]


@pytest.fixture()
def batch(send, three):
    return send(*three)


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)
