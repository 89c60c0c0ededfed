"""A small register whose every indicator was counted by hand (issue 15 "Done when"), built as
known two days before the end of the report's day T, then changed after T."""

import uuid
from datetime import date, timedelta

import pytest

from fieldapp.children import periods
from fieldapp.children import services as register
from fieldapp.children.periods import end_of_day
from fieldapp.verification.models import VerificationBatch, VerificationItem

TODAY = date.today()
T = TODAY - timedelta(days=40)  # the report's day
S = T - timedelta(days=100)  # the period's first day
C = T - timedelta(days=2)  # when the children were met


def years(n: int, days: int = 0) -> date:
    """Born ``n`` years (and ``days``) before T."""
    return T.replace(year=T.year - n) - timedelta(days=days)


def verified(db, officer, child, when) -> None:
    batch = VerificationBatch(commune_code=child.commune_code, number=_next_number(db, child),
                              created_by_id=officer.id)
    db.session.add(batch)
    db.session.add(VerificationItem(batch=batch, position=1, child_id=child.id,
                                    row_key=uuid.uuid4().hex, sent={}, outcome="verified",
                                    verified_id=child.personal_id, decided_at=when))
    db.session.flush()


def _next_number(db, child) -> int:
    from sqlalchemy import func, select

    return (db.session.scalar(select(func.max(VerificationBatch.number)).where(
        VerificationBatch.commune_code == child.commune_code)) or 0) + 1


@pytest.fixture()
def known_before_t(monkeypatch):
    """Every change made while active is recorded two days before the end of T."""
    moment = end_of_day(T) - timedelta(days=2)
    monkeypatch.setattr(periods, "utcnow", lambda: moment)
    yield moment
    monkeypatch.undo()


@pytest.fixture()
def small_register(app, db, officer, make, village, known_before_t):
    """Eleven children of the test commune, as the docstring of each line says (at T)."""
    kids = {}
    with app.test_request_context():
        kids["a"] = make.child(officer, village, "Lò Văn An", born=years(1), sex="1",
                               capture_date=C, personal_id="014225000001",
                               circumstances=[{"code": "DB01", "since": T - timedelta(200)}],
                               support=[{"form": "TG04", "date": T - timedelta(10),
                                         "provider": "UBND xã"}])  # special, supported
        kids["b"] = make.child(officer, village, "Quàng Thị Bình", born=years(4), sex="2",
                               capture_date=C, personal_id="014322000002", circumstances=[
                                   {"code": "DB04", "since": T - timedelta(50), "detail": {
                                       "disability_type": "KT01",
                                       "disability_level": "MD02"}},
                                   {"code": "DB08", "since": T - timedelta(50)}])  # abused
        kids["c"] = make.child(officer, village, "Lò Văn Cường", born=years(8), sex="1",
                               capture_date=C, circumstances=[
                                   {"code": "NC01", "since": T - timedelta(30),
                                    "detail": {"risk_reason": "LD05"}}])  # at risk
        kids["d"] = make.child(officer, village, "Vì Thị Dung", born=years(12), sex="2",
                               capture_date=C, poverty="poor", fields={
                                   "schooling_status": "HT07", "school_left_level": "THCS",
                                   "school_left_on": T - timedelta(60)})  # NC02, dropout
        kids["e"] = make.child(officer, village, "Lò Văn Én", born=years(16, -10), sex="1",
                               capture_date=S)  # 15 at T, 16 ten days after
        kids["f"] = make.child(officer, village, "Lò Thị Phương", born=years(15), sex="2",
                               capture_date=C, date_of_birth=years(17))  # over age at T
        kids["g"] = make.child(officer, village, "Lò Văn Giang", born=years(3), sex="1",
                               capture_date=C, circumstances=[
                                   {"code": "K03", "since": T - timedelta(20),
                                    "detail": {"injury_cause": "NN01"}}])  # injured
        kids["h"] = make.child(officer, village, "Lò Thị Hoa", born=years(5), sex="2",
                               capture_date=S)
        register.add_circumstance(officer, kids["h"], {
            "code": "K02", "since": T - timedelta(15),
            "detail": {"injury_cause": "NN01"}})  # died of drowning in the period
        kids["i"] = make.child(officer, village, "Lò Văn Ít", born=years(10), sex="1",
                               capture_date=S)
        register.close_child(officer, kids["i"], "moved_away", T - timedelta(5))
        kids["j"] = make.child(officer, village, "Lò Văn Giàu", born=years(7), sex="1",
                               capture_date=S)
        register.close_child(officer, kids["j"], "moved_away", T + timedelta(10))  # after T
        kids["k"] = make.child(officer, village, "Lò Thị Khánh", born=years(13), sex="2",
                               capture_date=C, circumstances=[
                                   {"code": "DB13", "since": T - timedelta(40),
                                    "until": T - timedelta(1)}])  # trafficked in the period
        db.session.flush()
    verified(db, officer, kids["a"], end_of_day(T) - timedelta(days=1))
    db.session.commit()
    return kids


# What the small register holds at T (S the period's first day), counted by hand.
EXPECTED = {
    "child_population": (8, {"sex": {"1": 5, "2": 3},
                             "age_group": {"0-2": 1, "3-5": 2, "6-10": 2, "11-15": 3}}),
    "special_circumstances": (2, {"group": {"DB01": 1, "DB04": 1, "DB08": 1}}),
    "special_circumstances_supported": (1, {"form": {"TG04": 1}}),
    "special_circumstances_unsupported": (1, {"group": {"DB04": 1, "DB08": 1}}),
    "at_risk": (2, {"reason": {"LD05": 1, "NC02": 1}}),
    "abused": (2, {"form": {"DB08": 1, "DB13": 1}, "sex": {"2": 2},
                   "age_group": {"3-5": 1, "11-15": 1}}),
    "injured": (1, {"cause": {"NN01": 1}}),
    "injury_deaths": (1, {"cause": {"NN01": 1}}),
    "with_personal_id": (2, {"verification": {"verified": 1, "unverified": 1}}),
    "dropouts": (1, {"level": {"THCS": 1}}),
}
