"""Scoping through HTTP: out of scope is 404, a forbidden page 403, anonymous goes to login."""

import pytest

from fieldapp import roles
from tests.conftest import csrf_token


def test_village_of_another_commune_is_404_for_the_officer(client, db, login, world):
    login(world.users[roles.COMMUNE_OFFICER])
    path = f"/villages/{world.w1.code}/rename"
    assert client.get(path).status_code == 404
    token = csrf_token(client, "/villages/")
    assert client.post(path, data={"csrf_token": token, "name": "Bản Lạ"}).status_code == 404
    toggled = client.post(f"/villages/{world.w1.code}/active", data={"csrf_token": token})
    assert toggled.status_code == 404
    db.session.refresh(world.w1)
    assert world.w1.active and world.w1.name != "Bản Lạ"


def test_village_of_own_commune_opens(client, login, world):
    login(world.users[roles.COMMUNE_OFFICER])
    assert client.get(f"/villages/{world.v2.code}/rename").status_code == 200


@pytest.mark.parametrize("role", roles.ALL)
def test_villages_page_is_for_the_commune_officer_only(client, login, world, role):
    login(world.users[role])
    expected = 200 if role == roles.COMMUNE_OFFICER else 403
    assert client.get("/villages/").status_code == expected


@pytest.mark.parametrize("path", ["/villages/", "/villages/03808-001/rename", "/audit/", "/"])
def test_anonymous_is_sent_to_login(client, world, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login")
