"""Probable duplicates in the register (DOMAIN §5 step 3): pairs of open children of a commune
that are probably one child recorded twice, found by the register's matcher
(``children.matching``: its blocks, then its score).

The pairs are judged when the register changes and stored (``children.pairs``); a scan reads
them, leaves out the pairs the officer dismissed (``NotDuplicate``) and the children closed or
16 since, and scores the pairs it lists again for their reasons (the same scorer, the same
answer). :func:`count` counts them (two reads).
"""

import gc
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select

from fieldapp.children import services as register
from fieldapp.children.matching import Facts, add_caregivers, read_active, score
from fieldapp.children.models import Child, DuplicatePair
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import age_limit
from fieldapp.extensions import db
from fieldapp.quality.models import NotDuplicate


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
    today = today or date.today()
    keys = _stored(commune_code, today, village_code)
    ids = sorted({key for pair in keys for key in pair})
    with _collector_paused():
        children = {uuid.UUID(f.id): f for start in range(0, len(ids), 500)
                    for f in read_active(commune_code, today,
                                         Child.id.in_(ids[start:start + 500]))}
        add_caregivers({f.id: f for f in children.values()})
    pairs = []
    for a_id, b_id in keys:
        a, b = children.get(a_id), children.get(b_id)
        if a is not None and b is not None:
            verdict = score(a, b)
            pairs.append(Pair(a, b, verdict.score, verdict.reasons))
    for key, f in children.items():
        f.id = key
    pairs.sort(key=lambda p: (-p.score, p.a.words, p.b.words, p.a.id))
    return pairs


def _stored(commune_code: str, today: date, village_code: str | None = None) -> list:
    """The stored pairs of the commune that still hold, as ``(a id, b id)``: not dismissed,
    both children open and under 16; with ``village_code``, one of them of that village.

    Two reads, the pairs and then their children by key: a join (or ``IN``/``EXISTS``, which
    planners flatten into one) let PostgreSQL with stale statistics (after a bulk load) pair
    every child with every other, 8 s for an empty table; SQLite did the same.
    """
    register.refresh_pairs()  # this transaction's own changes first
    pairs = db.session.execute(
        select(DuplicatePair.child_a_id, DuplicatePair.child_b_id)
        .where(DuplicatePair.commune_code == commune_code,
               ~exists().where(NotDuplicate.child_a_id == DuplicatePair.child_a_id,
                               NotDuplicate.child_b_id == DuplicatePair.child_b_id))).all()
    ids = sorted({key for pair in pairs for key in pair})
    village = {}
    for start in range(0, len(ids), 500):
        village.update((key, code) for key, code in db.session.execute(
            select(Child.id, Child.village_code)
            .where(Child.id.in_(ids[start:start + 500]), Child.commune_code == commune_code,
                   Child.closed_on.is_(None),
                   Child.date_of_birth > years_ago(today, age_limit()))))
    return [(a, b) for a, b in pairs if a in village and b in village
            and (not village_code or village_code in (village[a], village[b]))]


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
    return len(_stored(commune_code, today or date.today()))
