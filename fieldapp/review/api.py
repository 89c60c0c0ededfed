"""The review API (``/api/v1/review``) for officers' tools: the inbox, one submission beside
the register, and decisions, with the review page's rules and scope (the commune officer;
another commune's submission is not found)."""

from flask import Blueprint, request
from marshmallow import Schema, ValidationError

from fieldapp import access
from fieldapp.apiv1 import caller, json_body, no_store
from fieldapp.audit.services import record as audit
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from fieldapp.errors import BadRequest, DomainError, ValidationFailed
from fieldapp.extensions import db
from fieldapp.review import compare, duplicates, queries, services
from fieldapp.review.schemas import MAX_BYTES, DecisionIn, InboxQuery
from fieldapp.schemas import flat_errors

bp = Blueprint("review", __name__)
QUERY, DECISION = InboxQuery(), DecisionIn()


@bp.get("/review/submissions")
def list_review_submissions():
    user = _reviewer()
    args = {name: value for name, value in request.args.items() if value != ""}
    query = _load(QUERY, args, BadRequest, "Tham số lọc không hợp lệ.")
    size = query.pop("limit", queries.PAGE_SIZE)
    rows, cursor = queries.page(user, queries.Filters(**query), size)
    return no_store({"items": [item_json(row) for row in rows], "next": cursor,
                      "counts": counts_json(queries.counts(user))})


@bp.get("/review/submissions/<submission_id>")
def get_review_submission(submission_id: str):
    user = _reviewer()
    submission = access.get_or_404(Submission, submission_id, user)
    audit(user, "submission_viewed", "submission", submission.id,
          commune_code=submission.commune_code, address=client_address())
    db.session.commit()
    return no_store(detail_json(user, submission))


@bp.post("/review/submissions/<submission_id>")
def decide_review_submission(submission_id: str):
    user = _reviewer()
    submission = access.get_or_404(Submission, submission_id, user)
    decision = _load(DECISION, json_body(MAX_BYTES), ValidationFailed, "Quyết định chưa hợp lệ.")
    try:
        child = _decide(user, submission, decision)
        version = child.version if child is not None else None
    except DomainError:
        db.session.rollback()  # an approval refused half-way applies nothing, its claim included
        raise
    db.session.commit()
    return no_store({"id": str(submission.id), "state": submission.state,
                      "note": submission.note, "child_id": _text(submission.child_id),
                      "child_version": version})


def _reviewer():
    user = caller()
    access.require(user, "review")
    return user


def _load(schema: Schema, data: dict, refusal: type[DomainError], detail: str) -> dict:
    try:
        return schema.load(data)
    except ValidationError as invalid:
        raise refusal(detail, flat_errors(invalid.messages)) from None


def _decide(user, submission: Submission, decision: dict) -> Child | None:
    if decision["action"] == "approve":
        return services.approve_submission(user, submission, decision["resolutions"],
                                           seen_version=decision["register_version"])
    if decision["action"] == "return":
        services.return_submission(user, submission, decision["note"])
    else:
        services.reject_submission(user, submission, decision["note"])
    return None



def _text(value) -> str | None:
    return str(value) if value is not None else None


def item_json(row: queries.Row) -> dict:
    s, author = row.submission, row.submission.user
    return {
        # An approved new child's submission gets its child_id: the kind is whether it
        # arrived as (or was matched into) an update, which records the register's version.
        "id": str(s.id), "kind": "new" if s.register_version is None else "update",
        "state": s.state, "village": s.village_code,
        "label": str(((s.data or {}).get("child") or {}).get("full_name") or ""),
        "collector": {"id": author.id, "username": author.username,
                      "full_name": author.full_name},
        "child_id": _text(s.child_id), "base_version": s.base_version,
        "current_version": row.child.version if row.child is not None else None,
        "stale": row.stale, "conflict": row.conflict, "overdue": row.overdue,
        "received_at": s.received_at.isoformat(), "captured_at": s.captured_at.isoformat(),
        "duplicates": [{"child_id": _text(m.child_id), "submission_id": _text(m.submission_id),
                        "full_name": m.full_name, "score": m.score, "reasons": m.reasons}
                       for m in row.duplicates],
    }


def detail_json(user, s: Submission) -> dict:
    """One submission; while it waits, field by field beside the register."""
    child = db.session.get(Child, s.child_id) if s.child_id is not None else None
    if s.state != "received":  # decided: its flags as it arrived, nothing left to compare
        row = queries.Row(s, child, s.stale, bool(s.conflicts), False, [])
        return {**item_json(row), "fields": None, "errors": {}, "warnings": {}}
    matches = {} if child is not None else duplicates.find(
        user.commune_code, [duplicates.proposal(s.id, s.data)])
    stale = child is not None and (s.base_version is None or s.base_version < child.version)
    row = queries.Row(s, child, stale, bool(s.conflicts),
                      s.received_at < utcnow() - queries.OVERDUE, matches.get(s.id, []))
    comparison = compare.compare(s, child, services.capture_day(s))
    fields = [{"path": f.path, "base": f.base, "current": f.current, "proposed": f.proposed,
               "differs": f.differs, "must_choose": f.must_choose, "default": f.default,
               "keepable": f.keepable}
              for f in comparison.fields]
    return {**item_json(row), "fields": fields, "errors": comparison.errors,
            "warnings": comparison.warnings}


def counts_json(counts: dict) -> dict:
    return {
        "total": counts["total"],
        "villages": [{"code": code, "name": name, "count": n}
                     for code, name, n in counts["villages"]],
        "collectors": [{"id": key, "username": username, "full_name": full_name, "count": n}
                       for key, username, full_name, n in counts["collectors"]],
        "kinds": counts["kinds"], "flags": counts["flags"],
    }
