"""Probable duplicates of proposed new children (submissions waiting for review): among the
register's active children, and among the commune's other waiting new children (two
collectors registering the same child).

Judged by the register's matcher (``children.matching``: its blocks, then its score), the same
as the register's list of duplicates, so the panel, the inbox's filter and the bulk approval
agree with it. Many proposals are matched in one pass: the register is read once, for the
proposals' birth years and identity numbers (no pair outside them can be probable).
"""

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from fieldapp.children.matching import Facts, add_caregivers, candidates, read_active, score
from fieldapp.children.models import Child
from fieldapp.children.search import fold
from fieldapp.children.validators import parse_date
from fieldapp.collection.models import Submission
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


def proposal(key, data: dict) -> Facts | None:
    """What the matcher compares of a submission's proposed child (``None`` without a name
    or a readable birth date: nothing to compare)."""
    child = (data or {}).get("child") or {}
    name = " ".join(unicodedata.normalize("NFC", str(child.get("full_name") or "")).split())
    born = parse_date(child.get("date_of_birth"))
    if not name or not isinstance(born, date):
        return None
    return Facts(key, name, fold(name), str(child.get("sex") or ""), born,
                 str(child.get("village_code") or ""),
                 ((data or {}).get("household") or {}).get("id"),
                 str(child.get("personal_id") or "") or None,
                 tuple(fold((c or {}).get("full_name") or "")
                       for c in (data or {}).get("caregivers") or []))


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
