"""Capture-page fixtures: a village, a collaborator of it and the commune officer."""

import pytest

from fieldapp import roles


@pytest.fixture()
def village(make):
    return make.village(name="Bản Nà Thử")


@pytest.fixture()
def collector(make, village):
    return make.user(roles.COLLABORATOR, [village])


@pytest.fixture()
def officer(make):
    return make.user(roles.COMMUNE_OFFICER)
