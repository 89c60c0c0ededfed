"""The register as known at a moment (issue 15 §1, ARCHITECTURE decision 10): every write
path keeps one open ``child_period`` per child and one open ``membership_period`` per
circumstance and support row, written by ``children.periods`` in the change's transaction;
what was known at a moment stays what it was, however the register changes after."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.children import periods, services, transfers
from fieldapp.children._changes import Source
from fieldapp.children.batch import NewChild
from fieldapp.children.models import Child, ChildPeriod, MembershipPeriod
from fieldapp.children.periods import end_of_day, known_at
from fieldapp.children.validators import validate_record
from fieldapp.db import utcnow
from fieldapp.extensions import db as _db
from fieldapp.quality.services import REVIEWED_ITEMS
from tests.factories import COMMUNE_B
from tests.review.conftest import decide, submit
from tests.review.test_bulk_cost import clean_items

__all__ = ["decide", "submit"]  # the fixtures, shared by name
TODAY = date.today()
SINCE = TODAY - timedelta(days=60)
SUPPORT = {"form": "TG01", "date": TODAY - timedelta(days=3), "provider": "Trạm y tế"}


def commit(db):
    """End the service's transaction, as a request does: the next change gets its moment."""
    db.session.commit()


def counts(db, moment: datetime, commune: str) -> tuple[int, int, int, int]:
    """Children, boys, open-records and DB01 memberships known at ``moment`` in ``commune``."""
    children = db.session.execute(
        select(func.count(), func.count().filter(ChildPeriod.sex == "1"),
               func.count().filter(ChildPeriod.closed_on.is_(None)))
        .where(known_at(moment), ChildPeriod.commune_code == commune)).one()
    placed = select(ChildPeriod.child_id).where(known_at(moment),
                                                ChildPeriod.commune_code == commune)
    db01 = db.session.scalar(select(func.count()).select_from(MembershipPeriod).where(
        known_at(moment, MembershipPeriod), MembershipPeriod.code == "DB01",
        MembershipPeriod.until.is_(None), MembershipPeriod.child_id.in_(placed)))
    return (*children, db01)


def test_what_was_known_at_a_moment_stays_whatever_changes_after(app, db, officer, make,
                                                                   village):
    child = make.child(officer, village, circumstances=[{"code": "DB01", "since": SINCE}])
    commit(db)
    moment = utcnow()
    assert counts(db, moment, village.commune_code) == (1, 1, 1, 1)
    with app.test_request_context():
        fields = {"full_name": child.full_name, "sex": "2",
                  "date_of_birth": child.date_of_birth, "ethnicity_code": "03",
                  "village_code": village.code}
        services.update_child(officer, child, {
            "child": fields, "caregivers": [{"relation": "mother", "full_name": "Lường Thị"}],
            "circumstances": [{"id": str(child.circumstances[0].id), "code": "DB01",
                               "since": SINCE}], "support": []})
        commit(db)
        services.end_circumstance(officer, child.circumstances[0], TODAY)
        commit(db)
        services.record_support(officer, child, SUPPORT)
        commit(db)
        services.close_child(officer, child, "moved_away", TODAY)
        commit(db)
    assert child.sex == "2" and child.closed_on == TODAY
    assert counts(db, moment, village.commune_code) == (1, 1, 1, 1)
    assert counts(db, utcnow(), village.commune_code) == (1, 0, 0, 0)
    assert counts(db, moment - timedelta(days=1), village.commune_code) == (0, 0, 0, 0)
    support = db.session.scalars(select(MembershipPeriod).where(
        known_at(utcnow(), MembershipPeriod), MembershipPeriod.kind == "support")).all()
    assert [(s.code, s.since) for s in support] == [("TG01", SUPPORT["date"])]


def open_rows(db, child: Child) -> tuple[list[ChildPeriod], list[MembershipPeriod]]:
    db.session.refresh(child)
    return (db.session.scalars(select(ChildPeriod).where(
                ChildPeriod.child_id == child.id, ChildPeriod.recorded_until.is_(None))).all(),
            db.session.scalars(select(MembershipPeriod).where(
                MembershipPeriod.child_id == child.id,
                MembershipPeriod.recorded_until.is_(None))).all())


def assert_matches(db, child: Child) -> None:
    """One open child period with the child's columns; one open membership per row."""
    (period,), memberships = open_rows(db, child)
    assert (period.commune_code, period.province_code, period.village_code, period.sex,
            period.date_of_birth, period.ethnicity_code, period.has_personal_id,
            period.schooling_status, period.closed_on, period.closed_reason) == (
        child.commune_code, child.province_code, child.village_code, child.sex,
        child.date_of_birth, child.ethnicity_code, bool(child.personal_id),
        child.schooling_status, child.closed_on, child.closed_reason)
    rows = sorted([("circumstance", c.id, c.code, c.since, c.until, None)
                   for c in child.circumstances]
                  + [("support", s.id, s.form, s.given_on, s.until, s.amount_vnd)
                     for s in child.support], key=str)
    assert sorted([(m.kind, m.row_id, m.code, m.since, m.until, m.amount_vnd)
                   for m in memberships], key=str) == rows
    assert all(m.detail == c.detail for c in child.circumstances for m in memberships
               if m.row_id == c.id)
    for m in memberships:  # each repeats the child's period columns
        assert {name: getattr(m, name) for name in periods.REPEATED} == {
            name: getattr(period, name) for name in periods.REPEATED}


@pytest.fixture()
def made(make, officer, village):
    """A child with DB01 and a support row, made through ``create_child``."""
    return make.child(officer, village, circumstances=[{"code": "DB01", "since": SINCE}],
                      support=[SUPPORT])


