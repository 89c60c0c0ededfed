"""The review API's inbox (``GET /api/v1/review/submissions``) with filters, counts and
cursors, one submission beside the register, and who may call it; every answer is checked
against the OpenAPI document."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.cursors import encode_cursor
from tests.api.problems import assert_problem
from tests.api.test_openapi import conform
from tests.factories import COMMUNE_B
from tests.review.reviewer import LIST, ONE, submission

# The inbox


def test_the_inbox_lists_the_waiting_with_their_flags_and_counts(
        db, submit, item, reviewer, stale_update, elsewhere, village, village2, collector):
    s_update, child = stale_update
    twin, = submit(item())  # same name and birth date as the register's child
    other, mai = elsewhere
    answer = reviewer.inbox()
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["next"] is None
    items = {i["id"]: i for i in body["items"]}
    assert list(items) == [str(s_update.id), str(mai.id), str(twin.id)]  # oldest first
    update = items[str(s_update.id)]
    assert (update["kind"], update["child_id"], update["base_version"],
            update["current_version"], update["stale"]) == ("update", str(child.id), 1, 2, True)
    assert update["collector"] == {"id": collector.id, "username": collector.username,
                                   "full_name": collector.full_name}
    new = items[str(twin.id)]
    assert (new["kind"], new["label"], new["village"]) == ("new", "Lò Văn Thanh", village.code)
    assert [d["child_id"] for d in new["duplicates"]] == [str(child.id)]
    assert "Cùng ngày sinh" in new["duplicates"][0]["reasons"]
    counts = body["counts"]
    assert (counts["total"], counts["kinds"]) == (3, {"new": 2, "update": 1})
    assert counts["flags"] == {"stale": 1, "conflict": 0, "overdue": 0}
    assert [(v["code"], v["count"]) for v in counts["villages"]] == [(village.code, 2),
                                                                     (village2.code, 1)]
    assert sorted((c["id"], c["count"]) for c in counts["collectors"]) == [(collector.id, 2),
                                                                           (other.id, 1)]


def test_a_waiting_twin_is_a_duplicate_in_the_api(db, submit, item, reviewer, api_as, make,
                                                  village):
    other_collector = make.user(roles.COLLABORATOR, [village])
    mine, = submit(item())
    twin = item()
    assert api_as(other_collector).submit(twin)[0]["status"] == "accepted"
    body = reviewer.inbox(flag="duplicate").get_json()
    duplicates = {i["id"]: i["duplicates"] for i in body["items"]}
    assert [(d["child_id"], d["submission_id"]) for d in duplicates[str(mine.id)]] == [
        (None, twin["uuid"])]
    assert [d["submission_id"] for d in duplicates[twin["uuid"]]] == [str(mine.id)]


def test_filters_narrow_the_inbox_but_not_its_counts(db, submit, item, reviewer, stale_update,
                                                     elsewhere, village2, collector):
    s_update, _child = stale_update
    twin, = submit(item())
    _other, mai = elsewhere
    assert reviewer.ids(kind="update") == [str(s_update.id)]
    assert reviewer.ids(kind="new") == [str(mai.id), str(twin.id)]
    assert reviewer.ids(village=village2.code) == [str(mai.id)]
    assert reviewer.ids(collector=collector.id) == [str(s_update.id), str(twin.id)]
    assert reviewer.ids(flag="stale") == [str(s_update.id)]
    assert reviewer.ids(flag="duplicate") == [str(twin.id)]
    assert reviewer.ids(flag="conflict") == reviewer.ids(flag="overdue") == []
    assert reviewer.ids(kind="", flag="") == [str(s_update.id), str(mai.id), str(twin.id)]
    assert reviewer.inbox(kind="update").get_json()["counts"]["total"] == 3


def test_pages_follow_the_cursor(db, submit, item, reviewer):
    sent = submit(*(item() for _ in range(5)))
    seen, cursor, pages = [], None, 0
    while True:
        body = reviewer.inbox(limit=2, **({"cursor": cursor} if cursor else {})).get_json()
        seen += [i["id"] for i in body["items"]]
        pages, cursor = pages + 1, body["next"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [str(s.id) for s in sorted(sent, key=lambda s: (s.received_at, s.id))]


FORGED = [
    ("kind", "all"), ("flag", "urgent"), ("collector", "abc"), ("collector", "²"),
    ("collector", "0"), ("collector", "99999999999999999999"), ("village", "03808-0\x002"),
    ("village", "x" * 40), ("cursor", "nope"), ("cursor", "x" * 300),
    ("cursor", encode_cursor(["2026-01-01T00:00:00", str(uuid.uuid4())])),  # no offset
    ("cursor", encode_cursor(["0001-01-01T00:00:00+07:00", str(uuid.uuid4())])),
    ("cursor", encode_cursor(["2026-01-01T00:00:00+00:00", "not-a-uuid"])),
    ("cursor", encode_cursor({"a": 1, "b": 2})),
]


@pytest.mark.parametrize(("name", "value"), FORGED)
def test_a_bad_filter_is_a_400_naming_it(db, submit, item, reviewer, name, value):
    submit(item())
    body = assert_problem(reviewer.inbox(**{name: value}), 400)
    assert list(body["errors"]) == [name]


# One submission


def test_one_submission_shows_its_fields_beside_the_register(db, reviewer, stale_update, officer):
    s, child = stale_update
    answer = reviewer.one(s.id)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert (body["id"], body["state"], body["stale"], body["current_version"]) == (
        str(s.id), "received", True, 2)
    fields = {f["path"]: f for f in body["fields"]}
    assert fields["child.full_name"] == {
        "path": "child.full_name", "base": "Lò Văn Thanh", "current": "Lò Văn Thành",
        "proposed": "Lò Văn Tâm", "differs": True, "must_choose": True, "default": None,
        "keepable": True}
    assert fields["caregivers.0.phone"] == {
        "path": "caregivers.0.phone", "base": None, "current": None, "proposed": "0987654321",
        "differs": True, "must_choose": False, "default": "proposed", "keepable": True}
    assert fields["child.sex"]["differs"] is False
    assert body["errors"] == {}
    viewed = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "submission_viewed", AuditEntry.object_id == str(s.id))).one()
    assert viewed.user_id == officer.id


def test_a_new_childs_fields_have_nothing_to_compare(db, submit, item, reviewer):
    s, = submit(item())
    body = reviewer.one(s.id).get_json()
    assert (body["kind"], body["child_id"], body["current_version"]) == ("new", None, None)
    name = next(f for f in body["fields"] if f["path"] == "child.full_name")
    assert (name["current"], name["proposed"], name["must_choose"]) == (None, "Lò Văn Thanh",
                                                                        False)


@pytest.mark.parametrize("key", ["nope", str(uuid.uuid4()), "1"])
def test_an_unknown_submission_is_a_404(db, reviewer, key):
    assert_problem(reviewer.one(key), 404)
    assert_problem(reviewer.decide(key, {"action": "approve"}), 404)


# Who may


def test_another_communes_officer_neither_sees_nor_decides(db, make, submit, item, review_as):
    s, = submit(item())
    far = review_as(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    assert far.ids() == []
    assert far.inbox().get_json()["counts"]["total"] == 0
    assert_problem(far.one(s.id), 404)
    assert_problem(far.decide(s.id, {"action": "approve"}), 404)
    assert submission(db, s).state == "received"


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE,
                                  roles.COMMUNE_LEADER, roles.ADMIN])
def test_other_roles_are_refused(db, make, submit, item, review_as, village, role):
    s, = submit(item())
    places = [village] if role in roles.FIELD else None
    other = review_as(make.user(role, places))
    assert_problem(other.inbox(), 403)
    assert_problem(other.one(s.id), 403)
    assert_problem(other.decide(s.id, {"action": "approve"}), 403)
    assert submission(db, s).state == "received"


def test_no_credentials_is_a_401(db, client, doc, submit, item):  # noqa: F811
    s, = submit(item())
    conform(doc, "get", LIST, client.get(LIST))
    answer = client.post(f"{LIST}/{s.id}", json={"action": "approve"})
    conform(doc, "post", ONE, answer)
    assert_problem(answer, 401)


def test_a_browser_session_reads_and_needs_csrf_to_decide(db, client, login, doc,  # noqa: F811
                                                          submit, item, officer):
    s, = submit(item())
    login(officer)
    assert client.get(LIST).status_code == 200
    answer = client.post(f"{LIST}/{s.id}", json={"action": "approve"})
    conform(doc, "post", ONE, answer)
    assert assert_problem(answer, 403)["code"] == "csrf"
    assert submission(db, s).state == "received"
