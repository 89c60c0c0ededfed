"""A stale update (the register moved on since the collector's packet) is resolved field by
field: who changed what decides the default, and a field both changed must be chosen."""

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.children.models import Child, Household
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.review import compare
from fieldapp.review.services import AlreadyDecided, RegisterChanged, capture_day
from tests.factories import COMMUNE_B
from tests.review.reviewer import packet_update
from tests.review.test_apply import SINCE
from tests.submissions import changed


def officer_edits(officer_does, child: Child, **fields) -> None:
    """The officer changes the child's own fields (one new version)."""
    record = {
        "child": {"full_name": child.full_name, "sex": child.sex,
                  "date_of_birth": child.date_of_birth, "ethnicity_code": child.ethnicity_code,
                  "village_code": child.village_code, "address": child.address,
                  "schooling_status": child.schooling_status, **fields},
        "caregivers": [{"relation": c.relation, "full_name": c.full_name, "phone": c.phone}
                       for c in child.caregivers],
    }
    officer_does("update_child", child, record)


def fields_of(db, submission) -> dict[str, compare.Field]:
    child = db.session.get(Child, submission.child_id)
    return compare.compare(submission, child, capture_day(submission)).by_path()


@pytest.fixture()
def stale(api, submit, add_child, officer_does):
    """``stale(collector_changes, **officer_fields)``: the collector edits version 1 while
    the officer changes the child's fields (version 2); the stored update."""

    def make(changes: dict, **officer_fields):
        child = add_child()
        update = packet_update(api, child, changes)
        officer_edits(officer_does, child, **officer_fields)
        assert child.version == 2
        s, = submit(update)
        assert s.base_version == 1 and s.stale
        return child, s

    return make


def test_each_side_changed_another_field_and_both_changes_stay(stale, decide, db):
    child, s = stale({"data.child.schooling_status": "HT04"}, address="Tổ 9")
    fields = fields_of(db, s)
    address, school = fields["child.address"], fields["child.schooling_status"]
    assert (address.base, address.current, address.proposed) == (None, "Tổ 9", None)
    assert (address.who, address.default, address.must_choose) == ("register", "register",
                                                                   False)
    assert (school.who, school.default, school.must_choose) == ("collector", "proposed", False)
    assert not [f for f in fields.values() if f.must_choose]
    decide("approve_submission", s)
    db.session.refresh(child)
    assert (child.address, child.schooling_status, child.version) == ("Tổ 9", "HT04", 3)


def test_a_field_both_changed_differently_must_be_chosen(stale, decide, db):
    child, s = stale({"data.child.full_name": "Lò Văn Thành"}, full_name="Lò Văn Thắng")
    name = fields_of(db, s)["child.full_name"]
    assert (name.base, name.current, name.proposed) == ("Lò Văn Thanh", "Lò Văn Thắng",
                                                        "Lò Văn Thành")
    assert name.who == "both" and name.must_choose and name.default is None
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s)
    assert list(refused.value.errors) == ["child.full_name"]
    db.session.refresh(s)
    db.session.refresh(child)
    assert (s.state, child.full_name, child.version) == ("received", "Lò Văn Thắng", 2)


@pytest.mark.parametrize("choice, expected", [("register", "Lò Văn Thắng"),
                                              ("proposed", "Lò Văn Thành")])
def test_the_chosen_value_lands(stale, decide, db, choice, expected):
    child, s = stale({"data.child.full_name": "Lò Văn Thành", "data.child.address": "Tổ 4"},
                     full_name="Lò Văn Thắng")
    decide("approve_submission", s, {"child.full_name": choice}, seen_version=2)
    db.session.refresh(child)
    assert (child.full_name, child.address, child.version) == (expected, "Tổ 4", 3)
    assert s.state == "approved"


def test_both_changed_the_same_way_needs_no_choice(stale, decide, db):
    child, s = stale({"data.child.full_name": "Lò Văn Thắng"}, full_name="Lò Văn Thắng")
    assert not fields_of(db, s)["child.full_name"].differs
    decide("approve_submission", s)
    db.session.refresh(child)
    assert child.full_name == "Lò Văn Thắng"


