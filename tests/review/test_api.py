"""The review API (``/api/v1/review/submissions``): the inbox with filters and counts, one
submission beside the register, decisions with resolutions — the review page's rules and
scope — and every answer checked against the OpenAPI document."""

import uuid
from functools import partial

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEntry
from fieldapp.auth import roles
from fieldapp.children.models import Child, ChildChange
from fieldapp.children.queries import encode_cursor
from fieldapp.collection.models import Submission
from fieldapp.review import queries
from fieldapp.review.services import NOTE_LIMIT
from tests.api.conftest import assert_problem
from tests.api.test_openapi import conform, doc  # noqa: F401 - doc is a fixture
from tests.factories import COMMUNE_B
from tests.submissions import BORN, changed, make_item

LIST = "/api/v1/review/submissions"
ONE = "/api/v1/review/submissions/{submission_id}"


class Reviewer:
    """An officer's tool: every answer is checked against the document."""

    def __init__(self, api, document: dict):
        self.api, self.doc = api, document

    def inbox(self, **params):
        answer = self.api.get(LIST, query_string=params)
        conform(self.doc, "get", LIST, answer)
        return answer

    def one(self, key):
        answer = self.api.get(f"{LIST}/{key}")
        conform(self.doc, "get", ONE, answer)
        return answer

    def decide(self, key, body=None, **kwargs):
        answer = self.api.post(f"{LIST}/{key}", **({"json": body} if body is not None
                                                   else kwargs))
        conform(self.doc, "post", ONE, answer)
        return answer

    def ids(self, **params) -> list[str]:
        answer = self.inbox(**params)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [i["id"] for i in answer.get_json()["items"]]


@pytest.fixture()
def review_as(api_as, doc):  # noqa: F811 - the imported fixture
    return lambda user: Reviewer(api_as(user), doc)


@pytest.fixture()
def reviewer(review_as, officer):
    return review_as(officer)


def on_phone(api, child) -> dict:
    """An update of ``child`` as the collector's phone makes it from the packet."""
    packet = api.get("/api/v1/packet").get_json()
    seen = next(c for c in packet["children"] if c["id"] == str(child.id))
    household = next(h for h in packet["households"] if h["id"] == seen["household_id"])
    item = make_item(household["village"], child_id=seen["id"], base_version=seen["version"])
    item["data"] = {"household": {**household, "ref": None}, "child": seen["child"],
                    "caregivers": seen["caregivers"], "circumstances": seen["circumstances"],
                    "supports": seen["supports"]}
    return item


@pytest.fixture()
def stale(api, add_child, officer_does, submit, village):
    """A child renamed in the register (version 2) after the collector's phone took it at
    version 1; the collector renamed it too, and changed the mother's name and phone."""
    child = add_child()
    phone = on_phone(api, child)
    officer_does("update_child", child, {
        "child": {"full_name": "Lò Văn Thành", "sex": "1", "date_of_birth": child.date_of_birth,
                  "ethnicity_code": "03", "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    s, = submit(changed(phone, {"data.child.full_name": "Lò Văn Tâm",
                                "data.caregivers.0.full_name": "Lường Thị Xuân Hoa",
                                "data.caregivers.0.phone": "0987654321"}))
    return s, child


@pytest.fixture()
def elsewhere(db, api_as, make, village2):
    """Another collaborator's new child in the second village (no duplicate of anyone)."""
    other = make.user(roles.COLLABORATOR, [village2])
    api_as(other).submit(changed(make_item(village2.code), {
        "data.child.full_name": "Quàng Thị Mai", "data.child.sex": "2",
        "data.child.personal_id": None,
        "data.child.date_of_birth": BORN.replace(year=BORN.year - 2).isoformat()}))
    return other, db.session.scalars(select(Submission).where(Submission.user_id == other.id)
                                     ).one()


def submission(db, s: Submission) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, s.id)


def decisions(db, s: Submission) -> list[str]:
    return list(db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(s.id),
                                        AuditEntry.action.in_(("submission_approved",
                                                               "submission_returned",
                                                               "submission_rejected")))))


def children(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Child))


# The inbox


def test_the_inbox_lists_the_waiting_with_their_flags_and_counts(
        db, submit, item, reviewer, stale, elsewhere, village, village2, collector):
    s_update, child = stale
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


