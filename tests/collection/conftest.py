"""A collaborator's world: their village and, made only when a case names them, a village of
the commune that is not theirs, a household in each, and a register child of their village."""

import json
from functools import cached_property

import pytest

from fieldapp import roles
from fieldapp.children import services
from tests.collection.snapshots import CAPTURE, FOREIGN, HOUSEHOLD, MOTHER, OTHER, OWN


class World:
    def __init__(self, make):
        self.make = make
        self.own = make.village()
        self.collaborator = make.user(roles.COLLABORATOR, [self.own])
        self.known = {}  # placeholder → real village code or household id

    def names(self, data) -> dict[str, str]:
        """The real name of each placeholder ``data`` uses, making what it names."""
        text = json.dumps(data)
        makers = {OWN: lambda: self.own.code, OTHER: lambda: self.other.code,
                  HOUSEHOLD: lambda: str(self.household.id),
                  FOREIGN: lambda: str(self.foreign_household.id)}
        self.known.update({p: make() for p, make in makers.items() if p in text})
        return dict(self.known)

    def placeholders(self, keys) -> set[str]:
        """The placeholders of real village codes or household ids (unknown ones as they are)."""
        by_name = {name: placeholder for placeholder, name in self.known.items()}
        return {by_name.get(str(key), str(key)) for key in keys}

    @cached_property
    def officer(self):
        return self.make.user(roles.COMMUNE_OFFICER)

    @cached_property
    def other(self):
        return self.make.village()

    @cached_property
    def household(self):
        return self._household(self.own)

    @cached_property
    def foreign_household(self):
        return self._household(self.other)

    @cached_property
    def child(self):
        """A child of the collaborator's village and household, in the register."""
        return self.make.child(self.officer, self.own, "Lò Văn An", born="2015-03-04",
                               household_id=str(self.household.id), caregivers=[dict(MOTHER)],
                               capture_date=CAPTURE)

    def _household(self, village):
        return services.create_household(self.officer, {
            "head_name": "Lò Văn Bình", "address": "Tổ 3", "village_code": village.code})


@pytest.fixture()
def world(app, db, make):
    """The world, inside a request context."""
    with app.test_request_context():
        yield World(make)
