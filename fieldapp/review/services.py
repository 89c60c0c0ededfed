"""The officer's decisions on a submission: approve, return, reject; and "the same child".

received → approved | returned | rejected, and nothing else: a decision first claims the row
with one conditional UPDATE (``state = 'received'``), so of two officers deciding at the same
moment exactly one wins and the other is told it was already decided. An approval applies the
submission through the register's services in the caller's transaction: if they refuse it,
the caller rolls back and nothing is applied, the claim included.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from fieldapp import access, text
from fieldapp.audit.services import record as audit
from fieldapp.audit.services import record_many as audit_many
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, Household
from fieldapp.children.services import (
    LookElsewhere,
    NewChild,
    Source,
    create_child,
    create_children,
    revise_child,
)
from fieldapp.children.validators import Result, validate_record
from fieldapp.clock import VIETNAM
from fieldapp.collection.models import STATES, Submission, SubmissionConflict
from fieldapp.collection.services import pairs_changed
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.review import compare, duplicates
from fieldapp.review.compare import CHOICES, Comparison

NOTE_LIMIT = 1000


class AlreadyDecided(Conflict):
    code = "decided"


class RegisterChanged(Conflict):
    code = "register_changed"


def capture_day(submission: Submission) -> date:
    """The day the record was captured, in Vietnam (never after today)."""
    day = submission.captured_at.astimezone(VIETNAM).date()
    return min(day, date.today())


def _reviewable(actor, submission: Submission) -> None:
    """Only a commune officer decides, and only on the submissions of their commune."""
    access.require(actor, "review")
    if submission.commune_code != actor.commune_code:
        raise NotFound("Không tìm thấy hoặc bạn không có quyền xem.")


def _claim(actor, submission: Submission, state: str, note: str | None) -> None:
    now = utcnow()
    claimed = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.state == "received")
        .values(state=state, note=note, decided_at=now, decided_by_id=actor.id, updated_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.expire(submission)
        raise AlreadyDecided(f"Phiếu này đã được xử lý ({_state_label(submission)}).")
    db.session.expire(submission)
    pairs_changed([submission.id])  # decided: no longer anyone's probable duplicate


def _state_label(submission: Submission) -> str:
    return STATES.get(submission.state, submission.state)


def _note(text: str | None, what: str) -> str:
    # Control characters (a NUL from a script) are no part of a note; PostgreSQL refuses NUL.
    printable = "".join(ch for ch in (text or "") if ch.isprintable() or ch.isspace())
    note = " ".join(printable.split())
    if not note:
        raise ValidationFailed(f"Cần ghi {what}.", {"note": [f"Vui lòng ghi {what}."]})
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed(errors={"note": [f"Tối đa {NOTE_LIMIT} ký tự."]})
    return note


def return_submission(actor, submission: Submission, note: str | None) -> None:
    """Send it back to its author's phone as "Cần sửa", with what to fix."""
    _reviewable(actor, submission)
    note = _note(note, "điều cần sửa")
    _claim(actor, submission, "returned", note)
    audit(actor, "submission_returned", "submission", submission.id,
          commune_code=submission.commune_code)


def reject_submission(actor, submission: Submission, reason: str | None) -> None:
    """Refuse it for good (a test, a child who does not live here), with the reason."""
    _reviewable(actor, submission)
    reason = _note(reason, "lý do từ chối")
    _claim(actor, submission, "rejected", reason)
    audit(actor, "submission_rejected", "submission", submission.id,
          commune_code=submission.commune_code)


