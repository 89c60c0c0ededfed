"""Opening a case and taking its steps (issue 16 §1): each step checked against the case's
state (``cases.machine``) and its form (``cases.validators``), appended, audited; nothing is
deleted. Support done under a plan is recorded in the register through
``children.services`` (the history does not name the case). Services flush; the view
commits."""

import uuid
from datetime import date, datetime

from sqlalchemy import select

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.cases import machine
from fieldapp.cases.deadlines import (  # noqa: F401 (the feature's names)
    Deadlines,
    deadlines,
    deadlines_of,
)
from fieldapp.cases.models import Case, CaseStep
from fieldapp.cases.validators import validate_report, validate_step
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.clock import VIETNAM
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village

OBJECT = "case"
STEP_NAMES = tuple(step for step in machine.STEPS if step != "receive")


def readable(user) -> bool:
    """Cases exist only for the commune's officer and leader (and the admin)."""
    return access.can(user, "cases.read")


def open_case(actor, data: dict) -> Case:
    """Step 1 (Mẫu 01): the report received, a case in ``received``."""
    access.require(actor, "cases.open")
    now = utcnow()
    villages = set(db.session.scalars(select(Village.code).where(
        Village.commune_code == actor.commune_code, Village.active.is_(True))))
    result = validate_report(data, now, villages)
    child = None
    if "child_id" in result.clean:
        child = _register_child(actor, result.clean["child_id"])
        if child is None:
            result.error("child_id", "Không tìm thấy trẻ này trong sổ của xã.")
    if result.errors:
        raise ValidationFailed("Thông tin tiếp nhận chưa hợp lệ.", result.errors)
    return _opened(actor, result.clean, child, now)


def open_field_report(author, clean: dict, *, submission_id: uuid.UUID, now: datetime) -> Case:
    """A report a village head or collaborator sent from the phone (issue 16 §3), as
    ``validate_field_report`` cleaned it, with ``reported_at`` (the phone's time) and
    ``register_child`` (the register child it names, which the author sees, or None): a case
    in ``received`` at once, received now. No approval gate: a report is information, not a
    change of the register. The reporter never reads the case."""
    report = dict(clean, received_at=now, source="field_report",
                  reporter_name=author.full_name or author.username, child_state="",
                  current_carer="", actions_taken="")
    return _opened(author, report, clean["register_child"], now, submission_id=submission_id,
                   urgent=bool(clean["urgent"]), seen_at=clean["seen_at"],
                   reported_at=clean["reported_at"])


def _opened(actor, clean: dict, child: Child | None, now: datetime, **more) -> Case:
    """The case of a report judged (step 1), with its first step, audited."""
    new = clean.get("child") or {}
    case = Case(
        commune_code=actor.commune_code, state=machine.RECEIVED,
        received_at=clean["received_at"], source=clean["source"],
        reporter_name=clean["reporter_name"], reporter_phone=clean["reporter_phone"],
        child_id=child.id if child else None,
        child_name=child.full_name if child else new["full_name"],
        child_sex=child.sex if child else new["sex"],
        child_born=child.date_of_birth if child else new["date_of_birth"],
        child_age=None if child else new["estimated_age"],
        village_code=child.village_code if child else new["village"],
        situation=clean["situation"], location=clean["location"],
        child_state=clean["child_state"], current_carer=clean["current_carer"],
        actions_taken=clean["actions_taken"], created_by_id=actor.id, created_at=now,
        updated_at=now, **more)
    db.session.add(case)
    case.steps.append(CaseStep(step="receive", data={"source": case.source}, actor_id=actor.id,
                               at=now))
    db.session.flush()
    audit(actor, "case_opened", OBJECT, case.id, commune_code=case.commune_code,
          detail={"source": case.source, "state": case.state, "urgent": bool(case.urgent)})
    return case


def _register_child(actor, child_id) -> Child | None:
    try:
        return access.get_or_404(Child, child_id, actor)
    except NotFound:
        return None


def take_step(actor, case: Case, step: str, data: dict) -> Case:
    """A step after the first, by the commune officer (the chair's approval or return by the
    commune leader): refused with the reason when the case's state does not allow it."""
    if step == "link":
        return link_child(actor, case, data.get("child_id"))
    if step not in STEP_NAMES:
        raise ValidationFailed("Bước không hợp lệ.", {"step": [
            "Chọn một bước: " + ", ".join(STEP_NAMES) + "."]})
    access.require(actor, "cases.approve" if step in machine.LEADER_STEPS else "cases.step")
    state = machine.next_state(case.state, step)
    if state is None:
        raise Conflict(machine.refusal(case.state, step))
    now = utcnow()
    result = validate_step(step, data, now.astimezone(VIETNAM).date())
    if result.errors:
        raise ValidationFailed("Nội dung chưa hợp lệ.", result.errors)
    clean = result.clean
    if step == "verify" and clean["founded"] is False:
        state = machine.CLOSED  # unfounded: the case closes here, with the reason
    if step == "assess":
        case.risk, case.emergency = clean["risk"], bool(clean["emergency"])
    if step == "act":
        _record_support(actor, case, clean["actions"])
    if state == machine.CLOSED:
        case.closed_at = now
    case.state, case.updated_at = state, now
    case.steps.append(CaseStep(step=step, data=_plain(clean), actor_id=actor.id, at=now))
    db.session.flush()
    audit(actor, "case_step", OBJECT, case.id, commune_code=case.commune_code,
          detail={"step": step, "state": state})
    return case


def _record_support(actor, case: Case, actions: list[dict]) -> None:
    """Each action done is a support record of the child in the register (DOMAIN §4)."""
    if case.child_id is None:
        raise Conflict("Hồ sơ chưa gắn với trẻ trong sổ: hãy chọn trẻ trong sổ (hoặc thêm trẻ "
                       "vào sổ) trước khi ghi trợ giúp.")
    child = db.session.get(Child, case.child_id)
    for action in actions:
        register.record_support(actor, child, {
            "form": action["form"], "date": action["date"], "provider": action["provider"],
            "amount_vnd": action["amount_vnd"]})


def link_child(actor, case: Case, child_id) -> Case:
    """A case about a child not yet in the register, linked to the register child it is
    (the state does not change)."""
    access.require(actor, "cases.step")
    if case.state == machine.CLOSED:
        raise Conflict(machine.refusal(case.state, "link"))
    if case.child_id is not None:  # once: what a report counted stays what it was
        raise Conflict("Hồ sơ đã gắn với một trẻ trong sổ.")
    child = _register_child(actor, child_id) if child_id else None
    if child is None:
        raise ValidationFailed("Chưa chọn được trẻ.", {
            "child_id": ["Không tìm thấy trẻ này trong sổ của xã."]})
    now = utcnow()
    case.child_id, case.updated_at = child.id, now
    case.steps.append(CaseStep(step="link", data={"child_id": str(child.id)},
                               actor_id=actor.id, at=now))
    db.session.flush()
    audit(actor, "case_step", OBJECT, case.id, commune_code=case.commune_code,
          detail={"step": "link", "state": case.state})
    return case


def _plain(clean: dict) -> dict:
    """The step's content as JSON holds it (dates as ISO text)."""
    def plain(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value
    return plain(clean)
