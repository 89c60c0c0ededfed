"""A household spanning two villages: every list of children goes through the child page's
own scope, so a village head never learns the name or birth date of a sibling who lives in
another village (whose own page answers 404), neither on a page nor in the packet."""

import pytest

from fieldapp import roles
from tests.children.pages import days_ago

SIBLING_BORN = days_ago(1500)


@pytest.fixture()
def family(add_child, village, village2):
    """Lò Văn An in village A; his sister Lò Thị Bích, same household, in village B."""
    an = add_child("Lò Văn An", born=days_ago(2000))
    bich = add_child("Lò Thị Bích", sex="2", born=SIBLING_BORN, place=village2,
                     household_id=an.household_id)
    return an, bich


def _shows_sister(text: str) -> bool:
    return any(s in text for s in ("Lò Thị Bích", f"{SIBLING_BORN:%d/%m/%Y}",
                                   SIBLING_BORN.isoformat()))


@pytest.mark.parametrize("role", [roles.VILLAGE_HEAD, roles.COLLABORATOR])
def test_a_field_worker_of_village_a_does_not_see_the_sibling(client, make, login, family,
                                                              village, role):
    an, bich = family
    login(make.user(role, [village]))
    page = client.get(f"/children/{an.id}")
    assert page.status_code == 200 and "Lò Văn An" in page.get_data(as_text=True)
    assert not _shows_sister(page.get_data(as_text=True))
    assert client.get(f"/children/{bich.id}").status_code == 404
    packet = client.get("/api/v1/packet")
    assert packet.status_code == 200 and not _shows_sister(packet.get_data(as_text=True))


def test_who_sees_both_villages_sees_the_sibling(client, make, login, family, village,
                                                 village2):
    an, _ = family
    login(make.user(roles.COLLABORATOR, [village, village2]))
    assert _shows_sister(client.get(f"/children/{an.id}").get_data(as_text=True))


def test_the_officer_sees_the_whole_household(client, login, officer, family):
    an, _ = family
    login(officer)
    assert _shows_sister(client.get(f"/children/{an.id}").get_data(as_text=True))
    household = client.get(f"/children/households/{an.household_id}").get_data(as_text=True)
    assert "Lò Văn An" in household and _shows_sister(household)
