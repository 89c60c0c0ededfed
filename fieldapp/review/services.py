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

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from fieldapp import access, text
from fieldapp.audit.services import record as audit
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, Household
from fieldapp.children.services import (
    Source,
    create_child,
    revise_child,
)
from fieldapp.children.validators import Result, validate_record
from fieldapp.clock import VIETNAM
from fieldapp.collection.models import STATES, Submission
from fieldapp.collection.services import pairs_changed
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.review import compare
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


def check_reviewable(actor, submission: Submission) -> None:
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
        raise AlreadyDecided(f"Phiếu này đã được xử lý ({state_label(submission)}).")
    db.session.expire(submission)
    pairs_changed([submission.id])  # decided: no longer anyone's probable duplicate


def state_label(submission: Submission) -> str:
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
    check_reviewable(actor, submission)
    note = _note(note, "điều cần sửa")
    _claim(actor, submission, "returned", note)
    audit(actor, "submission_returned", "submission", submission.id,
          commune_code=submission.commune_code)


def reject_submission(actor, submission: Submission, reason: str | None) -> None:
    """Refuse it for good (a test, a child who does not live here), with the reason."""
    check_reviewable(actor, submission)
    reason = _note(reason, "lý do từ chối")
    _claim(actor, submission, "rejected", reason)
    audit(actor, "submission_rejected", "submission", submission.id,
          commune_code=submission.commune_code)


def match_child(actor, submission: Submission, child: Child) -> None:
    """"Đây là cùng một trẻ": a proposed new child is ``child``, already in the register; the
    submission becomes an update of it, each field both hold differently to be chosen."""
    check_reviewable(actor, submission)
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
    check_reviewable(actor, submission)
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
    resolved = compare.resolve(comparison, resolved_choices(comparison, choices))
    source = Source("submission", str(submission.id), history_note(submission, actor))
    child = _apply(actor, submission, judged_record(comparison, resolved, submission), child,
                   source)
    submission.child_id = child.id
    audit(actor, "submission_approved", "submission", submission.id,
          commune_code=submission.commune_code,
          detail={"child": str(child.id), "version": child.version})
    return child


def resolved_choices(comparison: Comparison, choices: dict | None) -> dict:
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


def history_note(submission: Submission, actor) -> str:
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


def judged_record(comparison: Comparison, resolved: dict, submission: Submission) -> _Judged:
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
