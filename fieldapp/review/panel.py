"""What the review panel shows of one submission, and the inbox's filter form."""

import uuid
from datetime import date

from flask_login import current_user
from sqlalchemy import select

from fieldapp import access, clock
from fieldapp.auth.models import User
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, Household
from fieldapp.children.validators import validate_record
from fieldapp.collection.models import STATES, Submission, SubmissionConflict
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.review import compare, duplicates, labels, queries, services
from fieldapp.review.forms import ApproveForm, FilterForm, RejectForm, ReturnForm, SameChildForm


def filter_form(f: queries.Filters) -> FilterForm:
    form = FilterForm(formdata=None, village=f.village, kind=f.kind, flag=f.flag,
                      collector=str(f.collector or ""))
    villages = db.session.scalars(access.villages(current_user).order_by(Village.code))
    form.village.choices = [("", "Tất cả"), *((v.code, v.name) for v in villages)]
    people = db.session.scalars(access.users(current_user).where(User.commune_code.is_not(None))
                                .order_by(User.username))
    form.collector.choices = [("", "Tất cả"), *((str(u.id), _person(u)) for u in people
                                                if u.role in ("collaborator", "village_head"))]
    return form


def village_names() -> dict[str, str]:
    """The officer's villages by code: the review shows names, not codes."""
    rows = db.session.execute(access.villages(current_user)
                              .with_only_columns(Village.code, Village.name))
    return {code: name for code, name in rows}


def _person(user: User) -> str:
    return f"{user.full_name} ({user.username})" if user.full_name else user.username


def panel_context(submission: Submission, f: queries.Filters, *, problem: str | None = None,
                  errors: dict | None = None, action: str | None = None,
                  posted: dict | None = None, done: str | None = None, **forms) -> dict:
    """Everything ``review/_panel.html`` shows; ``posted`` holds the choices of a refused
    approval, shown again as they were."""
    waiting = submission.state == "received"
    child = db.session.get(Child, submission.child_id) if submission.child_id else None
    # Decided: what was sent, as sent (the register has moved on; nothing is left to compare).
    compared = child if waiting else None
    comparison = compare.compare(submission, compared, services.capture_day(submission))
    matches = []
    if compared is None and waiting:
        matches = duplicates.stored([submission.id]).get(submission.id, [])
    fields = comparison.differing() if compared else [
        field for field in comparison.fields if field.proposed is not None]
    return {
        "submission": submission, "child": child, "compared": compared,
        "is_update": submission.register_version is not None,
        "comparison": comparison, "fields": fields,
        "matches": matches, "names": labels, "states": STATES, "filters": f,
        "places": {**village_names(), **_households(submission, child)},
        "conflicts": _conflicts(submission),
        "today_errors": comparison.errors, "today_warnings": comparison.warnings,
        "problem": problem, "errors": errors or {}, "action": action, "posted": posted,
        "done": done,
        "waiting_days": (clock.today() - clock.day_of(submission.received_at)).days,
        "overdue": submission.received_at < queries.utcnow() - queries.OVERDUE,
        "approve_form": forms.get("approve_form") or ApproveForm(
            formdata=None, seen_version=child.version if child else None),
        "return_form": forms.get("return_form") or ReturnForm(formdata=None),
        "reject_form": forms.get("reject_form") or RejectForm(formdata=None),
        "same_form": SameChildForm(formdata=None),
        "own": submission.user_id == current_user.id,
    }


def _households(submission: Submission, child: Child | None) -> dict[str, str]:
    """Head names of the households the panel names (the child's, the proposed one)."""
    ids = {str(child.household_id)} if child else set()
    proposed = (submission.data.get("household") or {}).get("id")
    if proposed:
        ids.add(str(proposed))
    keys = [key for key in map(_uuid, ids) if key]
    rows = db.session.scalars(access.households(current_user).where(Household.id.in_(keys)))
    return {str(h.id): f"Hộ {h.head_name}" for h in rows}


def _uuid(text) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _conflicts(submission: Submission) -> list[dict]:
    """Each other content sent under this UUID, with the fields that differ from the kept one."""
    mine = _values(submission.data)
    out = []
    for conflict in db.session.scalars(select(SubmissionConflict).where(
            SubmissionConflict.submission_id == submission.id)
            .order_by(SubmissionConflict.received_at)):
        theirs = _values((conflict.content or {}).get("data"))
        rows = None
        if mine is not None and theirs is not None:
            rows = [(path, mine.get(path), theirs.get(path))
                    for path in list(mine) + [p for p in theirs if p not in mine]
                    if mine.get(path) != theirs.get(path)]
        out.append({"conflict": conflict, "rows": rows})
    return out


def _values(data) -> dict | None:
    """A snapshot's cleaned fields, or ``None`` if it cannot be read as one."""
    try:
        record, positions = child_record.to_record(data)
        result = validate_record(record, capture_date=date.today())
        return child_record.proposed_values(data, result.clean, positions)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return None
