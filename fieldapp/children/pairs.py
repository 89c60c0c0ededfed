"""The register's probable duplicate pairs, kept as the register changes: computed once per
change, not on each read (issue 13).

Every flush notes which children it wrote (a child's row or a caregiver's) on its database
connection (so that every session of one connection sees them, as the tests' sessions, and a
rolled-back transaction's notes only cost a judgement that finds nothing); before the
transaction commits, or before the pairs are read, the pairs of those children are judged
again by the one scorer
(``children.matching``: its blocks, then its score) against the active children of their
commune born in their years or holding their identity numbers (no other pair can be
probable), and stored in :class:`DuplicatePair`. The features that keep pairs of their own
against the register (``collection``: waiting new children) are told which children changed
through ``signals.register_changed``, in the same transaction: ``children`` imports none of them.

The pairs are judged with today's age limit; a child who turns 16 or is closed later is left
out when the pairs are read. :func:`rebuild` judges a whole commune from scratch (after an
upgrade, or a bulk load that bypassed the ORM).
"""

import uuid
from collections import defaultdict
from datetime import date

from flask import has_app_context
from sqlalchemy import delete, event, or_, select
from sqlalchemy.orm import Session

from fieldapp import signals
from fieldapp.children.matching import (
    PROBABLE,
    Facts,
    add_caregivers,
    candidates,
    read_active,
    score,
)
from fieldapp.children.models import Caregiver, Child, DuplicatePair
from fieldapp.db import upsert
from fieldapp.extensions import db

CHANGED = "fieldapp.children.changed"  # the connection's info key: ids of children written
CHUNK = 500


@event.listens_for(Session, "after_flush")
def _noticed(session, _context) -> None:
    written = [o for group in (session.new, session.dirty, session.deleted) for o in group
               if isinstance(o, Child | Caregiver)]
    if written:
        ids = session.connection().info.setdefault(CHANGED, set())
        ids.update(o.id if isinstance(o, Child) else o.child_id for o in written)


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    # Only the app's session of this context: another session (a script's) judges nothing.
    if has_app_context() and session is db.session():
        refresh()


def refresh() -> None:
    """Store the pairs of the children written since the last refresh, then tell the
    features that listen (``signals.register_changed``). Runs before each commit; call it
    to read the pairs before then."""
    session = db.session()
    session.flush()
    ids = {key for key in session.connection().info.pop(CHANGED, set()) if key is not None}
    if ids:
        _refresh(ids)
    signals.register_changed.send(None, child_ids=ids)


def _refresh(ids: set, today: date | None = None) -> None:
    today = today or date.today()
    keys = sorted(ids)
    communes = defaultdict(list)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        db.session.execute(delete(DuplicatePair).where(or_(
            DuplicatePair.child_a_id.in_(chunk), DuplicatePair.child_b_id.in_(chunk))))
        for key, commune in db.session.execute(
                select(Child.id, Child.commune_code).where(Child.id.in_(chunk))):
            communes[commune].append(key)
    for commune, mine in communes.items():
        changed = [f for start in range(0, len(mine), CHUNK)
                   for f in read_active(commune, today, Child.id.in_(mine[start:start + CHUNK]))]
        if changed:
            near = read_active(commune, today, near_any(changed))
            _store(commune, near, {f.id for f in changed})


def near_any(children: list[Facts]):
    """Born in one of the years of ``children`` or holding one of their identity numbers:
    where their probable duplicates can be (``children.matching``'s blocks)."""
    years = sorted({f.born.year for f in children})
    numbers = sorted({f.personal_id for f in children if f.personal_id})
    near = [Child.date_of_birth.between(date(y, 1, 1), date(y, 12, 31)) for y in years]
    if numbers:
        near.append(Child.personal_id.in_(numbers))
    return or_(*near)


def _store(commune: str, children: list[Facts], mine: set | None) -> int:
    """Judge the pairs of ``children`` (those with one of ``mine``, or all) and insert the
    probable ones; scored first without caregivers, who add 5 points at most."""
    near = []
    for i, j in candidates(children):
        a, b = sorted((children[i], children[j]), key=lambda f: uuid.UUID(f.id))
        if mine is not None and a.id not in mine and b.id not in mine:
            continue
        if score(a, b).score + 5 >= PROBABLE:
            near.append((a, b))
    add_caregivers({f.id: f for pair in near for f in pair})
    rows = [{"commune_code": commune, "child_a_id": uuid.UUID(a.id),
             "child_b_id": uuid.UUID(b.id), "score": verdict.score}
            for a, b in near if (verdict := score(a, b)).probable]
    if rows:  # two requests judging one pair from both ends: the first one's row stays
        db.session.execute(upsert(db.session, DuplicatePair.__table__).on_conflict_do_nothing(
            index_elements=["child_a_id", "child_b_id"]), rows)
    return len(rows)


def rebuild(commune: str, today: date | None = None) -> int:
    """Judge every pair of the commune's active children again; returns how many are
    probable."""
    db.session.execute(delete(DuplicatePair).where(DuplicatePair.commune_code == commune))
    return _store(commune, read_active(commune, today or date.today()), None)
