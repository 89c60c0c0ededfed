"""Hồ sơ vụ việc (issue 16 §5): the commune's cases, a report received (step 1), one case's
steps as a timeline with its next step as the one obvious button. For every role but the
commune's officer and leader (and the admin) the pages do not exist (404). Plain forms:
each works without script on a phone."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fieldapp import access, people
from fieldapp.audit.services import record as audit
from fieldapp.cases import machine, paper, queries, services
from fieldapp.cases.forms import ACTION_ROWS, LABELS, report_data, step_data
from fieldapp.cases.models import Case
from fieldapp.cases.validators import OUTCOMES, RISKS, SOURCES
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.db import utcnow
from fieldapp.downloads import PDF, attachment
from fieldapp.errors import Conflict, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("cases", __name__, url_prefix="/cases")
PAGE = 50
CHOICES = {"sources": SOURCES, "risks": RISKS, "outcomes": OUTCOMES, "states": machine.STATES,
           "steps": machine.STEPS, "other_steps": machine.OTHER_STEPS, "rows": ACTION_ROWS,
           "labels": LABELS}


@bp.app_context_processor
def case_marks():
    """``child_cases(child)``: how many cases the reader sees about a register child, for
    the child page's "có hồ sơ vụ việc" (0 for every role that does not read cases)."""
    def child_cases(child) -> int:
        if not current_user.is_authenticated or not services.readable(current_user):
            return 0
        return queries.of_child(current_user, child.id)
    return {"child_cases": child_cases}


def _reader():
    if not current_user.is_authenticated or not services.readable(current_user):
        raise NotFound("Không tìm thấy hoặc bạn không có quyền xem.")
    return current_user


@bp.get("")
@login_required
def index():
    user = _reader()
    state = request.args.get("state", "open")
    state = state if state in ("", *queries.STATE_FILTERS) else "open"
    risk = request.args.get("risk", "")
    child = _child(request.args.get("child")) if request.args.get("child") else None
    source = request.args.get("source", "")
    filters = queries.Filters(state=state, risk=risk if risk in RISKS else "",
                              overdue=request.args.get("overdue") == "1",
                              child_id=child.id if child else None,
                              source=source if source in SOURCES else "")
    now = utcnow()
    rows, following = queries.page(user, filters, PAGE, request.args.get("cursor"), now)
    return render("cases/index.html", cases=list(zip(rows, services.deadlines_of(rows),
                                                     strict=True)),
                  filters=filters, following=following, now=now, child=child,
                  counts=queries.counts(user, now), **CHOICES)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    user = _reader()
    access.require(user, "cases.open")
    child = _child(request.values.get("child_id"))
    errors, status = {}, 200
    data = request.form
    if request.method == "POST":
        try:
            case = services.open_case(user, report_data(request.form))
        except ValidationFailed as failed:
            db.session.rollback()
            errors, status = failed.errors or {}, 422
        else:
            db.session.commit()
            flash("Đã tiếp nhận tin báo, mở hồ sơ vụ việc.", "success")
            return redirect(url_for("cases.show", case_id=case.id), 303)
    return render("cases/new.html", status=status, child=child, data=data, errors=errors,
                  villages=_villages(user), sexes=catalogue.choices("sex"), **CHOICES)


def _child(child_id) -> Child | None:
    return access.get_or_404(Child, child_id, current_user) if child_id else None


def _villages(user) -> list[Village]:
    return list(db.session.scalars(access.villages(user).where(Village.active.is_(True))
                                   .order_by(Village.name)))


@bp.get("/<case_id>")
@login_required
def show(case_id: str):
    user = _reader()
    case = access.get_or_404(Case, case_id, user)
    audit(user, "case_viewed", services.OBJECT, case.id, commune_code=case.commune_code,
          address=client_address())
    db.session.commit()
    return _page(case)


def _page(case: Case, *, step: str | None = None, errors=None, data=None, problem=None,
          status: int = 200):
    now = utcnow()
    forms = catalogue.choices("support_form")
    return render("cases/show.html", status=status, case=case, due=services.deadlines(case),
                  now=now,
                  names=people.people(s.actor_id for s in case.steps),
                  next_steps=list(machine.TRANSITIONS[case.state]), village=_village(case),
                  child=db.session.get(Child, case.child_id) if case.child_id else None,
                  may_act=access.can(current_user, "cases.step"),
                  may_approve=access.can(current_user, "cases.approve"),
                  failed=step, errors=errors or {}, data=data or {}, problem=problem,
                  forms=forms, form_names=dict(forms), **CHOICES)


def _village(case: Case) -> Village | None:
    return db.session.get(Village, case.village_code) if case.village_code else None


@bp.post("/<case_id>/steps")
@login_required
def step(case_id: str):
    user = _reader()
    case = access.get_or_404(Case, case_id, user)
    name = request.form.get("step", "")
    try:
        services.take_step(user, case, name, step_data(name, request.form))
    except ValidationFailed as failed:
        db.session.rollback()
        return _page(db.session.get(Case, case.id), step=name, errors=failed.errors or {},
                     data=request.form, status=422)
    except Conflict as refused:
        db.session.rollback()
        return _page(db.session.get(Case, case.id), problem=refused.detail, status=409)
    db.session.commit()
    flash(f"Đã ghi: {machine.STEPS.get(name) or machine.OTHER_STEPS.get(name, name)}.",
          "success")
    return redirect(url_for("cases.show", case_id=case.id), 303)


@bp.get("/<case_id>/ho-so.pdf")
@login_required
def as_pdf(case_id: str):
    """The case file to print and sign (audited: it leaves the system on paper)."""
    user = _reader()
    case = access.get_or_404(Case, case_id, user)
    village = _village(case)
    body = paper.render(case, case.commune.name if case.commune else case.commune_code,
                        village.name if village else None,
                        people.people([case.created_by_id, *(s.actor_id for s in case.steps)]),
                        dict(catalogue.choices("support_form")))
    audit(user, "case_printed", services.OBJECT, case.id, commune_code=case.commune_code,
          address=client_address())
    db.session.commit()
    return attachment(body, PDF, f"ho-so-vu-viec-{case.received_at:%Y%m%d}.pdf")
