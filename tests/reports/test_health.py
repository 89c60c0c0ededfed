"""The communes' data health (issue 15 §3, ``reports.health``), counted by hand on a small
province: villages heard from in 30 days, submissions waiting more than 7 days, active
children with a police-verified number, open special-circumstance memberships reviewed within
the review period."""

import uuid
from datetime import date, timedelta

import pytest

from fieldapp import roles
from fieldapp.clock import months_ago
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from fieldapp.devices.models import Device
from fieldapp.reports.health import health
from tests.factories import COMMUNE_A
from tests.reports.conftest import verified
from tests.reports.province import neighbour  # noqa: F401  (a fixture)
from tests.submissions import child_id_number

TODAY = date.today()
NOW = utcnow()


def submission(db, user, place, days_ago: int, state: str = "received") -> Submission:
    at = NOW - timedelta(days=days_ago)
    s = Submission(id=uuid.uuid4(), kind="child", user_id=user.id,
                   commune_code=place.commune_code, village_code=place.code, captured_at=at,
                   received_at=at, updated_at=at, state=state, content_hash="x" * 64,
                   data={"child": {}})
    db.session.add(s)
    db.session.flush()
    return s


def phone(db, user, days_ago: int) -> Device:
    device = Device(phone_id=uuid.uuid4(), user_id=user.id,
                    last_seen_at=NOW - timedelta(days=days_ago))
    db.session.add(device)
    db.session.flush()
    return device


def db01(since: date) -> list[dict]:
    return [{"code": "DB01", "since": since}]


@pytest.fixture()
def province(db, make, officer, village, village2, far_village, neighbour):  # noqa: F811
    """Commune A: villages 1–3 in use (1 sent 2 days ago, 2's collaborator's phone was seen 5
    days ago, 3 sent 40 days ago — waiting since — and its phone was last seen 31 days ago)
    and one village no longer used; one submission approved 20 days after it came. Children:
    c1 with a verified number and DB01 since 2 months (never confirmed: reviewed); c2 with an
    unverified number, DB01 since 2 years, confirmed a year ago (not reviewed) and an ended
    DB01; c3 without a number, DB01 since 2 years confirmed last month (reviewed) and NC01;
    c4 closed (verified, DB01: not counted). The neighbour commune: one silent village, no
    child. Commune B (province 48) is busy and never shows."""
    third = make.village(name="Bản Thứ Ba")
    make.village(name="Bản Cũ", active=False)
    collector2, collector3 = (make.user(roles.COLLABORATOR, [v]) for v in (village2, third))
    submission(db, officer, village, 2)
    phone(db, collector2, 5)
    submission(db, officer, third, 40)
    submission(db, officer, village, 20, state="approved")
    phone(db, collector3, 31)
    far = make.user(roles.COMMUNE_OFFICER, [far_village.commune_code])
    submission(db, far, far_village, 40)
    c1 = make.child(officer, village, "Lò Văn Một", pid=child_id_number(tail="000001"),
                    circumstances=db01(TODAY - timedelta(days=60)))
    verified(db, officer, c1, NOW - timedelta(days=1))
    c2 = make.child(officer, village, "Lò Văn Hai", pid=child_id_number(tail="000002"),
                    circumstances=[*db01(TODAY - timedelta(days=730)),
                                   {"code": "DB01", "since": TODAY - timedelta(days=1000),
                                    "until": TODAY - timedelta(days=800)}])
    c3 = make.child(officer, village2, "Lò Văn Ba", circumstances=[
        *db01(TODAY - timedelta(days=730)),
        {"code": "NC01", "since": TODAY - timedelta(days=30), "detail": {"risk_reason": "LD05"}}])
    c4 = make.child(officer, village, "Lò Văn Bốn", pid=child_id_number(tail="000004"),
                    circumstances=db01(TODAY - timedelta(days=60)),
                    closed_on=TODAY - timedelta(days=3), closed_reason="moved_away")
    verified(db, officer, c4, NOW - timedelta(days=1))
    open_db01 = {c.child_id: c for c in (*c2.circumstances, *c3.circumstances)
                 if c.code == "DB01" and c.until is None}
    open_db01[c2.id].confirmed_on = months_ago(TODAY, 12)
    open_db01[c3.id].confirmed_on = TODAY - timedelta(days=30)
    make.child(far, far_village, "Trần Văn Xa", pid=child_id_number(tail="000005"))
    db.session.commit()
    return neighbour[0]


def test_each_commune_s_health_counted_by_hand(app, db, province):
    with app.test_request_context():
        rows = {row.code: row for row in health("14", TODAY, NOW)}
    assert set(rows) == {COMMUNE_A, province.code}
    a = rows[COMMUNE_A]
    assert (a.villages, a.synced, a.overdue) == (3, 2, 1)
    assert (a.children, a.verified) == (3, 1)
    assert (a.memberships, a.reviewed) == (3, 2)
    assert a.synced_share == pytest.approx(2 / 3) and a.reviewed_share == pytest.approx(2 / 3)
    other = rows[province.code]
    assert (other.villages, other.synced, other.overdue, other.children) == (1, 0, 0, 0)
    assert other.verified_share is None and other.reviewed_share is None
    assert other.name == province.name


def test_a_confirmation_within_the_review_period_counts_as_reviewed(app, db, province):
    with app.test_request_context():
        later = health("14", TODAY + timedelta(days=200), NOW + timedelta(days=200))
    a = next(row for row in later if row.code == COMMUNE_A)
    # 200 days on: c1's DB01 (started 260 days before) and c3's confirmation (230 days
    # before) are out of the six months; nothing is reviewed, nobody sent in 30 days, and
    # both submissions still waiting are overdue.
    assert (a.memberships, a.reviewed, a.synced, a.overdue) == (3, 0, 0, 2)


def test_the_dashboard_shows_the_figures(client, login, make, province):
    login(make.user(roles.PROVINCE_VIEWER, ["14"]))
    page = client.get("/reports/province").get_data(as_text=True)
    assert "2/3 (67%)" in page and "1/3 (33%)" in page
    assert "Thôn/bản đã đồng bộ (30 ngày)" in page