def match_child(actor, submission: Submission, child: Child) -> None:
    """"Đây là cùng một trẻ": a proposed new child is ``child``, already in the register; the
    submission becomes an update of it, each field both hold differently to be chosen."""
    _reviewable(actor, submission)
    if child.commune_code != submission.commune_code:
        raise NotFound("Không tìm thấy hoặc bạn không có quyền xem.")
    if child.closed_on is not None:
        raise ValidationFailed("Hồ sơ này đã đóng.", {"child_id": ["Hồ sơ đã đóng."]})
    matched = db.session.execute(  # conditional, like a claim: never a decided one
        update(Submission)
        .where(Submission.id == submission.id, Submission.state == "received",
               Submission.child_id.is_(None))
        .values(child_id=child.id, base_version=None, register_version=child.version,
                stale=True, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.expire(submission)
    if matched.rowcount != 1:
        raise AlreadyDecided("Chỉ phiếu thêm trẻ mới đang chờ duyệt mới gộp được.")
    pairs_changed([submission.id])  # an update now: no longer a new child's duplicate
    audit(actor, "submission_matched", "submission", submission.id,
          commune_code=submission.commune_code, detail={"child": str(child.id)})


def approve_submission(actor, submission: Submission, choices: dict | None = None,
                       seen_version: int | None = None,
                       compared: Comparison | None = None) -> Child:
    """Apply it to the register (one version of the child) and mark it approved.

    The record is read from the submission and judged once (by the comparison) and handed
    to the register's services as it is, unless a choice took a value from the register.

    :param choices: ``{path: "register" | "proposed"}`` for the fields that differ; every
        field both sides changed must be chosen.
    :param seen_version: the child's version the officer looked at; if the register moved
        on since, nothing is applied (:class:`RegisterChanged`).
    :param compared: the submission's comparison, already made for a new child (bulk
        approval); an update is always compared here, under the child's lock.
    """
    _reviewable(actor, submission)
    if submission.user_id == actor.id:
        raise Forbidden("Không được tự duyệt phiếu của chính mình.")
    unstorable = text.unstorable_paths(submission.data)
    if unstorable:  # received before the edge refused such text: no register could keep it
        raise ValidationFailed("Phiếu có ký tự không hợp lệ: hãy trả lại để người thu thập "
                               "sửa.", unstorable)
    _claim(actor, submission, "approved", None)
    child = None
    if submission.child_id is not None:
        child = db.session.scalars(
            select(Child).where(Child.id == submission.child_id)
            .with_for_update().execution_options(populate_existing=True)).one()
        if seen_version is not None and child.version != seen_version:
            raise RegisterChanged("Hồ sơ trong sổ vừa thay đổi: hãy xem lại trước khi duyệt.")
    comparison = compared if child is None and compared is not None else compare.compare(
        submission, child, capture_day(submission))
    resolved = compare.resolve(comparison, _choices(comparison, choices))
    source = Source("submission", str(submission.id), _history_note(submission, actor))
    child = _apply(actor, submission, _judged(comparison, resolved, submission), child,
                   source)
    submission.child_id = child.id
    audit(actor, "submission_approved", "submission", submission.id,
          commune_code=submission.commune_code,
          detail={"child": str(child.id), "version": child.version})
    return child


def _choices(comparison: Comparison, choices: dict | None) -> dict:
    choices = dict(choices or {})
    fields = {f.path: f for f in comparison.differing()}
    errors = {}
    for path, choice in choices.items():
        if path not in fields or comparison.current_version is None:
            errors[path] = ["Trường này không khác sổ đăng ký, không cần chọn."]
        elif choice not in CHOICES:
            errors[path] = ["Chọn giữ giá trị trong sổ (register) hoặc giá trị đề xuất "
                            "(proposed)."]
        elif choice == "register" and not fields[path].keepable:
            errors[path] = ["Dòng này chưa có trong sổ đăng ký: không giữ được giá trị sổ."]
    for path, f in fields.items():
        if f.must_choose and path not in choices:
            errors[path] = ["Cả sổ đăng ký và người thu thập đã sửa: chọn giá trị giữ lại."]
    if errors:
        raise ValidationFailed("Chưa chọn đủ giá trị cho các trường khác nhau.", errors)
    return choices


def _history_note(submission: Submission, actor) -> str:
    author = submission.user
    return (f"Từ phiếu {str(submission.id)[:8]} của {author.username}, "
            f"duyệt bởi {actor.username}")[:500]


@dataclass
class _Judged:
    """The resolved submission, as the register's record and as judged by its rules."""

    data: dict
    record: dict
    positions: list[int]
    result: Result


def _judged(comparison: Comparison, resolved: dict, submission: Submission) -> _Judged:
    # The comparison already read and judged the submission; only a record that a choice
    # changed (a value kept from the register, an empty caregiver dropped) is judged again.
    if resolved == comparison.data:
        return _Judged(resolved, dict(comparison.record), comparison.positions,
                       comparison.result)
    record, positions = child_record.to_record(resolved)
    return _Judged(resolved, record, positions,
                   validate_record(record, capture_date=capture_day(submission)))


def _apply(actor, submission: Submission, judged: _Judged, child: Child | None,
           source: Source) -> Child:
    data, record, positions = judged.data, judged.record, judged.positions
    ref = (data.get("household") or {}).get("ref")
    key = uuid.UUID(str(ref)) if ref and not record.get("household_id") else None
    if key is not None and db.session.get(Household, key) is not None:
        record["household_id"], key = str(key), None  # a sibling's approval made it
    try:
        try:
            with db.session.begin_nested():
                return _write(actor, submission, judged, child, source, key)
        except IntegrityError:
            # A sibling's approval made the same new household at the same moment: join it.
            if key is None or db.session.get(Household, key, populate_existing=True) is None:
                raise
            record["household_id"] = str(key)
            return _write(actor, submission, judged, child, source, None)
    except ValidationFailed as failed:
        raise ValidationFailed(failed.detail or "Phiếu chưa hợp lệ, chưa duyệt được.",
                               child_record.api_messages(failed.errors, positions)) from None


def _write(actor, submission, judged: _Judged, child, source, key) -> Child:
    if child is None:
        return create_child(actor, judged.record, capture_date=capture_day(submission),
                            source=source, household_key=key, validated=judged.result)
    revise_child(actor, child, judged.record, source=source,
                 closure=judged.data.get("closure"), household_key=key,
                 capture_date=capture_day(submission), validated=judged.result)
    return child


def clean_reasons(submission: Submission, comparison: Comparison, matches: list,
                  actor) -> list[str]:
    """Why a submission cannot be approved in bulk (none: it can)."""
    reasons = []
    if submission.state != "received":
        reasons.append("Đã được xử lý.")
    if submission.child_id is not None:
        reasons.append("Phiếu cập nhật: cần xem từng trường.")
    if comparison.errors:
        reasons.append("Chưa hợp lệ theo quy định hiện hành.")
    reasons += duplicates.reasons_against(matches)
    if submission.conflicts:
        reasons.append("Có xung đột nội dung.")
    if submission.user_id == actor.id:
        reasons.append("Phiếu của chính bạn.")
    return reasons


def bulk_approve(actor, submissions: list[Submission]) -> tuple[list[Child], dict]:
    """Approve every clean new-child submission of ``submissions``; one refused leaves the
    others approved. Returns the children made, in the submissions' order, and, for each
    submission left out, why.

    The clean ones are claimed with one UPDATE and written by the register's batch writer
    (``children.services.create_children``): the statements do not grow with the children.
    One the batch cannot write (its household already in the register) is approved alone,
    in its own savepoint, as is every one if the batch meets a sibling's household made at
    the same moment by another request.
    """
    # A probable duplicate in the register or among the other waiting submissions (the same
    # child twice in the batch among them) keeps a submission out: the officer decides it.
    keys = [s.id for s in submissions]  # read before the claims expire them
    matches = duplicates.stored([s.id for s in submissions if s.child_id is None])
    _load_conflicts(submissions)
    ready, skipped = [], {}
    for submission in submissions:
        comparison = compare.compare(submission, None, capture_day(submission))
        reasons = clean_reasons(submission, comparison, matches.get(submission.id, []), actor)
        if reasons:
            skipped[submission.id] = reasons
        else:
            ready.append((submission, comparison))
    made: dict = {}
    try:
        with db.session.begin_nested():
            alone = _approve_together(actor, ready, made, skipped)
    except IntegrityError:
        made, alone = {}, ready
        for submission, _ in ready:
            skipped.pop(submission.id, None)
    for submission, comparison in alone:
        try:
            with db.session.begin_nested():
                made[submission.id] = approve_submission(actor, submission, compared=comparison)
        except (ValidationFailed, Conflict, Forbidden, NotFound) as refused:
            skipped[submission.id] = [refused.detail or "Không duyệt được."]
    return [made[key] for key in keys if key in made], skipped


def _load_conflicts(submissions: list[Submission]) -> None:
    """Every submission's other contents read at once (the clean reasons ask each)."""
    unloaded = [s for s in submissions if "conflicts" not in s.__dict__]
    found: dict = {s.id: [] for s in unloaded}
    for start in range(0, len(unloaded), 500):
        for conflict in db.session.scalars(
                select(SubmissionConflict)
                .where(SubmissionConflict.submission_id.in_(list(found)[start:start + 500]))
                .order_by(SubmissionConflict.received_at)):
            found[conflict.submission_id].append(conflict)
    for submission in unloaded:
        set_committed_value(submission, "conflicts", found[submission.id])


def _approve_together(actor, ready: list, made: dict, skipped: dict) -> list:
    """Claim and write the ready ones at once; returns those to approve alone."""
    judged = {}
    for submission, comparison in ready:
        try:
            judged[submission.id] = _prepared(actor, submission, comparison)
        except (ValidationFailed, Forbidden, NotFound) as refused:
            skipped[submission.id] = [refused.detail or "Không duyệt được."]
    was = {s.id: s.updated_at for s, _ in ready}  # in case the batch gives a claim back
    claimed = _claim_many(actor, [s for s, _ in ready if s.id in judged], skipped)
    results = create_children(actor, [judged[s.id][0] for s in claimed])
    alone, unclaim = [], []
    for submission, result in zip(claimed, results, strict=True):
        if isinstance(result, Child):
            made[submission.id] = result
        else:
            unclaim.append(submission)
            if isinstance(result, LookElsewhere):
                alone.append((submission, judged[submission.id][1]))
            else:
                skipped[submission.id] = [result.detail or "Phiếu chưa hợp lệ, chưa duyệt được."]
    _unclaim(unclaim, was)
    approved = [s for s in claimed if s.id in made]
    if approved:
        table = Submission.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("key"))
                           .values(child_id=bindparam("child")),
                           [{"key": s.id, "child": made[s.id].id} for s in approved])
        audit_many(actor, "submission", [
            ("submission_approved", s.id, {"child": str(made[s.id].id), "version": 1})
            for s in approved], commune_code=actor.commune_code, address=None, at=utcnow())
    for submission in claimed:
        db.session.expire(submission)
    return alone


