"""The audit page names people and children instead of showing ids, in Vietnam's time."""

import re
from datetime import UTC, datetime

import pytest

from fieldapp import roles
from tests.factories import PASSWORD

AT = datetime(2026, 12, 6, 13, 36, tzinfo=UTC)  # 20:36 in Vietnam


def _table(answer) -> str:
    html = answer.get_data(as_text=True)
    return re.search(r'<table class="list">.*?</table>', html, re.S).group(0)


@pytest.fixture()
def seen(db, officer, add_child, entry):
    """A named officer who viewed a child and renamed a colleague's account, at 20:36."""
    officer.full_name = "Hà Thị Cán Bộ"
    db.session.flush()
    child = add_child("Lò Thị Bé")
    entry(officer, str(child.id), officer.commune_code, object_type="child", at=AT)
    return child


def test_the_officer_reads_names_and_vietnam_times(client, login, officer, seen):
    login(officer, PASSWORD)
    table = _table(client.get(f"/audit/?object_type=child&object_id={seen.id}"))
    assert "06/12/2026 20:36" in table and "UTC" not in table
    assert f"Hà Thị Cán Bộ ({officer.username})" in table
    assert f'<a href="/children/{seen.id}">Lò Thị Bé</a>' in table
    assert str(seen.id) not in table.replace(f"/children/{seen.id}", "")


def test_the_user_filter_offers_names(client, login, officer, seen):
    login(officer, PASSWORD)
    page = client.get("/audit/").get_data(as_text=True)
    assert f'<option value="{officer.id}">Hà Thị Cán Bộ ({officer.username})</option>' in page


def test_an_admin_reads_no_childs_name(client, login, make, seen):
    login(make.user(roles.ADMIN), PASSWORD)
    table = _table(client.get(f"/audit/?object_type=child&object_id={seen.id}"))
    assert "Lò Thị Bé" not in table and str(seen.id) not in table  # admins read no register
    assert "Trẻ em\n            (không xem được)" in table