def _update(officer, child, village):
    services.update_child(officer, child, {
        "child": {"full_name": "Lò Văn Khác", "sex": child.sex,
                  "date_of_birth": child.date_of_birth, "ethnicity_code": "03",
                  "village_code": village.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}],
        "circumstances": [], "support": []})
    return [child]


def _merge(officer, child, village, make):
    other = make.child(officer, village, "Lo Van Thanh",
                       circumstances=[{"code": "DB07", "since": TODAY - timedelta(days=5)}])
    services.merge_children(officer, child, other, set())
    return [child, other]


def _review(officer, child):
    due = {str(child.circumstances[0].id): TODAY}  # ended today (TG01 is one-off)
    services.review_memberships(officer, child, due, TODAY, source=REVIEWED_ITEMS)
    return [child]


def _transfer(officer, child, make, far_village):
    sent = transfers.request_transfer(officer, child, COMMUNE_B, TODAY, "Theo mẹ")
    receiver = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    transfers.accept_transfer(receiver, sent, far_village.code, None, {"head_name": "Hộ A"})
    return [child, _db.session.get(Child, sent.received_child_id)]


PATHS = {
    "create_child": lambda officer, child, **_: [child],
    "update_child": lambda officer, child, village, **_: _update(officer, child, village),
    "close_child": lambda officer, child, **_: (
        services.close_child(officer, child, "died", TODAY), [child])[1],
    "merge_children": lambda officer, child, village, make, **_: _merge(
        officer, child, village, make),
    "review_memberships": lambda officer, child, **_: _review(officer, child),
    "record_support": lambda officer, child, **_: (
        services.record_support(officer, child, {**SUPPORT, "form": "TG02"}), [child])[1],
    "end_circumstance": lambda officer, child, **_: (
        services.end_circumstance(officer, child.circumstances[0], TODAY), [child])[1],
    "transfer_accepted": lambda officer, child, make, far_village, **_: _transfer(
        officer, child, make, far_village),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_every_write_path_leaves_one_open_period_matching_the_register(
        app, db, officer, made, make, village, far_village, path):
    commit(db)
    with app.test_request_context():
        children = PATHS[path](officer=officer, child=made, village=village, make=make,
                               far_village=far_village)
        db.session.flush()
    for child in children:
        assert_matches(db, child)
    commit(db)
    for child in children:
        assert_matches(db, child)


def test_a_bulk_approval_writes_the_periods_of_each_new_child(db, submit, decide, item):
    batch = submit(*clean_items(item, 3))
    made, skipped = decide("bulk_approve", batch)
    assert len(made) == 3 and not skipped
    for child in made:
        assert_matches(db, child)


def test_the_batch_writer_writes_the_periods_of_each_child(app, db, officer, village):
    def new(name: str, born: date) -> NewChild:
        record = {"child": {"full_name": name, "sex": "2", "date_of_birth": born,
                            "ethnicity_code": "03", "village_code": village.code},
                  "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}],
                  "circumstances": [{"code": "DB01", "since": SINCE}], "support": [SUPPORT],
                  "household": {"head_name": "Lò Văn Pọm", "address": "Tổ 2"}}
        return NewChild(record, validate_record(record, capture_date=TODAY),
                        Source("import", "x"))

    made = services.create_children(officer, [new("Lò Thị Một", date(2016, 1, 1)),
                                              new("Cầm Thị Hai", date(2017, 2, 2))])
    db.session.flush()
    assert len(made) == 2 and all(isinstance(c, Child) for c in made)
    for child in made:
        assert [c.code for c in child.circumstances] == ["DB01"]
        assert_matches(db, child)


def test_a_child_written_twice_in_one_transaction_keeps_no_row_of_zero_length(
        app, db, officer, made):
    commit(db)
    with app.test_request_context():
        services.record_support(officer, made, {**SUPPORT, "form": "TG02"})
        db.session.flush()
        services.close_child(officer, made, "moved_away", TODAY)
        db.session.flush()
    periods = db.session.scalars(select(ChildPeriod).where(ChildPeriod.child_id == made.id)
                                 .order_by(ChildPeriod.id)).all()
    assert len(periods) == 2  # the creation's, and this transaction's last
    assert periods[0].recorded_until == periods[1].recorded_from
    assert all(p.recorded_until is None or p.recorded_until > p.recorded_from for p in periods)
    assert_matches(db, made)


def test_a_caregiver_only_change_writes_no_period(app, db, officer, made, village):
    commit(db)
    before = db.session.scalar(select(func.count()).select_from(ChildPeriod))
    memberships = db.session.scalar(select(func.count()).select_from(MembershipPeriod))
    with app.test_request_context():
        services.update_child(officer, made, {
            "child": {"full_name": made.full_name, "sex": made.sex,
                      "date_of_birth": made.date_of_birth, "ethnicity_code": "03",
                      "village_code": village.code},
            "caregivers": [{"relation": "father", "full_name": "Lò Văn Bình"}],
            "circumstances": [{"id": str(c.id), "code": c.code, "since": c.since}
                              for c in made.circumstances],
            "support": [{"id": str(s.id), "form": s.form, "date": s.given_on,
                         "provider": s.provider} for s in made.support]})
        db.session.flush()
    assert made.version == 2 and made.caregivers[0].relation == "father"
    assert db.session.scalar(select(func.count()).select_from(ChildPeriod)) == before
    assert db.session.scalar(select(func.count()).select_from(MembershipPeriod)) == memberships
    assert_matches(db, made)


def test_end_of_day_is_vietnam_midnight_in_utc():
    end = end_of_day(date(2026, 3, 1))
    assert end.tzinfo == UTC
    assert end == datetime(2026, 3, 1, 16, 59, 59, 999999, tzinfo=UTC)