def _prepared(actor, submission: Submission, comparison: Comparison):
    """What :func:`approve_submission` checks and reads before it writes, for the batch:
    the register's item and the comparison."""
    _reviewable(actor, submission)
    if submission.user_id == actor.id:
        raise Forbidden("Không được tự duyệt phiếu của chính mình.")
    if text.unstorable_paths(submission.data):
        raise ValidationFailed("Phiếu có ký tự không hợp lệ: hãy trả lại để người thu thập "
                               "sửa.")
    resolved = compare.resolve(comparison, _choices(comparison, None))
    judged = _judged(comparison, resolved, submission)
    ref = (judged.data.get("household") or {}).get("ref")
    key = uuid.UUID(str(ref)) if ref and not judged.record.get("household_id") else None
    source = Source("submission", str(submission.id), _history_note(submission, actor))
    return NewChild(judged.record, judged.result, source, key,
                    capture_day(submission)), comparison


def _claim_many(actor, submissions: list[Submission], skipped: dict) -> list[Submission]:
    """Claim them with one conditional UPDATE; one decided meanwhile is left out."""
    if not submissions:
        return []
    now = utcnow()
    won = set(db.session.scalars(
        update(Submission)
        .where(Submission.id.in_([s.id for s in submissions]), Submission.state == "received")
        .values(state="approved", note=None, decided_at=now, decided_by_id=actor.id,
                updated_at=now)
        .returning(Submission.id).execution_options(synchronize_session=False)))
    pairs_changed(won)
    for submission in submissions:
        if submission.id not in won:
            db.session.expire(submission)
            skipped[submission.id] = [f"Phiếu này đã được xử lý ({_state_label(submission)})."]
    return [s for s in submissions if s.id in won]


def _unclaim(submissions: list[Submission], was: dict) -> None:
    """Give back the claims of those the batch did not write (in this transaction: nobody
    else saw them)."""
    if submissions:
        table = Submission.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("key"))
            .values(state="received", note=None, decided_at=None, decided_by_id=None,
                    updated_at=bindparam("was")),
            [{"key": s.id, "was": was[s.id]} for s in submissions])