@pytest.mark.parametrize("choices, path", [
    ({"child.sex": "register"}, "child.sex"),  # not differing
    ({"child.full_name": "both"}, "child.full_name"),  # not a choice
])
def test_a_wrong_choice_is_refused(stale, decide, db, choices, path):
    child, s = stale({"data.child.full_name": "Lò Văn Thành"}, full_name="Lò Văn Thắng")
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s, {"child.full_name": "register", **choices})
    assert path in refused.value.errors
    db.session.refresh(s)
    assert s.state == "received"


def test_a_new_child_has_nothing_to_choose(submit, decide, db, item):
    s, = submit(item())
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s, {"child.full_name": "proposed"})
    assert list(refused.value.errors) == ["child.full_name"]
    db.session.refresh(s)
    assert s.state == "received"


def test_the_register_changed_since_the_officer_looked(stale, decide, db, officer_does):
    child, s = stale({"data.child.full_name": "Lò Văn Thành"}, address="Tổ 9")
    officer_edits(officer_does, child, address="Tổ 10")  # after the officer's comparison
    with pytest.raises(RegisterChanged):
        with db.session.begin_nested():
            decide("approve_submission", s, seen_version=2)
    db.session.refresh(s)
    db.session.refresh(child)
    assert (s.state, child.full_name, child.version) == ("received", "Lò Văn Thanh", 3)
    decide("approve_submission", s, seen_version=3)
    assert (child.full_name, child.address) == ("Lò Văn Thành", "Tổ 10")


def test_a_group_the_officer_ended_stays_ended(api, submit, decide, db, add_child,
                                               officer_does):
    child = add_child(circumstances=[{"code": "DB01", "since": "2023-05-01"}])
    update = packet_update(api, child, {"data.child.address": "Tổ 4"})
    officer_does("end_circumstance", child.circumstances[0], None)
    s, = submit(update)
    [until] = [f for f in fields_of(db, s).values() if f.path.endswith(".until")]
    assert until.who == "register" and until.current is not None and until.proposed is None
    decide("approve_submission", s)
    db.session.refresh(child)
    assert child.circumstances[0].until is not None and child.address == "Tổ 4"


@pytest.mark.parametrize("child_too", [True, False], ids=["stale", "same-version"])
def test_a_household_change_of_the_officer_is_not_undone_unasked(api, submit, decide, db,
                                                                 add_child, officer_does,
                                                                 child_too):
    child = add_child()
    update = packet_update(api, child, {"data.child.address": "Tổ 4"})
    household = db.session.get(Household, child.household_id)
    officer_does("update_household", household, {"head_name": household.head_name,
                                                 "address": household.address,
                                                 "poverty_status": "poor"})
    if child_too:
        officer_edits(officer_does, child, schooling_status="HT04")
    s, = submit(update)
    poverty = fields_of(db, s)["household.poverty_status"]
    assert (poverty.current, poverty.proposed, poverty.must_choose) == ("poor", "none", True)
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s)
    assert list(refused.value.errors) == ["household.poverty_status"]
    decide("approve_submission", s, {"household.poverty_status": "register"})
    db.session.refresh(household)
    assert (household.poverty_status, child.address) == ("poor", "Tổ 4")


def test_a_household_unchanged_since_the_packet_takes_the_collectors_change(stale, decide, db):
    child, s = stale({"data.household.poverty_status": "near_poor"}, address="Tổ 9")
    poverty = fields_of(db, s)["household.poverty_status"]
    assert (poverty.who, poverty.must_choose) == ("collector", False)
    decide("approve_submission", s)
    household = db.session.get(Household, child.household_id)
    assert (household.poverty_status, child.address) == ("near_poor", "Tổ 9")


def test_the_officers_new_rows_stay(api, submit, decide, db, add_child, officer_does):
    child = add_child()
    update = packet_update(api, child, {"data.child.address": "Tổ 4"})
    officer_does("add_circumstance", child, {"code": "DB07", "since": SINCE})
    officer_does("record_support", child, {"form": "TG02", "date": SINCE, "provider": "Trường"})
    s, = submit(update)
    decide("approve_submission", s)
    db.session.refresh(child)
    assert [c.code for c in child.circumstances] == ["DB07"]
    assert [g.form for g in child.support] == ["TG02"]
    assert (child.address, child.version) == ("Tổ 4", 4)


