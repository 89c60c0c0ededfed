"""Verified cases count in the abused-children indicator (issue 16 §4): a child with a case
the commune verified by the report's moment counts, once even when a circumstance already
counts it, with no form of abuse ("Chưa rõ") when none is recorded; an unfounded case, or
one verified after the moment, does not. Both plans count the same."""

from datetime import UTC, datetime, timedelta

import pytest

from fieldapp.cases import services as cases
from fieldapp.children.periods import end_of_day
from fieldapp.reports import services
from tests.factories import COMMUNE_A
from tests.reports.conftest import EXPECTED, TODAY, S, T
from tests.reports.test_indicators import numbers

pytestmark = pytest.mark.usefixtures("small_register")


def _case(app, officer, child, founded: bool, when: datetime, monkeypatch):
    monkeypatch.setattr(cases, "utcnow", lambda: when)
    with app.test_request_context():
        case = cases.open_case(officer, {
            "received_at": (when - timedelta(hours=2)).isoformat(), "source": "school",
            "situation": "Trẻ có dấu hiệu bị bạo lực.", "child_id": str(child.id)})
        cases.take_step(officer, case, "verify", {"founded": founded, "reason": "Không có "
                                                  "cơ sở.", "note": ""})
    return case


def test_a_verified_case_counts_its_child_as_abused_once(app, db, officer, small_register,
                                                          monkeypatch):
    before_t = end_of_day(T) - timedelta(days=3)
    kids = small_register
    _case(app, officer, kids["c"], True, before_t, monkeypatch)  # at risk, not abused
    _case(app, officer, kids["b"], True, before_t, monkeypatch)  # abused already (DB08)
    _case(app, officer, kids["g"], False, before_t, monkeypatch)  # unfounded
    _case(app, officer, kids["a"], True, datetime.now(UTC) - timedelta(hours=1), monkeypatch)
    db.session.commit()
    value, breakdowns = EXPECTED["abused"]
    with app.test_request_context():
        for place in (COMMUNE_A, "14"):
            one = services.report(place, T, start=S, by_child=True)
            other = services.report(place, T, start=S)
            assert numbers(one) == numbers(other)
            abused = other.get("abused")
            assert abused.value == value + 1  # c; b once; not g; not a (verified after T)
            assert abused.breakdowns["form"] == {**breakdowns["form"], "": 1}
        today = services.report(COMMUNE_A, TODAY, start=S)
        assert numbers(today) == numbers(services.report(COMMUNE_A, TODAY, start=S,
                                                         by_child=True))
        assert today.get("abused").breakdowns["form"].get("") == 2  # a now, and c
