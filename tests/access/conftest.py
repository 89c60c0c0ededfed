"""A small world of two communes in two provinces, a user of every role and two audit entries."""

from types import SimpleNamespace

import pytest

from fieldapp import roles
from fieldapp.audit.services import record
from tests.factories import COMMUNE_A, COMMUNE_B


@pytest.fixture()
def world(db, make):
    """Commune A 03808 (province 14) with villages v1, v2; commune B 21004 (province 48) with
    w1; one user per role scoped to v1, commune A or province 14; a colleague in A, a stranger
    in B; an audit entry filed under each commune."""
    v1, v2, w1 = make.village(COMMUNE_A), make.village(COMMUNE_A), make.village(COMMUNE_B)
    places = {"village": [v1], "commune": [COMMUNE_A], "province": ["14"], None: None}
    users = {role: make.user(role, places[roles.place_kind(role)]) for role in roles.ALL}
    colleague_a = make.user(roles.COLLABORATOR, [v2])
    stranger_b = make.user(roles.COLLABORATOR, [w1])
    entry_a = record(None, "village_created", "village", v1.code, commune_code=COMMUNE_A)
    entry_b = record(None, "village_created", "village", w1.code, commune_code=COMMUNE_B)
    db.session.flush()
    return SimpleNamespace(
        users=users, v1=v1, v2=v2, w1=w1, A=COMMUNE_A, B=COMMUNE_B,
        colleague_a=colleague_a, stranger_b=stranger_b, entry_a=entry_a, entry_b=entry_b,
    )