def test_a_child_moved_to_another_household_keeps_its_fields_unless_chosen(
        api, submit, decide, db, add_child, officer_does, village):
    child = add_child()
    update = packet_update(api, child, {"data.child.address": "Tổ 4"})
    old = child.household_id
    moved_to = officer_does("create_household", {"head_name": "Cầm Văn Khoa",
                                                 "address": "Tổ 7", "village_code": village.code})
    mover, = submit(packet_update(api, child, {"data.household.id": str(moved_to.id),
                                               "data.household.head_name": "Cầm Văn Khoa",
                                               "data.household.address": "Tổ 7"}))
    decide("approve_submission", mover)  # another submission moves the child: version 2
    s, = submit(update)
    fields = fields_of(db, s)
    assert fields["household.id"].who == "register"
    assert fields["household.head_name"].must_choose
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s)
    assert set(refused.value.errors) == {"household.head_name", "household.address"}
    decide("approve_submission", s, {"household.head_name": "register",
                                     "household.address": "register"})
    assert child.household_id == moved_to.id != old and child.address == "Tổ 4"
    assert (moved_to.head_name, moved_to.address) == ("Cầm Văn Khoa", "Tổ 7")


def matched(submit, decide, add_child, item):
    child = add_child()
    s, = submit(changed(item(), {"data.child.full_name": "Lò Văn Thành",
                                 "data.child.address": "Bản Mới"}))
    decide("match_child", s, child)
    return child, s


def test_the_same_child_makes_every_field_both_hold_differently_a_choice(submit, decide, db,
                                                                          add_child, item):
    child, s = matched(submit, decide, add_child, item)
    assert (s.child_id, s.base_version, s.stale) == (child.id, None, True)
    differing = [f for f in fields_of(db, s).values() if f.differs]
    both = {f.path for f in differing if f.current is not None and f.proposed is not None}
    assert both == {"child.full_name", "household.poverty_status"}
    assert both == {f.path for f in differing if f.must_choose}
    # held by one side only: the register's value is kept, an empty one filled in
    assert {f.path: f.default for f in differing if f.path not in both} == {
        "household.id": "register", "child.address": "proposed",
        "child.personal_id": "proposed", "child.schooling_status": "proposed",
        "caregivers.0.phone": "proposed"}
    with pytest.raises(ValidationFailed) as refused:
        with db.session.begin_nested():
            decide("approve_submission", s)
    assert set(refused.value.errors) == both


def test_the_same_child_is_updated_not_made_again(submit, decide, db, add_child, item):
    child, s = matched(submit, decide, add_child, item)
    differing = [f for f in fields_of(db, s).values() if f.differs]
    choices = {f.path: "register" for f in differing if f.current is not None}
    choices.update({"child.full_name": "proposed", "child.address": "proposed"})
    choices.update({f.path: "proposed" for f in differing if f.current is None})
    out = decide("approve_submission", s, choices)
    db.session.refresh(child)
    assert out is child and s.child_id == child.id and s.state == "approved"
    assert (child.full_name, child.address, child.version) == ("Lò Văn Thành", "Bản Mới", 2)
    assert db.session.scalar(select(func.count(Child.id))) == 1
    assert db.session.scalar(select(func.count(Household.id))) == 1
    assert child.household_id == db.session.scalar(select(Household.id))


def test_only_a_waiting_new_child_of_an_open_record_is_matched(api, submit, decide, db, make,
                                                               add_child, item, officer_does,
                                                               far_village):
    child = add_child()
    update, rejected, fresh = submit(packet_update(api, child), item(), item())
    decide("reject_submission", rejected, "Phiếu thử")
    for s in (update, rejected):
        with pytest.raises(AlreadyDecided):
            decide("match_child", s, child)
    stranger = add_child(place=far_village, actor=make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    with pytest.raises(NotFound):
        decide("match_child", fresh, stranger)
    officer_does("close_child", child, "moved_away", None)
    with pytest.raises(ValidationFailed):
        decide("match_child", fresh, child)
    db.session.refresh(fresh)
    assert (fresh.child_id, fresh.base_version, fresh.stale) == (None, None, False)
