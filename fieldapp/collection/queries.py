"""What a phone downloads: its user's own submissions, and the packet (villages, code lists,
the children and households of its villages), each as a first copy and then as deltas.

A cursor is an opaque text holding a time. It never runs ahead of ``now - LAG``: a change
whose transaction began earlier but committed later is sent again rather than missed, and the
phone merges what it gets by id, so a repeat costs nothing. The own-submissions feed comes in
pages whose ``next`` cursor holds the walk's start and the last row given (keyset pagination
on ``(updated_at, id)``): no answer grows with a collector's history.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, ChildChange, Household
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import AGE_LIMIT, age_limit
from fieldapp.clock import VIETNAM
from fieldapp.collection.models import STATES, Submission
from fieldapp.cursors import encode_cursor, read_cursor
from fieldapp.errors import BadRequest
from fieldapp.extensions import db
from fieldapp.places.models import Village

LAG = timedelta(minutes=2)
RECENT = timedelta(days=30)  # decided submissions a first download still shows
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)  # no walk of the feed began before this app
PHONE_LISTS = ("sex", "ethnicity", "nationality", "schooling_status", "poverty_status",
               "caregiver_relation", "circumstance", "support_form", "disability_type",
               "disability_level", "risk_reason", "injury_cause", "school_level")
WAITING = ("received", "returned")


def decode_cursor(text: str | None) -> dict | None:
    """The cursor's time (and code-list version); ``None`` for a first download."""
    if not text:
        return None
    try:
        values = read_cursor(text)
        values["t"] = _time(values["t"])
        return values
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise _bad_cursor() from None


def _time(text) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError
    value.astimezone(UTC)  # 0001-01-01T00:00+07:00 is before any UTC time
    return value


def _bad_cursor() -> BadRequest:
    return BadRequest("Tham số since không hợp lệ: hãy tải lại từ đầu (bỏ since).", {
        "since": ["Con trỏ không hợp lệ."]})


def _next(now: datetime, **more) -> str:
    return encode_cursor({"t": (now - LAG).isoformat(), **more})


@dataclass
class Walk:
    """Where a walk of the feed stands: from a time (``since``) or the default window
    (``since`` None), begun at ``start``, after the row (``updated_at``, ``id``) ``after``."""

    since: datetime | None
    start: datetime
    after: tuple[datetime, uuid.UUID] | None = None

    @classmethod
    def read(cls, text: str | None, now: datetime) -> "Walk":
        if not text:
            return cls(None, now)
        values = read_cursor(text)
        if not isinstance(values, dict) or "p" not in values:
            return cls(decode_cursor(text)["t"], now)  # a new walk after a time
        try:  # a next page: {"p": [since or null, start, last updated_at, last id]}
            since, start, updated, key = values["p"]
            start = _time(start)
            if not EARLIEST <= start <= now:  # forged: no walk began then
                raise ValueError(start)
            return cls(_time(since) if since is not None else None, start,
                       (_time(updated), uuid.UUID(key)))
        except (ValueError, TypeError, AttributeError, OverflowError):
            raise _bad_cursor() from None

    def page(self, last: Submission) -> str:
        since = self.since.isoformat() if self.since is not None else None
        return encode_cursor({"p": [since, self.start.isoformat(), last.updated_at.isoformat(),
                                    str(last.id)]})


def own_submissions(user, since: str | None, now: datetime, limit: int) -> dict:
    """A page of at most ``limit`` of the user's submissions, by (updated_at, id): changed
    after the cursor's time; without one, all those not decided yet (returned ones included,
    however old: a phone takes the absence of one it sent for a server that lost it) and
    those decided in the last 30 days. ``next`` (None on the last page) continues the walk;
    ``cursor`` is where the next download starts (``next`` itself while pages remain)."""
    walk = Walk.read(since, now)
    query = select(Submission).where(Submission.user_id == user.id)
    if walk.since is None:
        query = query.where(or_(Submission.state.in_(WAITING),
                                Submission.updated_at > walk.start - RECENT))
    else:
        query = query.where(Submission.updated_at > walk.since)
    if walk.after is not None:
        at, key = walk.after
        query = query.where(or_(Submission.updated_at > at,
                                and_(Submission.updated_at == at, Submission.id > key)))
    rows = list(db.session.scalars(
        query.order_by(Submission.updated_at, Submission.id).limit(limit + 1)))
    following = walk.page(rows[limit - 1]) if len(rows) > limit else None
    return {"cursor": following or _next(walk.start), "next": following,
            "submissions": [submission_json(s) for s in rows[:limit]]}


