"""Probable duplicates in the register of a proposed new child (rapidfuzz, diacritics folded).

A register child is a probable duplicate when its name is close (token order ignored) and
something else agrees: the same identity number, birth date, birth year with the same
household or a caregiver of the same name. Many proposals are matched in one pass: the
commune's children are read once and blocked by birth year.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import or_, select

from fieldapp.children.models import Caregiver, Child
from fieldapp.children.search import fold
from fieldapp.children.validators import parse_date
from fieldapp.extensions import db

NAME_WITH_DATE = 85  # same birth date
NAME_WITH_YEAR = 92  # same birth year only
NAME_WITH_FAMILY = 80  # same year and the same household or caregiver
CAREGIVER_NAME = 90


@dataclass
class Proposal:
    key: object
    name: str
    born: date | None
    personal_id: str | None = None
    household_id: str | None = None
    caregivers: list[str] = field(default_factory=list)


@dataclass
class Match:
    child_id: object
    full_name: str
    date_of_birth: date
    village_code: str
    score: int
    reasons: list[str]


def proposal(key, data: dict) -> Proposal:
    """A proposal from a submission's snapshot."""
    child = data.get("child") or {}
    return Proposal(
        key=key, name=fold(child.get("full_name") or ""),
        born=parse_date(child.get("date_of_birth")),
        personal_id=re.sub(r"[\s.-]", "", str(child.get("personal_id") or "")) or None,
        household_id=(data.get("household") or {}).get("id"),
        caregivers=[fold((c or {}).get("full_name") or "") for c in data.get("caregivers") or []],
    )


def find(commune_code: str, proposals: list[Proposal]) -> dict[object, list[Match]]:
    """The probable duplicates of each proposal among the commune's open records.

    One read of the register for the proposals' birth years (and identity numbers); names
    are scored per year in rapidfuzz's C loop, and only the children whose name comes close
    have their caregivers read and the other rules judged.
    """
    proposals = [p for p in proposals if p.name and p.born]
    if not proposals:
        return {}
    columns = (Child.id, Child.full_name, Child.name_key, Child.date_of_birth,
               Child.village_code, Child.household_id, Child.personal_id)
    open_here = (Child.commune_code == commune_code, Child.closed_on.is_(None))
    years = sorted({p.born.year for p in proposals})
    rows = db.session.execute(select(*columns).where(*open_here, or_(*(
        Child.date_of_birth.between(date(y, 1, 1), date(y, 12, 31)) for y in years)))).all()
    ids = {p.personal_id for p in proposals if p.personal_id}
    if ids:
        rows += db.session.execute(select(*columns).where(
            *open_here, Child.personal_id.in_(ids))).all()
    by_year: dict[int, list] = {}
    by_number: dict[str, list] = {}
    for row in {row.id: row for row in rows}.values():
        by_year.setdefault(row.date_of_birth.year, []).append(row)
        if row.personal_id:
            by_number.setdefault(row.personal_id, []).append(row)
    names = {year: [row.name_key for row in block] for year, block in by_year.items()}
    candidates = {}
    for p in proposals:
        block = by_year.get(p.born.year, [])
        close = process.extract(p.name, names.get(p.born.year, []), scorer=fuzz.token_sort_ratio,
                                score_cutoff=NAME_WITH_FAMILY - 0.5, limit=None)
        candidates[p.key] = [block[i] for _, _, i in close] + by_number.get(
            p.personal_id or "", [])
    caregivers = _caregivers(list({r.id for rows in candidates.values() for r in rows}))
    out = {}
    for p in proposals:
        seen = {}
        for row in candidates[p.key]:
            match = seen.get(row.id) or _judge(p, row, caregivers.get(row.id, []))
            if match:
                seen[row.id] = match
        if seen:
            out[p.key] = sorted(seen.values(), key=lambda m: -m.score)
    return out


def among(p: Proposal, children: list[Child]) -> list[Match]:
    """The probable duplicates of ``p`` among ``children`` already loaded (those a bulk
    approval has just made, which :func:`find` read before they existed)."""
    if not (p.name and p.born):
        return []
    near = [c for c in children if c.date_of_birth.year == p.born.year
            or (p.personal_id and c.personal_id == p.personal_id)]
    found = (_judge(p, c, [fold(g.full_name) for g in c.caregivers]) for c in near)
    return [match for match in found if match]


def _caregivers(child_ids: list) -> dict[object, list[str]]:
    out: dict[object, list[str]] = {}
    for start in range(0, len(child_ids), 500):  # bound the IN list
        for child_id, name in db.session.execute(
                select(Caregiver.child_id, Caregiver.full_name)
                .where(Caregiver.child_id.in_(child_ids[start:start + 500]))):
            out.setdefault(child_id, []).append(fold(name))
    return out


def _judge(p: Proposal, row, caregivers: list[str]) -> Match | None:
    score = round(fuzz.token_sort_ratio(p.name, row.name_key))
    same_number = bool(p.personal_id and p.personal_id == row.personal_id)
    if score < NAME_WITH_FAMILY and not same_number:
        return None  # every other rule needs a close name
    reasons = [f"Tên gần giống ({score}%)" if score < 100 else "Cùng họ tên"]
    same_day = p.born == row.date_of_birth
    same_year = p.born.year == row.date_of_birth.year
    same_household = bool(p.household_id and p.household_id == str(row.household_id))
    carer = next((c for c in p.caregivers for known in caregivers
                  if c and fuzz.token_sort_ratio(c, known) >= CAREGIVER_NAME), None)
    if same_number:
        reasons.insert(0, "Trùng số định danh")
    if same_day:
        reasons.append("Cùng ngày sinh")
    elif same_year:
        reasons.append("Cùng năm sinh")
    if same_household:
        reasons.append("Cùng hộ gia đình")
    if carer:
        reasons.append("Cùng tên người nuôi dưỡng")
    probable = (same_number or (same_day and score >= NAME_WITH_DATE)
                or (same_year and score >= NAME_WITH_YEAR)
                or (same_year and score >= NAME_WITH_FAMILY and (same_household or carer)))
    if not probable:
        return None
    return Match(row.id, row.full_name, row.date_of_birth, row.village_code, score, reasons)
