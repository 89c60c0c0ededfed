"""access.get_or_404: every role against objects in and out of its places (DOMAIN §2)."""

import pytest
from sqlalchemy import inspect

from fieldapp import access, roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import User
from fieldapp.errors import NotFound
from fieldapp.places.models import Commune, Village

# name -> (model, how to find it in the world fixture)
OBJECTS = {
    "v1": Village, "v2": Village, "w1": Village,
    "A": Commune, "B": Commune,
    "self": User, "colleague_a": User, "stranger_b": User,
    "entry_a": AuditEntry, "entry_b": AuditEntry,
}
COMMUNE_ROLE_SEES = {"v1", "v2", "A", "self"}
SEES = {
    roles.COLLABORATOR: {"v1", "A", "self"},
    roles.VILLAGE_HEAD: {"v1", "A", "self"},
    roles.COMMUNE_OFFICER: COMMUNE_ROLE_SEES | {"colleague_a", "entry_a"},
    roles.POLICE: COMMUNE_ROLE_SEES,
    roles.COMMUNE_LEADER: COMMUNE_ROLE_SEES,
    roles.PROVINCE_VIEWER: {"v1", "v2", "A", "self"},
    roles.ADMIN: set(OBJECTS),
}
TABLE = [
    pytest.param(role, name, name in SEES[role], id=f"{role}-{name}")
    for role in roles.ALL
    for name in OBJECTS
]


def _key(obj):
    return inspect(obj).identity[0]


@pytest.mark.parametrize(("role", "name", "visible"), TABLE)
def test_get_or_404(world, role, name, visible):
    user = world.users[role]
    target = user if name == "self" else getattr(world, name)
    model = OBJECTS[name]
    key = target if model is Commune else _key(target)
    if visible:
        found = access.get_or_404(model, key, user)
        assert _key(found) == key
    else:
        with pytest.raises(NotFound) as caught:
            access.get_or_404(model, key, user)
        assert caught.value.status == 404


def test_every_role_is_in_the_table():
    assert set(SEES) == set(roles.ALL)


@pytest.mark.parametrize("role", roles.ALL)
def test_missing_object_is_404_even_for_admin(world, role):
    with pytest.raises(NotFound):
        access.get_or_404(Village, "03808-999", world.users[role])
