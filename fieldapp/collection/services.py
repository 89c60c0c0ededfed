"""Receiving submissions from phones, scripts and an officer's import of an exported file.

Each item gets its own answer, in order: ``accepted`` (stored, waiting for review),
``duplicate`` (this UUID with this content is already stored: its first receipt),
``conflict`` (this UUID with other content: kept aside for the officer) or ``invalid``
(field errors; nothing stored, the phone keeps the item as "Cần sửa"). A UUID another author
stored is ``invalid`` with one message whoever and wherever that author is: nothing is kept
aside for another commune's officer, and nothing of that submission is told. One bad item
never blocks the others. Nothing here changes the register: that waits for the officer's review.

A protection report (kind ``protection_report``, issue 16 §3) is stored the same way, under its
UUID and content hash, in the state ``acknowledged``, and opens its case in the same
transaction (``cases.services.open_field_report``): its receipt says only that it was received.
Its content lives in the case alone; the submission keeps the child's name for the phone's list.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy import select, update

from fieldapp import text
from fieldapp.audit import services as audit
from fieldapp.cases import services as cases
from fieldapp.clock import storable_time
from fieldapp.collection import pairs
from fieldapp.collection.models import REPORT, Submission, SubmissionConflict
from fieldapp.collection.validators import SUBMISSION, judge, load_scope
from fieldapp.db import upsert, utcnow
from fieldapp.extensions import db

FOREIGN = "Mã phiếu (uuid) này không dùng được: hãy lưu phiếu thành phiếu mới."


def content_hash(item: dict) -> str:
    """SHA-256 of what a submission says (not how it was spaced): the UUID's content."""
    content = {key: item.get(key) for key in ("kind", "captured_at", "child_id", "base_version",
                                               "corrects", "data")}
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class Work:
    """One item of a batch on its way to an answer."""

    raw: object
    key: uuid.UUID | None = None  # the UUID
    hash: str = ""
    result: dict | None = None
    row: dict | None = None
    warnings: dict = field(default_factory=dict)
    report: dict | None = None  # a protection report, cleaned: it opens a case when stored


@dataclass
class Stored:
    hash: str
    received_at: object
    state: str
    user_id: int


@dataclass
class Batch:
    """A batch judged and ready to store: each item's work, the UUIDs already stored, and the
    first valid item of each new UUID."""

    work: list[Work]
    known: dict
    fresh: dict
    now: object


def receive(author, items: list, *, token_id=None, imported_by=None, address=None,
            now=None) -> list[dict]:
    """Store what is new and valid; answer every item (see the module's docstring).

    Both phases run in the caller's transaction; the sync API runs :func:`judge_batch` in a
    read-only one instead, so that judging takes no write lock.

    :param author: the collector the items are from (for an import, the file's author).
    :param imported_by: the officer who imported an exported file, if any.
    """
    batch = judge_batch(author, items, token_id=token_id, imported_by=imported_by, now=now)
    return store(author, batch, imported_by=imported_by, address=address)


def judge_batch(author, items: list, *, token_id=None, imported_by=None, now=None) -> Batch:
    """Phase one, reads only: identify every item, find the UUIDs already stored, and judge
    the new ones against the rules and the author's places."""
    now = now or utcnow()
    work = [_identify(raw) for raw in items]
    known = _stored({w.key for w in work if w.key})
    scope = load_scope(author, [w.raw for w in work if w.key and w.key not in known])
    fresh: dict[uuid.UUID, Work] = {}  # the first valid item of each new UUID
    for w in work:
        if w.result is None and w.key not in known and w.key not in fresh:
            _judge(w, author, scope, now, token_id, imported_by)
            if w.row is not None:
                fresh[w.key] = w
    return Batch(work, known, fresh, now)


