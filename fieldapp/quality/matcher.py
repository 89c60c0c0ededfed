"""Probable duplicates in the register (DOMAIN §5 step 3): pairs of open children of a commune
that are probably one child recorded twice, found by the register's matcher
(``children.matching``: its blocks, then its score).

A scan reads the commune once, leaves out the pairs the officer dismissed (``NotDuplicate``)
and reads the caregivers only of the pairs that can still reach the threshold.
"""

import gc
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, cast, select

from fieldapp.children.matching import (
    PROBABLE,
    Facts,
    add_caregivers,
    candidates,
    read_active,
    score,
)
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
    with _collector_paused():
        children = read_active(commune_code, today or date.today())
        found = candidates(children)
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
        add_caregivers({f.id: f for pair in near for f in pair})
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
