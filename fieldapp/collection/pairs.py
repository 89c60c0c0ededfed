"""Probable duplicates of the waiting new children, kept as things change (issue 13): among
the register's active children, and among the commune's other waiting new children (two
collectors registering one child: "twins", stored both ways).

Judged by the register's one scorer (``children.matching``) and stored in
:class:`SubmissionPair` before the transaction commits:

- a submission that arrives (:func:`noted` by ``services.store``) against the register
  children born in its year or holding its identity number, and the other waiting ones;
- a submission decided or turned into an update (:func:`noted` by ``review``) loses its
  pairs, the twins' too;
- a register child written (``signals.register_changed``) against the waiting
  new children.

So the inbox's "probable duplicate" filter and the bulk approval read, never judge.
"""

import uuid
from datetime import date

from sqlalchemy import delete, insert, select

from fieldapp import signals
from fieldapp.children import services as register
from fieldapp.children.matching import Facts, add_caregivers, candidates, proposal, read_active
from fieldapp.children.matching import score as judge
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission, SubmissionPair
from fieldapp.extensions import db

NOTED = "fieldapp.collection.noted"  # the connection's info key (as children.pairs' notes)
CHUNK = 500
FIELDS = ("full_name", "date_of_birth", "sex", "village_code", "personal_id")  # proposal()'s


def noted(ids) -> None:
    """Judge these submissions' pairs again before the commit (arrived, decided, matched)."""
    db.session.connection().info.setdefault(NOTED, set()).update(ids)


@signals.register_changed.connect
def _changed(_sender, *, child_ids: set, **_) -> None:
    """Before a commit: the noted submissions, then the register children written."""
    today = date.today()
    noted_ids = sorted(db.session.connection().info.pop(NOTED, set()))
    if noted_ids:
        _forget(SubmissionPair.submission_id, noted_ids)
        _forget(SubmissionPair.other_id, noted_ids)
        for commune, mine in _waiting_among(noted_ids).items():
            _judge_submissions(commune, mine, today)
    if child_ids:
        keys = sorted(child_ids)
        _forget(SubmissionPair.child_id, keys)
        for commune in _communes_of(keys):
            changed = [f for start in range(0, len(keys), CHUNK) for f in read_active(
                commune, today, Child.id.in_(keys[start:start + CHUNK]))]
            if changed:
                _store(commune, changed, list(waiting(commune).values()), None)



def _forget(column, keys: list) -> None:
    for start in range(0, len(keys), CHUNK):
        db.session.execute(delete(SubmissionPair).where(column.in_(keys[start:start + CHUNK])))


def _communes_of(keys: list) -> set[str]:
    return {commune for start in range(0, len(keys), CHUNK)
            for commune in db.session.scalars(select(Child.commune_code).distinct()
                                              .where(Child.id.in_(keys[start:start + CHUNK])))}


def _waiting_among(keys: list) -> dict[str, dict]:
    """Which of ``keys`` are waiting new children, by commune."""
    found: dict[str, dict] = {}
    for start in range(0, len(keys), CHUNK):
        for key, commune in db.session.execute(
                select(Submission.id, Submission.commune_code)
                .where(Submission.id.in_(keys[start:start + CHUNK]),
                       Submission.state == "received", Submission.child_id.is_(None))):
            found.setdefault(commune, {})[key] = True
    return found


def waiting(commune_code: str) -> dict[object, Facts]:
    """The commune's new-child submissions waiting for a decision, as the matcher sees them:
    only the fields it compares read out of each snapshot (by the database: decoding
    thousands of whole snapshots in Python cost more than the judging)."""
    data = Submission.data
    rows = db.session.execute(select(
        Submission.id, *(data[("child", name)].as_string() for name in FIELDS),
        data[("household", "id")].as_string(), data["caregivers"]).where(
        Submission.commune_code == commune_code, Submission.state == "received",
        Submission.child_id.is_(None)))
    found = {}
    for key, *values, household, caregivers in rows:
        snapshot = {"child": dict(zip(FIELDS, values, strict=True)),
                    "household": {"id": household}, "caregivers": caregivers}
        found[key] = proposal(key, snapshot)
    return {key: p for key, p in found.items() if p is not None}


def _judge_submissions(commune: str, mine: dict, today: date) -> None:
    everyone = waiting(commune)
    asked = [everyone[key] for key in mine if key in everyone]
    if asked:
        near = read_active(commune, today, register.near_any(asked))
        _store(commune, near, list(everyone.values()), {p.id for p in asked})


def _store(commune: str, children: list[Facts], proposals: list[Facts], asked) -> None:
    """Judge ``children`` (register) against ``proposals`` (waiting) and, with ``asked``, the
    pairs of the asked proposals among the proposals too; insert the probable ones."""
    everyone = children + proposals
    n = len(children)
    pairs = []
    for i, j in candidates(everyone):
        if j < n:
            continue  # two register children: the register's own pairs
        if i < n and (asked is None or everyone[j].id in asked):
            pairs.append((i, j))
        elif i >= n and asked is not None and (everyone[i].id in asked
                                               or everyone[j].id in asked):
            pairs.append((i, j))
    add_caregivers({everyone[i].id: everyone[i] for i, _ in pairs if i < n})
    rows = []
    for i, j in pairs:
        verdict = judge(everyone[i], everyone[j])
        if not verdict.probable:
            continue
        a, b = everyone[i], everyone[j]
        if i < n:
            rows.append(_row(commune, b.id, verdict, child_id=uuid.UUID(a.id)))
        else:
            rows.append(_row(commune, a.id, verdict, other_id=b.id))
            rows.append(_row(commune, b.id, verdict, other_id=a.id))
    if rows:
        db.session.execute(insert(SubmissionPair), rows)


def _row(commune, submission_id, verdict, child_id=None, other_id=None) -> dict:
    return {"commune_code": commune, "submission_id": submission_id, "child_id": child_id,
            "other_id": other_id, "score": verdict.score, "reasons": verdict.reasons}


def rebuild(commune: str, today: date | None = None) -> None:
    """Judge every waiting new child of the commune again, from scratch."""
    db.session.execute(delete(SubmissionPair).where(SubmissionPair.commune_code == commune))
    everyone = waiting(commune)
    if everyone:
        near = read_active(commune, today or date.today(),
                           register.near_any(list(everyone.values())))
        _store(commune, near, list(everyone.values()), set(everyone))

