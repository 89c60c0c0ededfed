"""The officer's inbox: the commune's submissions waiting for review, oldest first.

Filters narrow it (village, collector, kind, flags); counts per village, collector and kind
are of the whole inbox; pages follow a keyset cursor on (received_at, id).
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, and_, exists, func, or_
from sqlalchemy.orm import selectinload

from fieldapp import access
from fieldapp.auth.models import User
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission, SubmissionConflict, SubmissionPair
from fieldapp.cursors import encode_cursor, read_cursor
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.review import duplicates

PAGE_SIZE = 50
OVERDUE = timedelta(days=7)
KINDS = {"new": "Thêm trẻ mới", "update": "Cập nhật"}
FLAGS = {"stale": "Sổ đã thay đổi", "conflict": "Xung đột", "duplicate": "Có thể trùng",
         "overdue": "Chờ quá 7 ngày"}


VILLAGE_CODE = re.compile(r"[0-9]{5}-[0-9]{3}")
ACCOUNT_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only; "²".isdigit() is true


def _account_id(text: str) -> int | None:
    return int(text) if ACCOUNT_ID.fullmatch(text) else None


@dataclass
class Filters:
    village: str = ""
    collector: int | None = None
    kind: str = ""
    flag: str = ""
    cursor: str = ""

    @classmethod
    def read(cls, args) -> "Filters":
        """Filters from a query string; a value that is not one of theirs is left out."""
        village = args.get("village", "")
        return cls(village=village if VILLAGE_CODE.fullmatch(village) else "",
                   collector=_account_id(args.get("collector", "")),
                   kind=args.get("kind", "") if args.get("kind") in KINDS else "",
                   flag=args.get("flag", "") if args.get("flag") in FLAGS else "",
                   cursor=args.get("cursor", "")[:200])

    def args(self, **changes) -> dict:
        values = {"village": self.village, "collector": self.collector, "kind": self.kind,
                  "flag": self.flag, **changes}
        return {key: value for key, value in values.items() if value}


@dataclass
class Row:
    submission: Submission
    child: Child | None
    stale: bool
    conflict: bool
    overdue: bool
    duplicates: list


STALE = and_(Submission.child_id.is_not(None),
             or_(Submission.base_version.is_(None), Submission.base_version < Child.version))
HAS_CONFLICT = exists().where(SubmissionConflict.submission_id == Submission.id)


def has_duplicate():
    return exists().where(SubmissionPair.submission_id == Submission.id, duplicates.live())


def waiting(user) -> Select:
    """Every submission of the officer's commune waiting for a decision."""
    return (access.submissions(user).where(Submission.state == "received")
            .outerjoin(Child, Child.id == Submission.child_id))


def filtered(user, f: Filters, now) -> Select:
    query = waiting(user)
    if f.village:
        query = query.where(Submission.village_code == f.village)
    if f.collector:
        query = query.where(Submission.user_id == f.collector)
    if f.kind:
        query = query.where(Submission.child_id.is_(None) if f.kind == "new"
                            else Submission.child_id.is_not(None))
    if f.flag == "stale":
        query = query.where(STALE)
    elif f.flag == "conflict":
        query = query.where(HAS_CONFLICT)
    elif f.flag == "overdue":
        query = query.where(Submission.received_at < now - OVERDUE)
    elif f.flag == "duplicate":  # read from the pairs stored as things changed
        query = query.where(Submission.child_id.is_(None), has_duplicate())
    return query


def page(user, f: Filters, size: int = PAGE_SIZE, now=None):
    """A page of rows and the cursor of the next one (``None`` at the end)."""
    now = now or utcnow()
    if f.flag == "duplicate":
        register.refresh_pairs()  # this transaction's own changes' pairs stored first
    query = (filtered(user, f, now).add_columns(Child, STALE.label("stale"),
                                                 HAS_CONFLICT.label("conflict"))
             .options(selectinload(Submission.user)))  # each row names its collector
    order = (Submission.received_at, Submission.id)
    after = _after(f.cursor)
    if after:
        query = query.where(or_(Submission.received_at > after[0],
                                and_(Submission.received_at == after[0],
                                     Submission.id > after[1])))
    found = db_rows(query.order_by(*order).limit(size + 1))
    rows = _rows(user, found[:size], now)
    return rows, _cursor(rows) if len(found) > size else None


def _cursor(rows: list) -> str:
    last = rows[-1].submission
    return encode_cursor([last.received_at.isoformat(), str(last.id)])


def _after(text: str):
    """The (received_at, id) a page starts after; ``None`` for the first or a forged one."""
    values = read_cursor(text) if text else None
    try:
        when, key = values
        when = datetime.fromisoformat(when)
        if when.tzinfo is None:
            return None
        return when.astimezone(UTC), uuid.UUID(key)
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None


def db_rows(query):
    return list(db.session.execute(query))


def _matches(user, submissions) -> dict:
    return duplicates.stored([s.id for s in submissions if s.child_id is None])


def _rows(user, found, now, matches=None) -> list[Row]:
    if matches is None:
        matches = _matches(user, [s for s, *_ in found])
    return [Row(s, child, bool(stale), bool(conflict), s.received_at < now - OVERDUE,
                matches.get(s.id, [])) for s, child, stale, conflict in found]


def counts(user, now=None) -> dict:
    """How many wait: in all, per village, per collector, per kind, stale, conflict, overdue."""
    now = now or utcnow()
    base = waiting(user).with_only_columns(func.count()).order_by(None)
    total = db.session.scalar(base)
    villages = db.session.execute(
        waiting(user).with_only_columns(Submission.village_code, Village.name, func.count())
        .join(Village, Village.code == Submission.village_code)
        .group_by(Submission.village_code, Village.name).order_by(Submission.village_code)).all()
    collectors = db.session.execute(
        waiting(user).with_only_columns(User.id, User.username, User.full_name, func.count())
        .join(User, User.id == Submission.user_id)
        .group_by(User.id, User.username, User.full_name).order_by(User.username)).all()
    new = db.session.scalar(base.where(Submission.child_id.is_(None)))
    return {
        "total": total, "villages": villages, "collectors": collectors,
        "kinds": {"new": new, "update": total - new},
        "flags": {"stale": db.session.scalar(base.where(STALE)),
                  "conflict": db.session.scalar(base.where(HAS_CONFLICT)),
                  "overdue": db.session.scalar(
                      base.where(Submission.received_at < now - OVERDUE))},
    }


def waiting_count(user) -> int:
    return db.session.scalar(waiting(user).with_only_columns(func.count()).order_by(None))


def following(user, f: Filters, submission: Submission) -> Submission | None:
    """The first waiting submission of the filters after ``submission`` (or, at the end of
    the list, the first one): where the officer goes after a decision."""
    cursor = encode_cursor([submission.received_at.isoformat(), str(submission.id)])
    for start in (cursor, ""):
        rows, _ = page(user, Filters(f.village, f.collector, f.kind, f.flag, start), size=1)
        if rows and rows[0].submission.id != submission.id:
            return rows[0].submission
    return None
