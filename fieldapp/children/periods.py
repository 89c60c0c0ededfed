"""What the register knew when (ARCHITECTURE decision 10, issue 15 §1 "As of a date"): for
each child a :class:`ChildPeriod` and for each of its circumstance and support rows a
:class:`MembershipPeriod`, each valid in system time from ``recorded_from`` until
``recorded_until`` (the open one ``None``).

Written here, by one Session hook, in the transaction of the change whatever path made it
(the services, a bulk approval, an import, a transfer): after each flush, the children whose
period columns changed (or that were created) get their open ``child_period`` closed and a
new one copied from ``child``; the children one of whose circumstance or support rows was
added, changed or deleted get all their open ``membership_period`` rows closed and new ones
copied from their rows. A membership period repeats its child's period columns (``REPEATED``),
so a change of those closes and copies the child's memberships too, and a province's report
groups membership rows without joining a million children (``reports.frame``). In bulk: per
flush one UPDATE and one INSERT … SELECT per table, whatever the number of children.
Caregivers are not in periods: a caregiver-only change writes none.

One moment per transaction (the first flush's ``utcnow``): a child written twice in one
transaction has the rows of the earlier flush deleted, not closed, so no row of zero length
is kept. Reports group over the rows valid at a moment (:func:`known_at`).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    String,
    and_,
    cast,
    delete,
    event,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, attributes

from fieldapp.children.models import (
    Child,
    ChildPeriod,
    Circumstance,
    MembershipPeriod,
    SupportRecord,
)
from fieldapp.clock import VIETNAM
from fieldapp.db import UTCDateTime, utcnow

NOW = "fieldapp.periods.now"  # the session's info keys, for the transaction
WRITTEN = "fieldapp.periods.written"
# The columns of child a period copies (those that change the child's period).
COLUMNS = ("commune_code", "province_code", "village_code", "sex", "date_of_birth",
           "ethnicity_code", "personal_id", "schooling_status", "school_left_level",
           "school_left_on", "closed_on", "closed_reason")
# The child period's columns a membership period repeats (what a report groups by).
REPEATED = ("commune_code", "province_code", "village_code", "sex", "date_of_birth",
            "ethnicity_code", "has_personal_id", "schooling_status", "school_left_level",
            "closed_on")
CHUNK = 500
PASSIVE = attributes.PASSIVE_NO_INITIALIZE  # what the flush wrote; never a load


def known_at(moment: datetime, table=None):
    """The condition of rows (of ``child_period``, or of ``table``: ChildPeriod or
    MembershipPeriod or an alias) the register held at ``moment``."""
    table = ChildPeriod if table is None else table
    return and_(table.recorded_from <= moment,
                or_(table.recorded_until.is_(None), table.recorded_until > moment))


def end_of_day(day: date) -> datetime:
    """The last moment (exclusive end) of ``day`` in Vietnam, as an aware UTC datetime: a
    report "at" a day reads the register as known at the end of it."""
    midnight = datetime.combine(day + timedelta(days=1), time(), VIETNAM)
    return (midnight - timedelta(microseconds=1)).astimezone(UTC)


@event.listens_for(Session, "after_flush")
def _record(session, _context) -> None:
    children, memberships = set(), set()
    for obj in session.new:
        if isinstance(obj, Child):
            children.add(obj.id)
            memberships.add(obj.id)
    fresh = set(children)  # new children: nothing open to close
    for obj in session.dirty:
        if isinstance(obj, Child) and any(
                attributes.get_history(obj, name, PASSIVE).has_changes() for name in COLUMNS):
            children.add(obj.id)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Circumstance | SupportRecord):
            history = attributes.get_history(obj, "child_id", PASSIVE)
            memberships.update(key for key in (obj.child_id, *history.deleted) if key)
    memberships |= children  # they repeat the child's columns
    if not memberships:
        return
    info = session.info
    now = info.setdefault(NOW, utcnow())
    written = info.setdefault(WRITTEN, {"child": set(), "membership": set()})
    connection = session.connection()
    _write(connection, ChildPeriod, sorted(children), fresh, now, written["child"],
           _child_rows)
    _write(connection, MembershipPeriod, sorted(memberships), fresh, now,
           written["membership"], _membership_rows)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(NOW, None)
        session.info.pop(WRITTEN, None)


def _write(connection, model, keys: list, fresh: set, now: datetime, written: set,
           rows) -> None:
    if not keys:
        return
    again = sorted(written.intersection(keys))
    for start in range(0, len(again), CHUNK):  # this transaction's own rows: replaced
        connection.execute(delete(model).where(
            model.child_id.in_(again[start:start + CHUNK]), model.recorded_from == now,
            model.recorded_until.is_(None)))
    chunks = [keys[start:start + CHUNK] for start in range(0, len(keys), CHUNK)]
    old = [key for key in keys if key not in fresh]
    for chunk in (old[start:start + CHUNK] for start in range(0, len(old), CHUNK)):
        # all closed before any is opened: a row may move between children (a merge)
        connection.execute(sql_update(model).where(
            model.child_id.in_(chunk), model.recorded_until.is_(None))
            .values(recorded_until=now))
    for chunk in chunks:
        connection.execute(rows(chunk, now))
    written.update(keys)


def _period_columns() -> dict:
    """A child's period columns, by name, as read from ``child``."""
    c = Child
    columns = {name: getattr(c, name) for name in COLUMNS if name != "personal_id"}
    columns["has_personal_id"] = and_(c.personal_id.is_not(None), c.personal_id != "")
    return columns


def _child_rows(keys: list, now: datetime):
    columns = _period_columns()
    return insert(ChildPeriod).from_select(
        ["child_id", *columns, "recorded_from"],
        select(Child.id, *columns.values(), literal(now, UTCDateTime()))
        .where(Child.id.in_(keys)))


def _membership_rows(keys: list, now: datetime):
    m, s = Circumstance, SupportRecord
    at = literal(now, UTCDateTime())
    child = [_period_columns()[name] for name in REPEATED]
    circumstances = select(
        m.child_id, literal_column("'circumstance'", String), m.id, m.code, m.detail,
        m.since, m.until, cast(null(), MembershipPeriod.amount_vnd.type), at, *child,
    ).join(Child, Child.id == m.child_id).where(m.child_id.in_(keys))
    support = select(
        s.child_id, literal_column("'support'", String), s.id, s.form,
        cast(null(), MembershipPeriod.detail.type), s.given_on, s.until, s.amount_vnd, at,
        *child,
    ).join(Child, Child.id == s.child_id).where(s.child_id.in_(keys))
    return insert(MembershipPeriod).from_select(
        ["child_id", "kind", "row_id", "code", "detail", "since", "until", "amount_vnd",
         "recorded_from", *REPEATED], union_all(circumstances, support))
