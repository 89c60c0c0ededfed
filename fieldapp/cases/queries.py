"""Cases as their readers list them (issue 16 §5): by state, risk and overdue, newest report
first, a page at a time (keyset cursors, ARCHITECTURE decision 9)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, false, func, or_, select, true

from fieldapp import access
from fieldapp.cases import machine
from fieldapp.cases.deadlines import ASSESSMENT, BEFORE_ASSESSMENT, BEFORE_PLAN, PLAN_WORKING_DAYS
from fieldapp.cases.models import Case
from fieldapp.children.queries import end_of_day
from fieldapp.clock import VIETNAM
from fieldapp.cursors import encode_cursor, read_cursor
from fieldapp.errors import BadRequest
from fieldapp.extensions import db
from fieldapp.workdays import declared, working_day_after

STATE_FILTERS = ("open", "closed", *machine.STATES)


@dataclass(frozen=True)
class Filters:
    state: str = "open"  # "open", "closed", "" (all) or a state
    risk: str = ""
    overdue: bool = False
    child_id: uuid.UUID | None = None
    source: str = ""


def overdue(now: datetime):
    """The condition of cases with a deadline passed and not met: the initial assessment 12
    hours after the report, the plan after the 5th working day (``cases.deadlines``)."""
    today = now.astimezone(VIETNAM).date()
    days = _declared(today)
    last = today  # the latest day received whose plan was due before today
    while working_day_after(last, PLAN_WORKING_DAYS, days) >= today:
        last -= timedelta(days=1)
    return or_(and_(Case.state.in_(BEFORE_ASSESSMENT), Case.received_at <= now - ASSESSMENT),
               and_(Case.state.in_(BEFORE_PLAN), Case.received_at <= end_of_day(last)))


def _declared(today) -> dict:
    """The admin's days around ``today``: enough for every plan deadline near it."""
    return declared(today - timedelta(days=60), today + timedelta(days=60))


def page(user, filters: Filters, limit: int, cursor: str | None, now: datetime):
    """A page of the cases ``user`` reads, and the cursor of the next (None at the end)."""
    query = access.cases(user)
    if filters.state == "open":
        query = query.where(Case.state.in_(machine.OPEN))
    elif filters.state:
        query = query.where(Case.state == filters.state)
    if filters.risk:
        query = query.where(Case.risk == filters.risk)
    if filters.overdue:
        query = query.where(overdue(now))
    if filters.child_id:
        query = query.where(Case.child_id == filters.child_id)
    if filters.source:
        query = query.where(Case.source == filters.source)
    if cursor:
        after = read_cursor(cursor)
        try:
            moment, key = datetime.fromisoformat(after[0]), uuid.UUID(after[1])
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            raise BadRequest("Tham số cursor không hợp lệ.", {"cursor": [
                "Dùng giá trị next của trang trước."]}) from None
        query = query.where(or_(Case.received_at < moment,
                                and_(Case.received_at == moment, Case.id < key)))
    rows = list(db.session.scalars(
        query.order_by(Case.received_at.desc(), Case.id.desc()).limit(limit + 1)))
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        following = encode_cursor([last.received_at.isoformat(), str(last.id)])
    return rows, following


def due_today(now: datetime):
    """The condition of cases with a deadline not met that falls later today (Vietnam)."""
    today = now.astimezone(VIETNAM).date()
    admin_days = _declared(today)
    days = [today - timedelta(days=n) for n in range(40)]  # Tết's week and two weekends
    received = [day for day in days
                if working_day_after(day, PLAN_WORKING_DAYS, admin_days) == today]
    plan = and_(Case.state.in_(BEFORE_PLAN),
                Case.received_at > end_of_day(min(received) - timedelta(days=1)),
                Case.received_at <= end_of_day(max(received))) if received else false()
    assessment = and_(Case.state.in_(BEFORE_ASSESSMENT), Case.received_at > now - ASSESSMENT,
                      Case.received_at <= end_of_day(today) - ASSESSMENT)
    return or_(assessment, plan)


def counts(user, now: datetime) -> dict[str, int]:
    """For the home page: open cases, those overdue, due today, waiting for the chair, and the
    reports sent from the field's phones no one has taken a step on yet (``new_reports``;
    ``urgent`` of them called urgent by the reporter)."""
    new = and_(Case.submission_id.is_not(None), Case.state == machine.RECEIVED)
    conditions = {"open": true(), "overdue": overdue(now), "due_today": due_today(now),
                  "waiting_approval": Case.state == machine.PLANNED, "new_reports": new,
                  "urgent": and_(new, Case.urgent.is_(True))}
    query = access.cases(user).where(Case.state.in_(machine.OPEN)).with_only_columns(
        *(func.count().filter(condition).label(name) for name, condition in conditions.items()))
    return dict(db.session.execute(query).one()._mapping)


def of_child(user, child_id) -> int:
    """How many cases about the register child ``child_id`` ``user`` reads."""
    query = access.cases(user).where(Case.child_id == child_id)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))
