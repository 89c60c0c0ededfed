"""Probable duplicates of proposed new children (submissions waiting for review): among the
register's active children, and among the commune's other waiting new children (two
collectors registering the same child).

Judged by the register's matcher (``children.matching``: its blocks, then its score), the same
as the register's list of duplicates, so the panel, the inbox's filter and the bulk approval
agree with it. Many proposals are matched in one pass: the register is read once, for the
proposals' birth years and identity numbers (no pair outside them can be probable).
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from fieldapp.children import services as register
from fieldapp.children.matching import (
    Facts,
    add_caregivers,
    candidates,
    proposal,
    read_active,
    score,
)
from fieldapp.children.models import Child
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import age_limit
from fieldapp.collection.models import Submission, SubmissionPair
from fieldapp.extensions import db

IN_REGISTER = "Có thể trùng với trẻ đã có trong sổ."
WAITING = "Có thể trùng với phiếu khác đang chờ duyệt."


@dataclass
class Match:
    """A probable duplicate: a register child (``child_id``) or another waiting submission
    (``submission_id``)."""

    child_id: object
    full_name: str
    date_of_birth: date
    village_code: str
    score: int
    reasons: list[str]
    submission_id: object = None


__all__ = ["Match", "find", "proposal", "reasons_against", "stored"]  # proposal: matching's


def reasons_against(matches: list[Match]) -> list[str]:
    """Why these matches keep a submission out of the bulk approval."""
    out = [IN_REGISTER] if any(m.child_id is not None for m in matches) else []
    return out + ([WAITING] if any(m.submission_id is not None for m in matches) else [])


def find(commune_code: str, proposals: list[Facts | None],
         today: date | None = None) -> dict[object, list[Match]]:
    """The probable duplicates of each proposal (keyed by its ``id``), best first: the
    commune's active register children and its other waiting new-child submissions (a
    proposal that is not one of them, such as another commune's, is nobody's duplicate)."""
    asked = {p.id: p for p in proposals if p is not None}
    if not asked:
        return {}
    waiting = _waiting(commune_code)
    others = {key: p for key, p in waiting.items() if key not in asked}
    register = _register(commune_code, list(asked.values()), today or date.today())
    everyone = register + list(asked.values()) + list(others.values())
    pairs = [(i, j) for i, j in candidates(everyone)
             if everyone[i].id in asked or everyone[j].id in asked]
    add_caregivers({everyone[n].id: everyone[n] for pair in pairs for n in pair
                    if n < len(register)})
    out: dict[object, list[Match]] = {}
    for i, j in pairs:
        verdict = score(everyone[i], everyone[j])
        if not verdict.probable:
            continue
        for mine, theirs in ((i, j), (j, i)):
            if (mine >= len(register) and everyone[mine].id in asked
                    and (theirs < len(register) or everyone[theirs].id in waiting)):
                out.setdefault(everyone[mine].id, []).append(
                    _match(everyone[theirs], theirs < len(register), verdict))
    for found in out.values():
        found.sort(key=lambda m: (-m.score, m.child_id is None, m.full_name))
    return out


def _match(other: Facts, in_register: bool, verdict) -> Match:
    key = uuid.UUID(other.id) if in_register else None
    return Match(key, other.full_name, other.born, other.village_code, verdict.score,
                 verdict.reasons, None if in_register else other.id)


def _register(commune_code: str, proposals: list[Facts], today: date) -> list[Facts]:
    """The active children born in the proposals' years or holding their identity numbers."""
    years = sorted({p.born.year for p in proposals})
    numbers = sorted({p.personal_id for p in proposals if p.personal_id})
    near = [Child.date_of_birth.between(date(y, 1, 1), date(y, 12, 31)) for y in years]
    if numbers:
        near.append(Child.personal_id.in_(numbers))
    return read_active(commune_code, today, or_(*near))


def _waiting(commune_code: str) -> dict[object, Facts]:
    """The commune's new-child submissions waiting for a decision."""
    rows = db.session.execute(select(Submission.id, Submission.data).where(
        Submission.commune_code == commune_code, Submission.state == "received",
        Submission.child_id.is_(None)))
    found = {key: proposal(key, data) for key, data in rows}
    return {key: p for key, p in found.items() if p is not None}


def live(today: date | None = None):
    """A stored pair that still holds: its register child open and under 16 (twins leave
    the table when either is decided)."""
    child = aliased(Child)  # not the child of the query this goes in (an update's)
    return or_(SubmissionPair.child_id.is_(None), exists().where(
        child.id == SubmissionPair.child_id, child.closed_on.is_(None),
        child.date_of_birth > years_ago(today or date.today(), age_limit())))


def stored(submission_ids: list, today: date | None = None) -> dict[object, list[Match]]:
    """The probable duplicates of these submissions as stored when things changed
    (``collection.pairs``), best first: the same answers as :func:`find`, read."""
    register.refresh_pairs()  # this transaction's own changes first
    out: dict[object, list[Match]] = {}
    ids = list(submission_ids)
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            select(SubmissionPair.submission_id, SubmissionPair.child_id,
                   SubmissionPair.other_id, SubmissionPair.score, SubmissionPair.reasons,
                   Child.full_name, Child.date_of_birth, Child.village_code)
            .outerjoin(Child, Child.id == SubmissionPair.child_id)
            .where(SubmissionPair.submission_id.in_(ids[start:start + 500]), live(today)))
        rows = list(rows)
        others = _proposals({row.other_id for row in rows if row.other_id is not None})
        for row in rows:
            if row.child_id is not None:
                match = Match(row.child_id, row.full_name, row.date_of_birth, row.village_code,
                              row.score, list(row.reasons))
            elif row.other_id in others:
                other = others[row.other_id]
                match = Match(None, other.full_name, other.born, other.village_code,
                              row.score, list(row.reasons), row.other_id)
            else:
                continue
            out.setdefault(row.submission_id, []).append(match)
    for found in out.values():
        found.sort(key=lambda m: (-m.score, m.child_id is None, m.full_name))
    return out


def _proposals(ids: set) -> dict[object, Facts]:
    if not ids:
        return {}
    rows = db.session.execute(select(Submission.id, Submission.data)
                              .where(Submission.id.in_(sorted(ids))))
    found = {key: proposal(key, data) for key, data in rows}
    return {key: p for key, p in found.items() if p is not None}