def submission_json(s: Submission) -> dict:
    waiting = s.state in WAITING
    child = (s.data or {}).get("child") or {}
    return {
        "uuid": str(s.id), "kind": s.kind, "state": s.state, "state_label": STATES[s.state],
        "stale": s.stale, "child_id": str(s.child_id) if s.child_id else None,
        "base_version": s.base_version,
        "corrects": str(s.corrects_id) if s.corrects_id else None,
        "captured_at": s.captured_at.isoformat(), "received_at": s.received_at.isoformat(),
        "updated_at": s.updated_at.isoformat(), "note": s.note,
        "label": str(child.get("full_name") or ""),
        # Restricted groups the author entered stay theirs to see only until the decision.
        "data": s.data if waiting else None,
    }


def code_lists() -> dict[str, list[dict]]:
    return {name: [{"code": i.code, "label": i.label, "block": i.block, "parent": i.parent,
                    "restricted": bool(i.restricted)} for i in catalogue.items(name)]
            for name in PHONE_LISTS}


def _version_of(lists: dict) -> str:
    text = json.dumps(lists, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def packet(user, since: str | None, now: datetime) -> dict:
    """What the phone of a village head or collaborator needs to work offline.

    ``rules.age_limit`` is the age limit in force (a setting), which the phone's checks use;
    when it changed since the cursor (``al``, 16 in cursors made before it), the answer is a
    full packet: children who crossed the limit either way must come or go.
    """
    cursor = decode_cursor(since)
    limit = age_limit()
    if cursor is not None and cursor.get("al", AGE_LIMIT) != limit:
        cursor = None
    villages = list(db.session.scalars(
        access.villages(user).where(Village.active.is_(True)).order_by(Village.code)))
    lists = code_lists()
    version = _version_of(lists)
    children, households, removed = _register(user, cursor, now)
    return {
        "cursor": _next(now, cl=version, al=limit), "full": cursor is None,
        "rules": {"age_limit": limit},
        "user": {"id": user.id, "username": user.username, "full_name": user.full_name,
                 "role": user.role},
        "villages": [{"code": v.code, "name": v.name} for v in villages],
        "code_lists": lists if cursor is None or cursor.get("cl") != version else None,
        "households": [child_record.of_household(h) for h in households],
        "children": [child_record.of_child(c, register.circumstances(c, user),
                                      register.supports(c, user)) for c in children],
        "removed": removed,
    }


def _register(user, cursor: dict | None, now: datetime):
    today = now.astimezone(VIETNAM).date()
    query = access.children(user).options(
        selectinload(Child.caregivers), selectinload(Child.circumstances),
        selectinload(Child.support))
    households = access.households(user)
    removed = {"children": [], "households": []}
    born_by = years_ago(today, age_limit())  # born on or before: of age today
    if cursor is None:
        query = query.where(Child.closed_on.is_(None), Child.date_of_birth > born_by)
    else:
        # Changed since the cursor, or came of age since: the phone must forget those.
        since_day = cursor["t"].astimezone(VIETNAM).date()
        query = query.where(or_(Child.updated_at > cursor["t"], Child.date_of_birth.between(
            years_ago(since_day, age_limit()), born_by)))
        households = households.where(Household.updated_at > cursor["t"])
        removed["children"] = _moved_out(user, cursor["t"])
    children = []
    for child in db.session.scalars(query.order_by(Child.village_code, Child.name_key)):
        if child.closed_on is not None or child.date_of_birth <= born_by:
            removed["children"].append(str(child.id))
        else:
            children.append(child)
    return children, list(db.session.scalars(households.order_by(Household.head_name))), removed


def _moved_out(user, since: datetime) -> list[str]:
    """Children moved since the cursor from one of the user's villages to another village of
    the commune: the phone must forget them. The changes of children who never were in the
    user's villages are none of the phone's business (nor are their ids)."""
    mine = user.village_codes
    query = (select(ChildChange.child_id, ChildChange.changes)
             .join(Child, Child.id == ChildChange.child_id)
             .where(ChildChange.at > since, Child.commune_code == user.commune_code,
                    Child.village_code.not_in(mine or [""])))
    moved = {row.child_id for row in db.session.execute(query)
             if any(change.get("field") == "child.village_code" and change.get("old") in mine
                    for change in row.changes or [])}
    return sorted(str(key) for key in moved)
