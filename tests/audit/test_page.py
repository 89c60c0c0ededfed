"""The audit page /audit/: scoped, filtered by ids and dates, paginated by ``before``."""

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from fieldapp import roles
from fieldapp.clock import VIETNAM
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B


@pytest.fixture()
def people(make):
    """An officer and a collaborator of 03808, an officer of 21004 and an admin."""
    return {
        "officer": make.user(roles.COMMUNE_OFFICER),
        "collab": make.user(roles.COLLABORATOR),
        "officer_b": make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]),
        "admin": make.user(roles.ADMIN),
    }


def _objects(answer) -> set[str]:
    """The object ids shown in the entries table."""
    cells = re.findall(r'<td data-label="Đối tượng">([^<]*)</td>', answer.get_data(as_text=True))
    return {cell.split()[-1] for cell in cells if cell.split()}


def _older_link(answer) -> str | None:
    match = re.search(r'<a class="button" href="([^"]+)">Xem cũ hơn</a>', answer.get_data(True))
    return html.unescape(match.group(1)) if match else None


def test_officer_sees_own_commune_only_and_admin_all(client, login, entry, people):
    entry(people["collab"], "A-1", "03808")
    entry(people["officer_b"], "B-1", "21004")
    entry(None, "SYS-1")
    login(people["officer"])
    assert _objects(client.get("/audit/")) >= {"A-1"}
    assert not _objects(client.get("/audit/")) & {"B-1", "SYS-1"}
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(people["admin"])
    assert _objects(client.get("/audit/")) >= {"A-1", "B-1", "SYS-1"}


def test_filter_by_user_id(client, login, entry, people):
    entry(people["collab"], "BY-COLLAB", "03808")
    entry(people["officer"], "BY-OFFICER", "03808")
    login(people["officer"])
    page = client.get("/audit/").get_data(as_text=True)
    collab = people["collab"]
    assert f'<option value="{collab.id}">{collab.username}</option>' in page
    assert people["officer_b"].username not in page  # another commune's people are not offered
    assert _objects(client.get(f"/audit/?user={collab.id}")) == {"BY-COLLAB"}


def test_filter_by_object_type_and_id(client, login, entry, people):
    entry(people["officer"], "03808-001", "03808")
    entry(people["officer"], "03808-002", "03808")
    entry(people["officer"], str(people["collab"].id), "03808", object_type="user")
    login(people["officer"])
    assert _objects(client.get("/audit/?object_type=village")) == {"03808-001", "03808-002"}
    assert _objects(client.get("/audit/?object_id=03808-002")) == {"03808-002"}
    by_type_and_id = client.get(f"/audit/?object_type=user&object_id={people['collab'].id}")
    assert _objects(by_type_and_id) == {people["collab"].username}  # a person, named


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day_from=2026-01-10&day_to=2026-01-10",
         {"JAN-10-EARLY", "JAN-10-LATE", "JAN-10-LATE-UTC"}),
        ("day_from=2026-01-11", {"JAN-11", "JAN-11-EARLY-UTC"}),
        ("day_to=2026-01-09", {"JAN-09"}),
    ],
)
def test_filter_by_date_range(client, login, entry, people, query, expected):
    officer = people["officer"]
    for object_id, at in [
        ("JAN-09", datetime(2026, 1, 9, 23, 59, 59, tzinfo=VIETNAM)),
        ("JAN-10-EARLY", datetime(2026, 1, 10, 0, 0, tzinfo=VIETNAM)),
        ("JAN-10-LATE", datetime(2026, 1, 10, 23, 59, 59, tzinfo=VIETNAM)),
        ("JAN-11", datetime(2026, 1, 11, 0, 0, 1, tzinfo=VIETNAM)),
    ]:
        entry(officer, object_id, "03808", at=at)
    # the days are Vietnam's, as the page shows times: 16:59 UTC is 23:59 there
    entry(officer, "JAN-10-LATE-UTC", "03808", at=datetime(2026, 1, 10, 16, 59, 59, tzinfo=UTC))
    entry(officer, "JAN-11-EARLY-UTC", "03808", at=datetime(2026, 1, 10, 17, 0, tzinfo=UTC))
    login(officer)
    # the login itself writes an entry of today: keep only the invented days
    shown = {o for o in _objects(client.get(f"/audit/?{query}")) if o.startswith("JAN")}
    assert shown == expected


def test_older_entries_page_by_before_id_with_ids_only_in_the_url(client, login, entry, people):
    collab = people["collab"]
    written = [entry(collab, f"P-{n:02d}", "03808") for n in range(55)]
    login(people["officer"])
    first = client.get(f"/audit/?user={collab.id}&object_type=village")
    assert _objects(first) == {f"P-{n:02d}" for n in range(5, 55)}  # newest 50
    link = _older_link(first)
    args = parse_qs(urlsplit(link).query)
    assert args == {
        "user": [str(collab.id)], "object_type": ["village"], "before": [str(written[5].id)],
    }
    assert collab.username not in link
    second = client.get(link)
    assert _objects(second) == {f"P-{n:02d}" for n in range(5)}
    assert _older_link(second) is None


def test_filter_form_is_a_get_form_of_ids(client, login, people):
    login(people["officer"])
    page = client.get("/audit/").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/audit/"', page)
    values = re.findall(r'<option (?:selected )?value="([^"]*)"', _select(page, "user"))
    assert values[0] == "" and all(v.isdigit() for v in values[1:]) and len(values) > 2


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert match, f"no select {name}"
    return match.group(0)


def test_htmx_filter_answers_the_entries_fragment(client, login, entry, people):
    entry(people["officer"], "03808-001", "03808")
    login(people["officer"])
    answer = client.get("/audit/?object_type=village", headers={"HX-Request": "true"})
    body = answer.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="card" id="audit-entries">')
    assert "<html" not in body and "HX-Request" in answer.vary


@pytest.mark.parametrize(
    "role",
    [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE, roles.COMMUNE_LEADER,
     roles.PROVINCE_VIEWER],
)
def test_other_roles_are_refused(client, login, make, role):
    places = {"province_viewer": ["14"]}.get(role)
    login(make.user(role, places))
    answer = client.get("/audit/")
    assert answer.status_code == 403 and "Không có quyền" in answer.get_data(as_text=True)