def test_filters_narrow_the_inbox_but_not_its_counts(db, submit, item, reviewer, stale,
                                                     elsewhere, village2, collector):
    s_update, _child = stale
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


def test_pages_follow_the_cursor(db, submit, item, reviewer, monkeypatch):
    sent = submit(*(item() for _ in range(5)))
    monkeypatch.setattr(queries, "page", partial(queries.page, size=2))
    seen, cursor, pages = [], None, 0
    while True:
        body = reviewer.inbox(**({"cursor": cursor} if cursor else {})).get_json()
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


def test_one_submission_shows_its_fields_beside_the_register(db, reviewer, stale, officer):
    s, child = stale
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


# Decisions


def test_approving_a_new_child_puts_it_in_the_register(db, submit, item, reviewer):
    s, = submit(item())
    answer = reviewer.decide(s.id, {"action": "approve"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    child = db.session.get(Child, uuid.UUID(body["child_id"]))
    assert body == {"id": str(s.id), "state": "approved", "note": None,
                    "child_id": str(child.id), "child_version": 1}
    assert (child.full_name, str(child.household_id)) == ("Lò Văn Thanh",
                                                          s.data["household"]["ref"])
    change = db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)).one()
    assert (change.version, change.source, change.source_ref) == (1, "submission", str(s.id))
    assert decisions(db, s) == ["submission_approved"]
    assert reviewer.ids() == []
    shown = reviewer.one(s.id).get_json()
    assert (shown["state"], shown["kind"], shown["fields"]) == ("approved", "new", None)


def test_a_second_approval_is_told_it_was_decided(db, submit, item, reviewer, review_as,
                                                  officer2):
    s, = submit(item())
    assert reviewer.decide(s.id, {"action": "approve"}).status_code == 200
    for again in (reviewer, review_as(officer2)):
        for body in ({"action": "approve"}, {"action": "reject", "note": "Trùng"}):
            assert assert_problem(again.decide(s.id, body), 409)["code"] == "decided"
    assert children(db) == 1
    assert (submission(db, s).state, decisions(db, s)) == ("approved", ["submission_approved"])


@pytest.mark.parametrize(("action", "state"), [("return", "returned"), ("reject", "rejected")])
def test_return_and_reject_need_a_note(db, submit, item, reviewer, action, state):
    s, = submit(item())
    for body in ({"action": action}, {"action": action, "note": None},
                 {"action": action, "note": "  \n "}):
        problem = assert_problem(reviewer.decide(s.id, body), 422)
        assert list(problem["errors"]) == ["note"]
    assert submission(db, s).state == "received"
    answer = reviewer.decide(s.id, {"action": action, "note": " Sai  ngày sinh "})
    assert answer.get_json() == {"id": str(s.id), "state": state, "note": "Sai ngày sinh",
                                 "child_id": None, "child_version": None}
    assert decisions(db, s) == [f"submission_{state}"] and children(db) == 0


def test_a_stale_update_needs_a_choice_for_what_both_changed(db, reviewer, stale):
    s, child = stale
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve"}), 422)
    assert list(problem["errors"]) == ["child.full_name"]
    db.session.expire_all()
    assert (submission(db, s).state, child.version, child.full_name) == (
        "received", 2, "Lò Văn Thành")
    assert decisions(db, s) == []


@pytest.mark.parametrize(("choice", "name"), [("register", "Lò Văn Thành"),
                                              ("proposed", "Lò Văn Tâm")])
