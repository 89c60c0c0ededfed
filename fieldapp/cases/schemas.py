"""The cases API's bodies and answers (marshmallow, for the OpenAPI document) and the JSON of
a case, which the API and the pages share (issue 16 §5). The input is judged by
``cases.validators``; these schemas describe it."""

from datetime import datetime

from marshmallow import fields

from fieldapp.cases import machine
from fieldapp.cases.deadlines import Deadlines, deadlines
from fieldapp.cases.models import Case
from fieldapp.cases.validators import OUTCOMES, RISKS, SOURCES
from fieldapp.schemas import ApiSchema

MAX_BYTES = 64_000


class NewChildIn(ApiSchema):
    full_name = fields.String(required=True)
    sex = fields.String(metadata={"description": "`1` boy, `2` girl"})
    date_of_birth = fields.Date(metadata={"description": "Or `estimated_age`"})
    estimated_age = fields.Integer(metadata={"description": "Years, 0–17"})
    village = fields.String(required=True, metadata={"description": "The village's code"})


class CaseIn(ApiSchema):
    received_at = fields.DateTime(required=True, metadata={
        "description": "When the report was received; without an offset, Vietnam time"})
    source = fields.String(required=True, metadata={"enum": list(SOURCES)})
    reporter_name = fields.String()
    reporter_phone = fields.String()
    child_id = fields.UUID(metadata={"description": "A register child of the commune; or "
                                     "`child`"})
    child = fields.Nested(NewChildIn, metadata={"description": "A child not yet in the "
                                                "register (link it later with the step "
                                                "`link`)"})
    situation = fields.String(required=True, metadata={"description": "What happened"})
    location = fields.String()
    child_state = fields.String(metadata={"description": "The child's state now"})
    current_carer = fields.String(metadata={"description": "Who cares for the child now"})
    actions_taken = fields.String(metadata={"description": "Actions already taken"})


class StepIn(ApiSchema):
    step = fields.String(required=True, metadata={
        "enum": [*(s for s in machine.STEPS if s != "receive"), "link"],
        "description": "`verify` (`founded`, `note`; unfounded: `reason`, the case closes), "
                       "`assess` (`risk` " + " | ".join(RISKS) + ", `emergency`; when true "
                       "`emergency_action`, `emergency_by`, `child_location`), `detail` "
                       "(`needs`, `meeting`), `plan` (`goals`, `actions`: [{`form`, `date`, "
                       "`provider`}]), `approve` (`note`) and `return` (`reason`) by the "
                       "commune leader, `act` (`actions` done: [{`form`, `date`, "
                       "`provider`, `amount_vnd`}], each a support record of the register "
                       "child), `review` (`child_state`, `outcome` " + " | ".join(OUTCOMES)
                       + "), `close` (`summary`), `link` (`child_id`)"})


class DeadlinesOut(ApiSchema):
    assessment_due = fields.DateTime(metadata={"description": "12 hours after received_at"})
    plan_due = fields.DateTime(metadata={"description": "End of the 5th working day after "
                                         "the day received (Vietnam's calendar)"})
    open = fields.List(fields.String(), metadata={"description": "Deadlines not met yet"})
    overdue = fields.List(fields.String())


class StepOut(ApiSchema):
    step = fields.String()
    name = fields.String()
    at = fields.DateTime()
    by = fields.String()
    data = fields.Dict()


class CaseOut(ApiSchema):
    id = fields.UUID()
    state = fields.String(metadata={"enum": list(machine.STATES)})
    state_name = fields.String()
    received_at = fields.DateTime()
    source = fields.String()
    child_id = fields.UUID(allow_none=True)
    child_name = fields.String()
    village = fields.String(allow_none=True)
    risk = fields.String(allow_none=True)
    emergency = fields.Boolean()
    urgent = fields.Boolean(metadata={"description": "A report from the field its reporter "
                                      "called urgent (the child in danger now)"})
    deadlines = fields.Nested(DeadlinesOut)
    next_steps = fields.List(fields.String())
    report = fields.Dict(metadata={"description": "One case's answer only: step 1's fields "
                                   "(reporter, situation, location, child_state, "
                                   "current_carer, actions_taken; for a report from the "
                                   "field also seen_at and reported_at, ISO times or null)"})
    steps = fields.List(fields.Nested(StepOut), metadata={
        "description": "One case's answer only: every step, oldest first"})


class CaseList(ApiSchema):
    items = fields.List(fields.Nested(CaseOut))
    next = fields.String(allow_none=True)


def case_json(case: Case, now: datetime, *, steps: bool = False, names=None,
              due: Deadlines | None = None) -> dict:
    """A case as the API answers it (``steps``: with its steps; ``names``: user id → the
    name shown for who took each; ``due``: its deadlines, if computed already)."""
    due = due or deadlines(case)
    out = {
        "id": str(case.id), "state": case.state, "state_name": machine.STATES[case.state],
        "received_at": case.received_at.isoformat(), "source": case.source,
        "child_id": str(case.child_id) if case.child_id else None,
        "child_name": case.child_name, "village": case.village_code,
        "risk": case.risk, "emergency": case.emergency, "urgent": bool(case.urgent),
        "deadlines": {"assessment_due": due.assessment_due.isoformat(),
                      "plan_due": due.plan_due.isoformat(), "open": list(due.open),
                      "overdue": list(due.overdue(now))},
        "next_steps": list(machine.TRANSITIONS[case.state]),
    }
    if steps:
        names = names or {}
        out["report"] = {name: getattr(case, name) for name in (
            "reporter_name", "reporter_phone", "situation", "location", "child_state",
            "current_carer", "actions_taken")}
        out["report"].update({name: getattr(case, name).isoformat() if getattr(case, name)
                              else None for name in ("seen_at", "reported_at")})
        out["steps"] = [{
            "step": s.step, "name": machine.STEPS.get(s.step) or machine.OTHER_STEPS[s.step],
            "at": s.at.isoformat(), "by": names.get(s.actor_id, ""), "data": s.data,
        } for s in case.steps]
    return out