def store(author, batch: Batch, *, imported_by=None, address=None) -> list[dict]:
    """Phase two, writes: insert the new items (one stored first by another request becomes a
    duplicate or a conflict of it), keep other contents aside, write the audit entries."""
    work, known, fresh, now = batch.work, batch.known, batch.fresh, batch.now
    inserted = _insert_new([w.row for w in fresh.values()])
    pairs.noted(inserted)  # their probable duplicates, judged before the commit
    known.update(_stored(set(fresh) - inserted))  # another request stored them first
    for key in inserted:
        known[key] = Stored(fresh[key].hash, now, fresh[key].row["state"], author.id)
    _open_cases(author, [fresh[k] for k in inserted], now)
    conflicts = []
    for w in work:
        if w.result is not None:
            continue  # invalid: nothing stored
        if known[w.key].user_id != author.id:
            w.result = _invalid(str(w.key), {"uuid": [FOREIGN]})
        elif w.key in inserted and fresh[w.key] is w:
            w.result = _result(w, "accepted", _receipt(w.key, known[w.key]))
        elif known[w.key].hash == w.hash:
            w.result = _result(w, "duplicate", _receipt(w.key, known[w.key]))
        else:
            conflicts.append(w)
    _store_conflicts(conflicts, author, now)
    _supersede([fresh[k] for k in inserted], now)
    _audit(author, [fresh[k] for k in inserted], conflicts, imported_by, address, now)
    return [w.result for w in work]


def _identify(raw) -> Work:
    w = Work(raw=raw)
    if not isinstance(raw, dict):
        w.result = _invalid(None, {"_": ["Mỗi phiếu phải là một đối tượng JSON."]})
        return w
    try:
        w.key = uuid.UUID(str(raw.get("uuid")))
    except ValueError:
        given = raw.get("uuid") if isinstance(raw.get("uuid"), str) else None
        w.result = _invalid(given, {"uuid": ["Không phải mã UUID hợp lệ."]})
        return w
    unstorable = text.unstorable_paths(raw)  # before the hash: a lone surrogate has no UTF-8
    if unstorable:
        w.result = _invalid(str(w.key), {_data_path(p): m for p, m in unstorable.items()})
        return w
    w.hash = content_hash(raw)
    return w


def _data_path(path: str) -> str:
    """``data.child.address`` → ``child.address``, the paths the validators answer."""
    return path.removeprefix("data.")


def _judge(w: Work, author, scope, now, token_id, imported_by) -> None:
    verdict = judge(w.raw, scope, now)
    w.warnings = verdict.warnings
    if verdict.errors:
        w.result = _invalid(str(w.key), verdict.errors, verdict.warnings)
        return
    item, child = verdict.item, verdict.child
    report = item["kind"] == REPORT
    data = w.raw["data"]
    if report:  # its case is the record; the row is the phone's receipt, with a name for its list
        w.report = verdict.report
        registered = w.report["register_child"]
        data = {"child": {"full_name": registered.full_name if registered is not None
                          else w.report["child"]["full_name"]}}
    w.row = {
        "id": w.key, "kind": item["kind"], "user_id": author.id,
        "commune_code": verdict.village.commune_code, "village_code": verdict.village.code,
        "child_id": item["child_id"], "base_version": item["base_version"],
        "register_version": child.version if child is not None else None,
        "stale": child is not None and item["base_version"] < child.version,
        "corrects_id": item["corrects"], "captured_at": item["captured_at"],
        "received_at": now, "updated_at": now,
        "state": "acknowledged" if report else "received", "content_hash": w.hash,
        "data": data, "warnings": verdict.warnings or None, "token_id": token_id,
        "imported_by_id": imported_by.id if imported_by is not None else None,
        "note": None, "decided_at": None, "decided_by_id": None,
    }


def _open_cases(author, stored: list[Work], now) -> None:
    """Each protection report stored opens its case for the commune officer, in the same
    transaction: the receipt is given only with the case."""
    for w in stored:
        if w.report is not None:
            cases.open_field_report(author, w.report, submission_id=w.key, now=now)