def test_a_resolution_decides_what_both_changed(db, reviewer, stale, choice, name):
    s, child = stale
    answer = reviewer.decide(s.id, {"action": "approve", "register_version": 2,
                                    "resolutions": {"child.full_name": choice}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["child_version"] == 3
    db.session.expire_all()
    mother = child.caregivers[0]
    assert (child.full_name, mother.full_name, mother.phone, child.version) == (
        name, "Lường Thị Xuân Hoa", "0987654321", 3)  # the collector's changes by default


def test_keeping_what_only_the_collector_changed(db, reviewer, stale):
    s, child = stale
    answer = reviewer.decide(s.id, {"action": "approve", "resolutions": {
        "child.full_name": "proposed", "caregivers.0.full_name": "register"}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    db.session.expire_all()
    mother = child.caregivers[0]
    assert (child.full_name, mother.full_name, mother.phone) == (
        "Lò Văn Tâm", "Lường Thị Xuân", "0987654321")


@pytest.mark.parametrize(("resolutions", "wrong"), [
    ({"child.full_name": "register", "child.nickname": "proposed"}, "child.nickname"),
    ({"child.full_name": "register", "child.sex": "proposed"}, "child.sex"),  # no difference
    ({"child.full_name": "mine"}, "child.full_name"),
    ({"child.full_name": ["register"]}, "child.full_name"),
    ({"caregivers.0.full_name": "register"}, "child.full_name"),  # still to choose
])
def test_a_resolution_that_is_not_one_is_a_422(db, reviewer, stale, resolutions, wrong):
    s, child = stale
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve",
                                                    "resolutions": resolutions}), 422)
    assert list(problem["errors"]) == [wrong]
    db.session.expire_all()
    assert (submission(db, s).state, child.version) == ("received", 2)


def test_a_register_changed_since_it_was_read_applies_nothing(db, reviewer, stale):
    s, child = stale
    answer = reviewer.decide(s.id, {"action": "approve", "register_version": 1,
                                    "resolutions": {"child.full_name": "proposed"}})
    assert assert_problem(answer, 409)["code"] == "register_changed"
    db.session.expire_all()
    assert (submission(db, s).state, child.version, decisions(db, s)) == ("received", 2, [])


def test_a_resolution_on_a_new_child_is_a_422(db, submit, item, reviewer):
    s, = submit(item())
    problem = assert_problem(reviewer.decide(s.id, {
        "action": "approve", "resolutions": {"child.full_name": "register"}}), 422)
    assert list(problem["errors"]) == ["child.full_name"]
    assert children(db) == 0


def test_an_approval_refused_by_todays_rules_applies_nothing(db, submit, item, reviewer,
                                                             village):
    s, = submit(item())
    village.active = False  # valid when received; the village was retired since
    db.session.flush()
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve"}), 422)
    assert list(problem["errors"]) == ["child.village"]
    s = submission(db, s)
    assert (s.state, s.decided_at, s.decided_by_id) == ("received", None, None)
    assert (children(db), decisions(db, s)) == (0, [])
    village.active = True
    db.session.flush()
    assert reviewer.decide(s.id, {"action": "approve"}).status_code == 200


BAD_BODIES = [
    ({}, ["action"]),
    ({"action": "approve_all"}, ["action"]),
    ({"action": None}, ["action"]),
    ({"action": "return", "note": "x" * (NOTE_LIMIT + 1)}, ["note"]),
    ({"action": "return", "note": "Sai\x00tên"}, ["note"]),
    ({"action": "return", "note": 5}, ["note"]),
    ({"action": "approve", "register_version": "2"}, ["register_version"]),
    ({"action": "approve", "register_version": 1.5}, ["register_version"]),
    ({"action": "approve", "resolutions": ["child.full_name"]}, ["resolutions"]),
    ({"action": "approve", "resolutions": None}, ["resolutions"]),
]


@pytest.mark.parametrize(("body", "errors"), BAD_BODIES)
def test_a_decision_that_is_not_one_is_a_422(db, submit, item, reviewer, body, errors):
    s, = submit(item())
    assert list(assert_problem(reviewer.decide(s.id, body), 422)["errors"]) == errors
    assert submission(db, s).state == "received"


@pytest.mark.parametrize(("data", "content_type"), [
    ("{", "application/json"), ("[]", "application/json"), ("null", "application/json"),
    ('{"action": "approve"}', "text/plain"), ('{"x": NaN}', "application/json"),
])
def test_a_body_that_is_not_a_json_object_is_a_400(db, submit, item, reviewer, data,
                                                   content_type):
    s, = submit(item())
    assert_problem(reviewer.decide(s.id, data=data, content_type=content_type), 400)
    assert submission(db, s).state == "received"


def test_a_body_above_the_limit_is_a_413(db, submit, item, reviewer):
    s, = submit(item())
    answer = reviewer.decide(s.id, {"action": "approve", "padding": "x" * 1_000_001})
    assert_problem(answer, 413)
