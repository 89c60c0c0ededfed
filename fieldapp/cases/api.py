"""``/api/v1/cases`` (issue 16 §5): the commune's cases for its officer and leader (and the
admin); for every other role a case does not exist (404), its list included. Reading a case
is audited; a step the case's state does not allow is a 409 that says why."""

from flask import Blueprint, request

from fieldapp import access, people
from fieldapp.apiv1 import caller, json_body, no_store, page_limit
from fieldapp.audit.services import record as audit
from fieldapp.cases import queries, services
from fieldapp.cases.models import Case
from fieldapp.cases.schemas import MAX_BYTES, case_json
from fieldapp.cases.validators import SOURCES
from fieldapp.client import client_address
from fieldapp.db import utcnow
from fieldapp.errors import BadRequest, NotFound
from fieldapp.extensions import db

bp = Blueprint("cases", __name__)
HIDDEN = "Không tìm thấy hoặc bạn không có quyền xem."


def _reader():
    user = caller()
    if not services.readable(user):
        raise NotFound(HIDDEN)
    return user



@bp.get("/cases")
def list_cases():
    user = _reader()
    state = request.args.get("state", "open")
    if state not in ("", *queries.STATE_FILTERS):
        raise BadRequest("Tham số state không hợp lệ.", {"state": [
            "Dùng: open, closed, hoặc một trạng thái: " + ", ".join(queries.STATE_FILTERS[2:])
            + "."]})
    overdue = request.args.get("overdue", "")
    if overdue not in ("", "true", "false"):
        raise BadRequest("Tham số overdue không hợp lệ.", {"overdue": ["Dùng true hoặc false."]})
    source = request.args.get("source", "")
    if source not in ("", *SOURCES):
        raise BadRequest("Tham số source không hợp lệ.", {"source": [
            "Dùng một nguồn: " + ", ".join(SOURCES) + "."]})
    filters = queries.Filters(state=state, risk=request.args.get("risk", ""),
                              overdue=overdue == "true", source=source)
    now = utcnow()
    rows, following = queries.page(user, filters, page_limit(), request.args.get("cursor"), now)
    return no_store({"items": [case_json(case, now, due=due) for case, due in zip(
        rows, services.deadlines_of(rows), strict=True)], "next": following})


@bp.post("/cases")
def open_case():
    user = _reader()
    case = services.open_case(user, json_body(MAX_BYTES))
    db.session.commit()
    return no_store(case_json(case, utcnow()), 201)


@bp.get("/cases/<case_id>")
def get_case(case_id: str):
    user = _reader()
    case = access.get_or_404(Case, case_id, user)
    audit(user, "case_viewed", services.OBJECT, case.id, commune_code=case.commune_code,
          address=client_address())
    db.session.commit()
    return no_store(_detail(case))


@bp.post("/cases/<case_id>/steps")
def take_step(case_id: str):
    user = _reader()
    case = access.get_or_404(Case, case_id, user)
    body = json_body(MAX_BYTES)
    step = body.pop("step", None)
    if not isinstance(step, str):
        raise BadRequest("Thiếu bước.", {"step": ["Ghi tên bước, ví dụ \"verify\"."]})
    services.take_step(user, case, step, body)
    db.session.commit()
    return no_store(_detail(case))


def _detail(case: Case) -> dict:
    names = people.people(step.actor_id for step in case.steps)
    return case_json(case, utcnow(), steps=True, names=names)
