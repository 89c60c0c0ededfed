"""Creating and changing a child through the services: versions, change history, audit,
closing, the 16th birthday, and scoping by role and place (DOMAIN §2, §4)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fieldapp import access, roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import services
from fieldapp.children.models import Caregiver, Child, ChildChange, Household
from fieldapp.errors import NotFound, ValidationFailed
from tests.children.records import MOTHER, record

pytestmark = pytest.mark.usefixtures("ctx")
TODAY = date.today()
HOUSEHOLD = {"head_name": "Lò Văn Bình", "address": "Tổ 3"}
FATHER = {"relation": "father", "full_name": "Lò Văn Bình", "personal_id": "", "phone": ""}


@pytest.fixture()
def villages(make):
    return make.village(), make.village()


@pytest.fixture()
def child(officer, villages):
    return new_child(officer, villages[0])


def new_child(actor, village, fields=None, *, capture_date=None, **sections):
    data = record({"village_code": village.code, **(fields or {})}, household=dict(HOUSEHOLD),
                  **sections)
    return services.create_child(actor, data, capture_date=capture_date)


def edit(child, fields=None, **sections):
    """The child's record as an edit form sends it (no household section), changed."""
    return record({"village_code": child.village_code, **(fields or {})}, **sections)


def history(db, child):
    query = select(ChildChange).where(ChildChange.child_id == child.id)
    return list(db.session.scalars(query.order_by(ChildChange.version)))


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_child_with_new_household(db, officer, villages):
    child = new_child(officer, villages[1], {"full_name": "nguyễn  văn an"})
    assert (child.version, child.full_name, child.name_key) == (1, "Nguyễn Văn An", "nguyen van an")
    assert (child.village_code, child.commune_code, child.province_code) == (
        "03808-002", "03808", "14")
    household = child.household
    assert (household.head_name, household.village_code, household.commune_code) == (
        "Lò Văn Bình", "03808-002", "03808")
    [change] = history(db, child)
    assert (change.version, change.source, change.user_id) == (1, "officer_edit", officer.id)
    assert {"field": "child.full_name", "old": None, "new": "Nguyễn Văn An"} in change.changes
    assert {"field": "caregivers.0.relation", "old": None, "new": "mother"} in change.changes
    assert all(item["old"] is None for item in change.changes)
    [audit] = db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == str(child.id)))
    assert (audit.action, audit.commune_code, audit.user_id) == (
        "child_created", "03808", officer.id)


def test_update_of_one_field_is_one_version_with_that_field(db, officer, child):
    changes = services.update_child(officer, child, edit(child, {"full_name": "Nguyễn Văn Bình"}))
    assert changes == [{"field": "child.full_name", "old": "Nguyễn Văn An",
                        "new": "Nguyễn Văn Bình"}]
    assert (child.version, child.name_key) == (2, "nguyen van binh")
    assert [(c.version, c.changes) for c in history(db, child)][1:] == [(2, changes)]


def test_update_without_change_writes_nothing(db, officer, child):
    same = edit(child, {"full_name": "  nguyễn văn  an", "personal_id": "014.215.012.345"})
    assert services.update_child(officer, child, same) == []
    assert child.version == 1 and len(history(db, child)) == 1


def test_update_adds_and_removes_caregivers(db, officer, child):
    services.update_child(officer, child, edit(child, caregivers=[MOTHER, FATHER]))
    changes = services.update_child(officer, child, edit(child, caregivers=[MOTHER]))
    assert child.version == 3 and [c.full_name for c in child.caregivers] == ["Lò Thị Hoa"]
    assert {"field": "caregivers.1.full_name", "old": "Lò Văn Bình", "new": None} in changes
    rows = select(func.count()).select_from(Caregiver).where(Caregiver.child_id == child.id)
    assert db.session.scalar(rows) == 1  # the removed caregiver's row is deleted


