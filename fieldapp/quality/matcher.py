"""Probable duplicates in the register (DOMAIN §5 step 3): pairs of open children of a commune
that are probably one child recorded twice, scored by ``quality.similarity``.

A scan reads the commune once and finds candidates in blocks, none walking all pairs in
Python: children born the same day, names compared in rapidfuzz's C loop (``process.extract``
with a cutoff, and a dict for a name with one word more); then dicts of the name's words (but
middle names) with the village and birth year, the birth year and month, or the birth year
and the day and month swapped; and of the ID number. Those are all the pairs that can reach
80: born on other days, only names that differ by middle names can; born in another month of
the year, only the same name in the same village; in another year, none.
"""

import gc
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from rapidfuzz import fuzz, process
from sqlalchemy import String, cast, select, type_coerce

from fieldapp.children.models import Caregiver, Child
from fieldapp.children.queries import years_ago
from fieldapp.children.search import fold
from fieldapp.children.validators import AGE_LIMIT
from fieldapp.extensions import db
from fieldapp.quality.models import NotDuplicate
from fieldapp.quality.similarity import PROBABLE, Facts, parse_name, score

CANDIDATE = 75  # the name keys' ratio for children born the same day to be scored at all


@dataclass
class Pair:
    """Two children (``a.id < b.id``, as :class:`NotDuplicate` stores them) and the verdict."""

    a: Facts
    b: Facts
    score: int
    reasons: list[str] = field(default_factory=list)


def scan(commune_code: str, *, village_code: str | None = None,
         today: date | None = None) -> list[Pair]:
    """The probable duplicate pairs of the commune's open children, best first.

    Closed (moved, died, merged) and over-age records are left out, and so are the pairs the
    officer marked "không phải cùng một trẻ". With ``village_code``, the pairs with at least
    one child of that village.
    """
    with _collector_paused():
        children = _read(commune_code, today or date.today())
        found = _candidates(children)
        dismissed = set(map(tuple, db.session.execute(
            select(cast(NotDuplicate.child_a_id, String), cast(NotDuplicate.child_b_id, String))
            .where(NotDuplicate.commune_code == commune_code))))
        near = []  # scored first without caregivers, who add 5 points at most
        for i, j in found:
            a, b = sorted((children[i], children[j]), key=lambda f: f.id)
            if village_code and village_code not in (a.village_code, b.village_code):
                continue
            if (a.id, b.id) not in dismissed and score(a, b).score + 5 >= PROBABLE:
                near.append((a, b))
        _add_caregivers({f.id: f for pair in near for f in pair})
    pairs = []
    for a, b in near:
        verdict = score(a, b)
        if verdict.probable:
            pairs.append(Pair(a, b, verdict.score, verdict.reasons))
    for f in {id(f): f for pair in pairs for f in (pair.a, pair.b)}.values():
        f.id = uuid.UUID(f.id)
    pairs.sort(key=lambda p: (-p.score, p.a.words, p.b.words, p.a.id))
    return pairs


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off during a scan: it would walk the 100,000
    children's objects again and again (three times the time of the work itself); what the
    scan leaves behind is collected once it is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def count(commune_code: str, today: date | None = None) -> int:
    """How many probable duplicate pairs the commune has (the officer's home)."""
    return len(scan(commune_code, today=today))


def _read(commune_code: str, today: date) -> list[Facts]:
    """The commune's open children. Ids as text and the birth date as the driver gives it:
    the per-row conversions would cost more than the whole matching (100,000 rows)."""
    rows = db.session.execute(
        select(cast(Child.id, String), Child.full_name, Child.name_key, Child.sex,
               type_coerce(Child.date_of_birth, String), Child.village_code,
               cast(Child.household_id, String), Child.personal_id)
        .where(Child.commune_code == commune_code, Child.closed_on.is_(None),
               Child.date_of_birth > years_ago(today, AGE_LIMIT)))
    names: dict[tuple, tuple] = {}  # a commune's names repeat: each one parsed once
    out = []
    for row in rows:
        parsed = names.get((row[1], row[2]))
        if parsed is None:
            parsed = names[(row[1], row[2])] = parse_name(row[1], row[2])
        out.append(Facts(*row, (), *parsed))
    return out


def _candidates(children: list[Facts]) -> set[tuple[int, int]]:
    """Index pairs worth scoring (``i < j``), from the blocks (module docstring)."""
    by_day, exact = defaultdict(list), defaultdict(list)
    for n, child in enumerate(children):
        born, key = child.born, child.key
        by_day[born].append(n)
        exact[(child.village_code, born.year, key)].append(n)
        exact[(born.year, born.month, key)].append(n)
        if born.day <= 12 and born.day != born.month:  # 05/03 written 03/05
            exact[(born.year, min(born.day, born.month), max(born.day, born.month), key)
                  ].append(n)
        if child.personal_id:
            exact[child.personal_id].append(n)
    found: set[tuple[int, int]] = set()
    for block in by_day.values():
        if len(block) > 1:
            _same_day(children, block, found)
    for block in exact.values():
        if len(block) > 1:
            found.update(combinations(block, 2))
    return found


def _same_day(children: list[Facts], block: list[int], found: set) -> None:
    """Children born the same day: close spellings (rapidfuzz's C loop), and a name with one
    word more than another's (its words but one are the other's words)."""
    keys = [children[n].key for n in block]
    for k in range(len(block) - 1):
        for _, _, m in process.extract(keys[k], keys[k + 1:], scorer=fuzz.ratio,
                                       processor=None, score_cutoff=CANDIDATE, limit=None):
            found.add((block[k], block[k + 1 + m]))
    by_key = defaultdict(list)
    for n, key in zip(block, keys, strict=True):
        by_key[key].append(n)
    sizes = {key.count(" ") + 1 for key in by_key}
    for key, longer in by_key.items():
        words = key.split()
        if len(words) - 1 not in sizes or len(words) < 2:
            continue
        for k in range(len(words)):
            for m in by_key.get(" ".join(words[:k] + words[k + 1:]), ()):
                found.update((min(n, m), max(n, m)) for n in longer)


def _add_caregivers(children: dict[str, Facts]) -> None:
    """Read the caregivers' names of these children only (in bounded IN lists)."""
    ids = [uuid.UUID(key) for key in children]
    names: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for child_id, name in db.session.execute(
                select(cast(Caregiver.child_id, String), Caregiver.full_name)
                .where(Caregiver.child_id.in_(ids[start:start + 500]))):
            names[child_id].append(fold(name))
    for child_id, child in children.items():
        child.caregivers = tuple(names.get(child_id, ()))
