"""Bulk approval: the clean new children of the inbox approved at once (``/review/bulk``).

Each submission is judged as the single approval judges it (``services``); the clean ones are
claimed with one UPDATE and written by the register's batch writer, so the statements do not
grow with the children (issue 13).
"""

import uuid

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from fieldapp import text
from fieldapp.audit.services import record_many as audit_many
from fieldapp.children.models import Child
from fieldapp.children.services import LookElsewhere, NewChild, Source, create_children
from fieldapp.collection.models import Submission, SubmissionConflict
from fieldapp.collection.services import pairs_changed
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.review import compare, duplicates
from fieldapp.review.compare import Comparison
from fieldapp.review.services import (
    approve_submission,
    capture_day,
    check_reviewable,
    history_note,
    judged_record,
    resolved_choices,
    state_label,
)

# A schooling status (or level left) that does not fit the age is the officer's to confirm,
# one submission at a time (issue 14 §1.3): approving it alone is the confirmation.
SCHOOLING_WARNINGS = ("child.schooling_status", "child.school_left_level")
SCHOOLING_REASON = "Tình trạng học tập không hợp với tuổi: cần kiểm tra và duyệt từng phiếu."


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
    elif any(path in comparison.warnings for path in SCHOOLING_WARNINGS):
        reasons.append(SCHOOLING_REASON)
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
    check_reviewable(actor, submission)
    if submission.user_id == actor.id:
        raise Forbidden("Không được tự duyệt phiếu của chính mình.")
    if text.unstorable_paths(submission.data):
        raise ValidationFailed("Phiếu có ký tự không hợp lệ: hãy trả lại để người thu thập "
                               "sửa.")
    resolved = compare.resolve(comparison, resolved_choices(comparison, None))
    judged = judged_record(comparison, resolved, submission)
    ref = (judged.data.get("household") or {}).get("ref")
    key = uuid.UUID(str(ref)) if ref and not judged.record.get("household_id") else None
    source = Source("submission", str(submission.id), history_note(submission, actor))
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
            skipped[submission.id] = [f"Phiếu này đã được xử lý ({state_label(submission)})."]
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
