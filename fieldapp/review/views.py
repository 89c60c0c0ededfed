"""The commune officer's review: the inbox, one submission beside the register, decisions.

Opening a submission from the list swaps only the panel (htmx), so the list keeps its place;
after a decision the panel shows the next submission of the same filters.
"""

from flask import Blueprint, flash, make_response, render_template, request, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.audit.services import record as audit
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.collection.models import Submission
from fieldapp.errors import Conflict, ValidationFailed
from fieldapp.extensions import db
from fieldapp.review import labels, queries, services
from fieldapp.review.forms import ApproveForm, RejectForm, ReturnForm, SameChildForm
from fieldapp.review.panel import filter_form, panel_context, village_names

bp = Blueprint("review", __name__, url_prefix="/review")
REVIEW = "review"
DONE = {"approve": "Đã duyệt phiếu.", "return": "Đã trả lại phiếu cho người thu thập.",
        "reject": "Đã từ chối phiếu.", "same": "Đã gộp vào trẻ có trong sổ: chọn từng trường."}
FORMS = {"approve": ApproveForm, "return": ReturnForm, "reject": RejectForm,
         "same": SameChildForm}


def _inbox(f: queries.Filters, submission: Submission | None = None, status: int = 200,
           **panel):
    rows, cursor = queries.page(current_user, f)
    context = {"rows": rows, "cursor": cursor, "filters": f, "form": filter_form(f),
               "counts": queries.counts(current_user), "kinds": queries.KINDS,
               "flags": queries.FLAGS, "names": labels, "places": village_names()}
    if submission is not None:
        context.update(panel_context(submission, f, **panel))
    return htmx.render("review/inbox.html", "review/_list.html", status, **context)


@bp.get("")
@access.action_required(REVIEW)
def inbox():
    return _inbox(queries.Filters.read(request.args))


@bp.get("/<submission_id>")
@access.action_required(REVIEW)
def show(submission_id):
    submission = access.get_or_404(Submission, submission_id, current_user)
    audit(current_user, "submission_viewed", "submission", submission.id,
          commune_code=submission.commune_code, address=client_address())
    db.session.commit()
    f = queries.Filters.read(request.args)
    if htmx.is_htmx():
        return _panel(submission, f)
    return _inbox(f, submission)


def _panel(submission: Submission, f: queries.Filters, status: int = 200, **extra):
    response = make_response(render_template(
        "review/_panel.html", **panel_context(submission, f, **extra)), status)
    response.vary.add("HX-Request")
    return response


@bp.post("/<submission_id>/<action>")
@access.action_required(REVIEW)
def decide(submission_id, action):
    if action not in FORMS:
        raise ValidationFailed("Thao tác không hợp lệ.")
    submission = access.get_or_404(Submission, submission_id, current_user)
    f = queries.Filters.read(request.args)
    form = FORMS[action]()
    if not form.validate_on_submit():
        return _refused(submission, f, action, form, errors=form.errors)
    try:
        _do(action, submission, form, _choices())
    except ValidationFailed as failed:
        db.session.rollback()
        return _refused(submission, f, action, form, failed.detail, failed.errors)
    except Conflict as conflict:
        db.session.rollback()
        return _refused(submission, f, action, form, conflict.detail, status=409)
    db.session.commit()
    return _after(submission, f, action)


def _choices() -> dict[str, str]:
    return {key[len("choice."):]: value for key, value in request.form.items()
            if key.startswith("choice.")}


def _do(action: str, submission: Submission, form, choices: dict) -> None:
    if action == "approve":
        services.approve_submission(current_user, submission, choices,
                                    seen_version=form.seen_version.data)
    elif action == "return":
        services.return_submission(current_user, submission, form.note.data)
    elif action == "reject":
        services.reject_submission(current_user, submission, form.note.data)
    else:
        child = access.get_or_404(Child, form.child_id.data, current_user)
        services.match_child(current_user, submission, child)


def _refused(submission, f, action, form, detail="", errors=None, status=422):
    """The panel again with what was refused; after a 409 the register or the submission
    moved on, so it shows them as they are now, to be looked at afresh."""
    db.session.refresh(submission)
    extra = {"problem": detail or "Chưa thực hiện được.", "errors": errors or {},
             "action": action}
    if status != 409:
        extra.update({f"{action}_form": form,
                      "posted": _choices() if action == "approve" else None})
    if htmx.is_htmx():
        return _panel(submission, f, status, **extra)
    return _inbox(f, submission, status, **extra)


def _after(submission: Submission, f: queries.Filters, action: str):
    """The next submission of the same filters (htmx: in the panel, the decided row gone)."""
    if action == "same":  # the same submission, now an update of the child chosen
        if htmx.is_htmx():
            return _panel(submission, f, done=DONE[action])
        flash(DONE[action], "success")
        return htmx.redirect(url_for("review.show", submission_id=submission.id, **f.args()))
    following = queries.following(current_user, f, submission)
    if not htmx.is_htmx():
        flash(DONE[action], "success")
        target = (url_for("review.show", submission_id=following.id, **f.args()) if following
                  else url_for("review.inbox", **f.args()))
        return htmx.redirect(target)
    context = {"done": DONE[action], "decided_id": submission.id, "filters": f,
               "counts": queries.counts(current_user), "flags": queries.FLAGS}
    if following is not None:
        context.update(panel_context(following, f, done=DONE[action]))
    response = make_response(render_template("review/_decided.html", **context))
    response.headers["HX-Push-Url"] = (
        url_for("review.show", submission_id=following.id, **f.args()) if following
        else url_for("review.inbox", **f.args()))
    response.vary.add("HX-Request")
    return response