def test_add_circumstance(db, officer, child):
    db04 = {"code": "DB04", "since": "2024-01-01",
            "detail": {"disability_type": "KT01", "disability_level": "MD02"}}
    changes = services.add_circumstance(officer, child, db04)
    assert child.version == 2 and len(history(db, child)) == 2
    assert {"field": "circumstances.0.code", "old": None, "new": "DB04"} in changes
    with pytest.raises(ValidationFailed) as refused:
        services.add_circumstance(officer, child, db04)  # already open
    assert list(refused.value.errors) == ["circumstance.code"]
    with pytest.raises(ValidationFailed) as refused:
        services.add_circumstance(officer, child, {"code": "NC01"})
    assert list(refused.value.errors) == ["circumstance.detail.risk_reason"]
    assert child.version == 2


def test_end_circumstance(db, officer, child):
    services.add_circumstance(officer, child, {"code": "DB01", "since": "2024-01-01"})
    [db01] = child.circumstances
    for until in (TODAY + timedelta(days=1), date(2023, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            services.end_circumstance(officer, db01, until)
        assert list(refused.value.errors) == ["until"]
    changes = services.end_circumstance(officer, db01, date(2025, 1, 1))
    assert changes == [{"field": "circumstances.0.until", "old": None, "new": "2025-01-01"}]
    assert child.version == 3 and len(history(db, child)) == 3
    with pytest.raises(ValidationFailed):
        services.end_circumstance(officer, db01, None)  # already ended
    services.add_circumstance(officer, child, {"code": "DB01"})  # a new spell, from today
    assert child.version == 4 and child.circumstances[1].since == TODAY


def test_record_support(db, officer, child):
    given = {"form": "TG05", "date": TODAY.isoformat(), "amount_vnd": "500.000"}
    changes = services.record_support(officer, child, given)
    assert child.version == 2 and child.support[0].amount_vnd == 500000
    assert {"field": "support.0.amount_vnd", "old": None, "new": 500000} in changes
    assert history(db, child)[-1].changes == changes
    with pytest.raises(ValidationFailed) as refused:
        services.record_support(officer, child, {**given, "amount_vnd": "-1"})
    assert list(refused.value.errors) == ["support.amount_vnd"]
    with pytest.raises(ValidationFailed) as refused:  # not a database error on flush
        services.record_support(officer, child, {**given, "amount_vnd": "9" * 20})
    assert list(refused.value.errors) == ["support.amount_vnd"]
    assert child.version == 2


@pytest.mark.parametrize("reason", ["moved_away", "died", "merged"])
def test_closed_child_is_read_only(db, officer, child, reason):
    services.close_child(officer, child, reason, None, "ghi chú")
    assert (child.version, child.closed_on, child.closed_reason) == (2, TODAY, reason)
    for change in (
        lambda: services.update_child(officer, child, edit(child, {"full_name": "Lò Văn Minh"})),
        lambda: services.add_circumstance(officer, child, {"code": "DB01"}),
        lambda: services.record_support(officer, child, {"form": "TG01", "date": TODAY}),
        lambda: services.close_child(officer, child, reason, None),
    ):
        with pytest.raises(ValidationFailed) as refused:
            change()
        assert list(refused.value.errors) == ["child"]
    assert child.version == 2 and child.full_name == "Nguyễn Văn An"


def test_close_needs_a_known_reason_and_a_past_date(officer, child):
    with pytest.raises(ValidationFailed) as refused:
        services.close_child(officer, child, "lost", TODAY + timedelta(days=1))
    assert set(refused.value.errors) == {"reason", "closed_on"}
    assert child.closed_on is None and child.version == 1


def test_child_past_sixteenth_birthday_is_read_only(db, officer, villages):
    child = new_child(officer, villages[0], {"date_of_birth": "2008-01-02",
                      "personal_id": "014208012345"}, capture_date=date(2020, 1, 1))
    assert services.is_over_age(child)
    assert not services.is_over_age(child, date(2024, 1, 1))
    with pytest.raises(ValidationFailed) as refused:
        services.update_child(officer, child, edit(child, {"full_name": "Lò Văn Minh"}))
    assert list(refused.value.errors) == ["child"]
    with pytest.raises(ValidationFailed):
        services.record_support(officer, child, {"form": "TG01", "date": TODAY})
    assert child.version == 1 and len(history(db, child)) == 1


def test_officer_of_another_commune(db, make, officer, child, villages):
    tam_my = make.village("21004")
    other = make.user(roles.COMMUNE_OFFICER, ["21004"])
    households = count(db, Household)
    with pytest.raises(ValidationFailed) as refused:
        new_child(other, villages[0])
    assert list(refused.value.errors) == ["child.village_code"]
    assert count(db, Household) == households
    with pytest.raises(NotFound):
        access.get_or_404(Child, child.id, other)
    with pytest.raises(NotFound):
        access.get_or_404(Household, child.household_id, other)
    assert access.get_or_404(Child, str(child.id), officer) is child
    own = new_child(other, tam_my, {"full_name": "Trần Thị Mai", "sex": "2", "personal_id": ""})
    assert (own.commune_code, own.province_code) == ("21004", "48")


def test_inactive_village_is_refused(make, officer):
    closed = make.village(active=False)
    with pytest.raises(ValidationFailed) as refused:
        new_child(officer, closed)
    assert list(refused.value.errors) == ["child.village_code"]


@pytest.mark.parametrize("role", [roles.VILLAGE_HEAD, roles.COLLABORATOR])
def test_field_staff_see_only_their_village(make, officer, villages, role):
    child_a, child_b = (new_child(officer, village) for village in villages)
    worker = make.user(role, [villages[0]])
    assert access.get_or_404(Child, child_a.id, worker) is child_a
    with pytest.raises(NotFound):
        access.get_or_404(Child, child_b.id, worker)


@pytest.mark.parametrize(
    ("role", "places"),
    [(roles.POLICE, ["03808"]), (roles.PROVINCE_VIEWER, ["14"]), (roles.ADMIN, None)],
)
def test_no_named_child_for_police_province_or_admin(db, make, child, role, places):
    user = make.user(role, places)
    with pytest.raises(NotFound):
        access.get_or_404(Child, child.id, user)
    assert db.session.scalars(access.children(user)).all() == []


def test_commune_leader_reads_the_commune(make, child):
    leader = make.user(roles.COMMUNE_LEADER)
    assert access.get_or_404(Child, child.id, leader) is child


@pytest.mark.parametrize("role", roles.ALL)
def test_only_officer_and_leader_see_restricted_groups(make, role):
    user = make.user(role, ["14"] if role == roles.PROVINCE_VIEWER else None)
    assert access.sees_restricted(user) is (role in (roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER))


def test_invalid_record_writes_nothing(db, officer, villages):
    before = [count(db, model) for model in (Child, Household, ChildChange, AuditEntry)]
    with pytest.raises(ValidationFailed) as refused:
        new_child(officer, villages[0], {"full_name": "A"},
                  caregivers=[{**MOTHER, "personal_id": "12345"}])
    assert set(refused.value.errors) == {"child.full_name", "caregivers.0.personal_id"}
    assert all(isinstance(m, str) for ms in refused.value.errors.values() for m in ms)
    after = [count(db, model) for model in (Child, Household, ChildChange, AuditEntry)]
    assert after == before


def test_invalid_update_changes_nothing(db, officer, child):
    with pytest.raises(ValidationFailed) as refused:
        services.update_child(officer, child, edit(child, {"full_name": ""}, caregivers=[]))
    assert set(refused.value.errors) == {"child.full_name", "caregivers"}
    assert (child.full_name, child.version, len(child.caregivers)) == ("Nguyễn Văn An", 1, 1)
    assert len(history(db, child)) == 1