def _stored(keys: set) -> dict[uuid.UUID, Stored]:
    if not keys:
        return {}
    query = select(Submission.id, Submission.content_hash, Submission.received_at,
                   Submission.state, Submission.user_id).where(Submission.id.in_(keys))
    return {row.id: Stored(row.content_hash, row.received_at, row.state, row.user_id)
            for row in db.session.execute(query)}


def _insert_ignoring_existing(table, index_elements: list[str]):
    """``INSERT … ON CONFLICT DO NOTHING``: a row another request stored first is skipped
    (PostgreSQL waits for that request to commit), never an error that aborts the batch."""
    return upsert(db.session, table).on_conflict_do_nothing(index_elements=index_elements)


def _insert_new(rows: list[dict]) -> set[uuid.UUID]:
    if not rows:
        return set()
    table = Submission.__table__
    statement = _insert_ignoring_existing(table, ["id"]).returning(table.c.id)
    return set(db.session.execute(statement, rows).scalars())


def _store_conflicts(conflicts: list[Work], author, now) -> None:
    """Keep each other content aside (once per distinct content) and answer its receipt."""
    table = SubmissionConflict.__table__
    for w in conflicts:
        db.session.execute(_insert_ignoring_existing(table, ["submission_id", "content_hash"]), {
            "id": uuid.uuid4(), "submission_id": w.key, "user_id": author.id,
            "content_hash": w.hash, "captured_at": _capture_time(w.raw),
            "received_at": now, "content": w.raw})
        row = db.session.execute(
            select(table.c.id, table.c.received_at)
            .where(table.c.submission_id == w.key, table.c.content_hash == w.hash)).one()
        w.result = _result(w, "conflict", {"id": str(row.id),
                                           "received_at": _iso(row.received_at),
                                           "state": "conflict"})


def _capture_time(raw: dict):
    """A conflict's capture time, if the schema can read it and the database keep it (other
    content under a UUID is kept whatever it holds)."""
    try:
        value = SUBMISSION.fields["captured_at"].deserialize(raw.get("captured_at"))
    except ValidationError:
        return None
    return value if storable_time(value) else None


def _supersede(accepted: list[Work], now) -> None:
    """A correction replaces the returned submission it corrects."""
    corrected = [w.row["corrects_id"] for w in accepted if w.row["corrects_id"] is not None]
    if corrected:
        db.session.execute(
            update(Submission)
            .where(Submission.id.in_(corrected), Submission.state == "returned")
            .values(state="superseded", updated_at=now),
            execution_options={"synchronize_session": False})


def _audit(author, accepted: list[Work], conflicts: list[Work], imported_by, address,
           now) -> None:
    entries = [(action, w.key, {"update": bool(w.raw.get("child_id")), "author": author.username,
                                "imported": imported_by is not None,
                                **({"kind": REPORT} if w.raw.get("kind") == REPORT else {})})
               for action, group in (("submission_received", accepted),
                                     ("submission_conflict", conflicts))
               for w in group]
    audit.record_many(imported_by or author, "submission", entries,
                      commune_code=author.commune_code, address=address, at=now)


def _receipt(key: uuid.UUID, stored: Stored) -> dict:
    return {"id": str(key), "received_at": _iso(stored.received_at), "state": stored.state}


def _iso(value) -> str:
    return value.isoformat()


def _result(w: Work, status: str, receipt: dict) -> dict:
    return {"uuid": str(w.key), "status": status, "receipt": receipt, "errors": {},
            "warnings": w.warnings}


def _invalid(key, errors: dict, warnings: dict | None = None) -> dict:
    return {"uuid": key, "status": "invalid", "receipt": None, "errors": errors,
            "warnings": warnings or {}}


# The waiting new children's probable duplicates, kept as things change (``collection.pairs``).
pairs_changed = pairs.noted
rebuild_pairs = pairs.rebuild
