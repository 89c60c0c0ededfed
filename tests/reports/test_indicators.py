"""Each indicator against a hand-counted register, and a report at a past day that stays the
same however the register changes after (issue 15 §1)."""

from datetime import timedelta

import pytest

from fieldapp.children import periods
from fieldapp.children import services as register
from fieldapp.db import utcnow
from fieldapp.reports import services
from fieldapp.reports.indicators import REGISTRY
from tests.factories import COMMUNE_A
from tests.reports.conftest import EXPECTED, TODAY, S, T, years

pytestmark = pytest.mark.usefixtures("small_register")


def numbers(report) -> dict:
    return {r.key: (r.value, r.breakdowns) for r in report.indicators}


def test_every_indicator_counts_what_was_counted_by_hand(app):
    with app.test_request_context():
        report = services.report(COMMUNE_A, T, start=S)
    got = numbers(report)
    assert set(got) == {i.key for i in REGISTRY}
    for key, (value, breakdowns) in EXPECTED.items():
        assert got[key][0] == value, key
        for dimension, counts in breakdowns.items():
            assert got[key][1][dimension] == counts, (key, dimension)
    assert report.get("special_circumstances").share == pytest.approx(2 / 8)
    assert report.get("special_circumstances_supported").share == pytest.approx(1 / 2)
    assert report.get("with_personal_id").share == pytest.approx(2 / 8)
    assert report.get("injury_deaths").share is None  # no denominator: the dead are not in it


def test_a_child_in_two_groups_counts_once_in_the_total_and_in_each_group(app):
    with app.test_request_context():
        special = services.report(COMMUNE_A, T, start=S).get("special_circumstances")
    assert special.value == 2 and sum(special.breakdowns["group"].values()) == 3
    assert sum(special.breakdowns["sex"].values()) == special.value
    assert sum(special.breakdowns["place"].values()) == special.value


def test_a_report_at_a_past_day_is_the_same_after_the_register_changes(
        app, db, officer, make, village, small_register, monkeypatch):
    with app.test_request_context():
        before = numbers(services.report(COMMUNE_A, T, start=S))
    monkeypatch.setattr(periods, "utcnow", utcnow)  # the changes are made now: after T
    kids = small_register
    with app.test_request_context():
        register.add_circumstance(officer, kids["c"], {"code": "DB01", "since": T - timedelta(5)})
        register.close_child(officer, kids["a"], "moved_away", T - timedelta(3))
        make.child(officer, village, "Lò Văn Mới", born=years(2), capture_date=TODAY)
        make.child(officer, village, "Lò Thị Sửa", born=years(9), sex="2", capture_date=TODAY,
                   circumstances=[{"code": "DB12", "since": T - timedelta(30)}])
        db.session.commit()
        after = numbers(services.report(COMMUNE_A, T, start=S))
        today = numbers(services.report(COMMUNE_A, TODAY, start=S))
    assert after == before
    # Today's report does see the changes: c joined DB01, a left, e turned 16, two new.
    assert today["child_population"][0] == 8 - 1 - 1 - 1 + 2  # a, e, j out; two in
    assert today["special_circumstances"][1]["group"]["DB01"] == 1  # c (a moved away)


@pytest.mark.parametrize("place", [COMMUNE_A, "14"])
def test_both_plans_count_the_same(app, place):
    """The per-child plan (SQLite, communes) and the bulk one (a province on PostgreSQL)
    give the same report, on whichever engine runs the tests, at a past day and today."""
    with app.test_request_context():
        for day in (T, TODAY):
            one = numbers(services.report(place, day, start=S, by_child=True))
            other = numbers(services.report(place, day, start=S, by_child=False))
            assert one == other
            assert one["child_population"][0] > 0


def test_a_value_off_the_code_lists_is_counted_under_its_own_code_by_both_plans(
        app, db, small_register):
    """The bulk plan reads each child's breakdown values as the bits of a number, one bit per
    code of the lists; a value the lists lack (an old code, a hand-edited row) is counted
    from the membership rows instead, so no child goes missing from a breakdown."""
    from fieldapp.children.models import Circumstance

    injury = db.session.scalars(db.select(Circumstance).where(
        Circumstance.child_id == small_register["g"].id)).one()
    injury.detail = {"injury_cause": "NN99"}  # not a code of injury_cause
    db.session.commit()
    with app.test_request_context():
        for place in (COMMUNE_A, "14"):
            one = services.report(place, T, start=S, by_child=True)
            other = services.report(place, T, start=S, by_child=False)
            assert numbers(one) == numbers(other)
            assert other.get("injured").breakdowns["cause"] == {"NN99": 1}
            assert other.get("injury_deaths").breakdowns["cause"] == {"NN01": 1}
