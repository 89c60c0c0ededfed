"""access.can / access.require: the actions table and the officer's narrower account rule."""

import pytest

from fieldapp import access, roles
from fieldapp.errors import Forbidden

ALLOWED = {
    "villages.manage": {roles.COMMUNE_OFFICER},
    "users.manage": {roles.COMMUNE_OFFICER, roles.ADMIN},
    "audit.read": {roles.COMMUNE_OFFICER, roles.ADMIN},
}
TABLE = [
    pytest.param(role, action, role in allowed, id=f"{action}-{role}")
    for action, allowed in ALLOWED.items()
    for role in roles.ALL
]


@pytest.mark.parametrize(("role", "action", "allowed"), TABLE)
def test_actions_table(world, role, action, allowed):
    user = world.users[role]
    assert access.can(user, action) is allowed
    if allowed:
        access.require(user, action)
    else:
        with pytest.raises(Forbidden) as caught:
            access.require(user, action)
        assert caught.value.status == 403


@pytest.mark.parametrize("role", roles.ALL)
def test_unknown_action_is_refused(world, role):
    assert access.can(world.users[role], "children.delete_everything") is False


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        (roles.COLLABORATOR, True),
        (roles.VILLAGE_HEAD, True),
        (roles.POLICE, False),
        (roles.COMMUNE_LEADER, False),
        (roles.COMMUNE_OFFICER, False),
    ],
)
def test_officer_manages_field_accounts_only(world, target, allowed):
    officer, account = world.users[roles.COMMUNE_OFFICER], world.users[target]
    assert access.can(officer, "users.manage", account) is allowed
    if not allowed:
        with pytest.raises(Forbidden):
            access.require(officer, "users.manage", account)


@pytest.mark.parametrize("target", roles.ALL)
def test_admin_manages_every_account(world, target):
    assert access.can(world.users[roles.ADMIN], "users.manage", world.users[target])
