"""The OpenAPI 3.1 document of ``/api/v1``, generated from the marshmallow schemas."""

from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint

from fieldapp.apiv1 import MAX_LIMIT
from fieldapp.auth import schemas as auth_schemas
from fieldapp.cases import schemas as case_schemas
from fieldapp.collection import schemas as collection_schemas
from fieldapp.devices import schemas as device_schemas
from fieldapp.reports import schemas as report_schemas
from fieldapp.review import schemas as review_schemas

bp = Blueprint("openapi", __name__)
SCHEMAS = {
    "SubmissionBatch": collection_schemas.SubmissionBatch,
    "ProtectionReport": collection_schemas.ProtectionReport,
    "SubmissionResults": collection_schemas.SubmissionResults,
    "SubmissionFeed": collection_schemas.SubmissionFeed,
    "Packet": collection_schemas.Packet,
    "DeviceReport": device_schemas.DeviceReport,
    "TokenRequest": auth_schemas.TokenRequest,
    "TokenCreated": auth_schemas.TokenCreated,
    "TokenList": auth_schemas.TokenList,
    "Session": auth_schemas.SessionOut,
    "Problem": auth_schemas.Problem,
    "ReviewList": review_schemas.ReviewList,
    "ReviewDetail": review_schemas.ReviewDetail,
    "Decision": review_schemas.DecisionIn,
    "Decided": review_schemas.DecisionOut,
    "Indicators": report_schemas.IndicatorsOut,
    "CaseIn": case_schemas.CaseIn,
    "Case": case_schemas.CaseOut,
    "CaseList": case_schemas.CaseList,
    "CaseStep": case_schemas.StepIn,
}
CASE_ID = {"in": "path", "name": "case_id", "required": True,
           "schema": {"type": "string", "format": "uuid"}}
CASE_FILTERS = [
    {"in": "query", "name": "state", "required": False, "schema": {"type": "string"},
     "description": "`open` (default), `closed`, empty for all, or one state"},
    {"in": "query", "name": "risk", "required": False, "schema": {"type": "string"},
     "description": "`cao`, `trung_binh` or `thap`"},
    {"in": "query", "name": "overdue", "required": False,
     "schema": {"type": "string", "enum": ["true", "false"]},
     "description": "`true`: only cases with a deadline passed and not met"},
    {"in": "query", "name": "source", "required": False, "schema": {"type": "string"},
     "description": "One source, e.g. `field_report` (reports sent from the field's phones)"},
]
CASES = ("The commune officer and leader for their commune, the admin anywhere; for every "
         "other role a case does not exist (404).")
SINCE = {"in": "query", "name": "since", "required": False, "schema": {"type": "string"},
         "description": "The cursor of the previous answer; leave out for a first download."}
FEED_SINCE = {**SINCE, "description": "Leave out for the default window: every submission "
              "not decided yet, however old, and those decided in the last 30 days. Else the "
              "`cursor` of a previous download (what changed after it), or the `next` of the "
              "previous page."}
LIMIT = {"in": "query", "name": "limit", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100},
         "description": "Items per page (the server's `API_PAGE_SIZE`, 100, when left out); "
                        "another value is a 400 problem."}
CURSOR = {"in": "query", "name": "cursor", "required": False, "schema": {"type": "string"},
          "description": "The `next` of the previous page; leave out for the first."}
SUBMISSION_ID = {"in": "path", "name": "submission_id", "required": True,
                 "schema": {"type": "string", "format": "uuid"}}
INBOX = {"in": "query", "schema": review_schemas.InboxQuery}  # one parameter per field
REPORT = [
    {"in": "query", "name": "place", "required": False, "schema": {"type": "string"},
     "description": "A commune's (5 digits) or a province's (2 digits) code; default: the "
                    "caller's own commune or province (the admin must name one)."},
    {"in": "query", "name": "date", "required": False,
     "schema": {"type": "string", "format": "date"},
     "description": "The report's day (YYYY-MM-DD, not after today); default today. The "
                    "answer is the register as it was known at the end of that day, so a "
                    "past day gives the same numbers whenever it is asked."},
]
TOKEN_ID = {"in": "path", "name": "token_id", "required": True,
            "schema": {"type": "string", "format": "uuid"}}
DESCRIPTION = """Field collection for the commune child register.

Authenticate with a bearer token (`POST /api/v1/tokens`, then `Authorization: Bearer …`;
a token is never accepted in a URL), or with the browser's session cookie plus a fresh
`X-CSRFToken` from `GET /api/v1/session` on every write. Every error is a JSON problem
`{"title", "detail", "errors"}` with Vietnamese messages; `errors` maps field paths
(`child.full_name`, `caregivers.0.personal_id`) to messages. Where a client must act on the
reason, the problem also has a stable `code`:

- 401, no code: no login session, or the token is unknown or revoked: log in again.
- 403 `inactive`: the account was deactivated ("Tài khoản của bạn đã bị khóa. Hãy liên hệ
  cán bộ xã."): keep the outbox and tell the collector to call the commune officer.
- 403 `password`: a one-time password must be changed on the web page first.
- 403 `role`: this account's role may not use this endpoint.
- 403 `csrf`: a session write without a fresh `X-CSRFToken`: fetch `GET /api/v1/session`.
- 409 `decided`: the submission was already decided by someone else.
- 429 on `POST /api/v1/tokens`: too many wrong passwords from this address; wait
  `Retry-After` seconds.

A 500 (unexpected) carries an `error_id`, also in its `detail` and in the server's log line.
Text holding NUL or another control character (tab, line feed and carriage return apart), a
lone surrogate (`\\ud800`) or U+FFFE/U+FFFF is a 422 naming the field (in a batch: that item
is `invalid`); a body nested deeper than 20 levels is a 400.

A submission is idempotent by its UUID: send it again until a receipt (`accepted` or
`duplicate`) arrives; other content under the same UUID is kept aside as a `conflict`. A UUID
another author stored is `invalid` (`errors.uuid`), whoever that author is.

Lists come in pages: `limit` (1 to 500) and a `next` cursor, null on the last page; no answer
grows with a user's history. The packet is the exception: the phone's village data, whole.

The commune officer reviews the commune's submissions under `/api/v1/review` (other roles:
403; another commune's submission: 404). Of two decisions at the same moment one wins; the
other is told `409` with code `decided`. An approval refused (`422`, errors by field path)
applies nothing."""


def _json(schema: str) -> dict:
    return {"application/json": {"schema": schema}}


def _answer(schema: str, description: str) -> dict:
    return {"description": description, "content": _json(schema)}


def _problems(*codes: int) -> dict:
    return {str(code): "Problem" for code in codes}


def _operations() -> dict[str, dict]:
    return {
        "/api/v1/tokens": {
            "post": {"summary": "Issue a bearer token for a device", "security": [],
                     "requestBody": {"required": True, "content": _json("TokenRequest")},
                     "responses": {"201": _answer("TokenCreated", "The token, shown once"),
                                   **_problems(400, 401, 403, 413, 422, 429)}},
            "get": {"summary": "The caller's tokens (without their secrets), newest first",
                    "parameters": [LIMIT, CURSOR],
                    "responses": {"200": _answer("TokenList", "Tokens"),
                                  **_problems(400, 401, 403)}},
        },
        "/api/v1/tokens/{token_id}": {
            "parameters": [TOKEN_ID],
            "delete": {"summary": "Revoke a token (a lost phone)",
                       "responses": {"204": {"description": "Revoked"},
                                     **_problems(400, 401, 403, 404)}},
        },
        "/api/v1/session": {
            "get": {"summary": "Who is calling, and a fresh CSRF token for session writes",
                    "responses": {"200": _answer("Session", "The caller"),
                                  **_problems(400, 401, 403)}},
        },
        "/api/v1/submissions": {
            "post": {"summary": "Send up to 100 submissions (1 MB); one answer per item",
                     "requestBody": {"required": True, "content": _json("SubmissionBatch")},
                     "responses": {"200": _answer("SubmissionResults", "One result per item, "
                                                  "in order"),
                                   **_problems(400, 401, 403, 413)}},
            "get": {"summary": "The caller's own submissions, their review states and notes",
                    "description": "In pages ordered by last change: follow `next` until it "
                                   "is null, then keep `cursor` for the next download.",
                    "parameters": [FEED_SINCE, LIMIT],
                    "responses": {"200": _answer("SubmissionFeed", "A page of submissions"),
                                  **_problems(400, 401, 403)}},
        },
        "/api/v1/device": {
            "put": {"summary": "After each sync, the phone's outbox and storage (field roles)",
                    "description": "One device is the pair (device_id, caller). The server "
                                   "compares each report with the previous one and with the "
                                   "receipts it gave, to warn the commune officer when a phone "
                                   "may have lost unsent submissions.",
                    "requestBody": {"required": True, "content": _json("DeviceReport")},
                    "responses": {"204": {"description": "Kept"},
                                  **_problems(400, 401, 403, 413, 422)}},
        },
        "/api/v1/review/submissions": {
            "get": {"summary": "The commune's submissions waiting for review, oldest first",
                    "parameters": [INBOX],
                    "responses": {"200": _answer("ReviewList", "A page of the inbox"),
                                  **_problems(400, 401, 403)}},
        },
        "/api/v1/review/submissions/{submission_id}": {
            "parameters": [SUBMISSION_ID],
            "get": {"summary": "One submission, field by field beside the register",
                    "responses": {"200": _answer("ReviewDetail", "The submission"),
                                  **_problems(400, 401, 403, 404)}},
            "post": {"summary": "Approve, return or reject a waiting submission",
                     "requestBody": {"required": True, "content": _json("Decision")},
                     "responses": {"200": _answer("Decided", "Decided"),
                                   **_problems(400, 401, 403, 404, 409, 413, 422)}},
        },
        "/api/v1/reports/indicators": {
            "get": {"summary": "A place's indicators at a day (Circular 13/2021), with their "
                               "breakdowns",
                    "description": "The commune officer and leader for their commune, the "
                                   "province viewer for their province and its communes (a "
                                   "restricted group's 1–4 children are `null` with "
                                   "`suppressed: true`; no village rows), the admin "
                                   "anywhere; other roles 403, a place out of scope 404.",
                    "parameters": REPORT,
                    "responses": {"200": _answer("Indicators", "The indicators"),
                                  **_problems(400, 401, 403, 404)}},
        },
        "/api/v1/cases": {
            "get": {"summary": "The commune's cases (Decree 56), newest report first",
                    "description": CASES, "parameters": [*CASE_FILTERS, LIMIT, CURSOR],
                    "responses": {"200": _answer("CaseList", "A page of cases"),
                                  **_problems(400, 401, 403, 404)}},
            "post": {"summary": "Step 1 (Mẫu 01): a report received; the case and its "
                                "deadlines",
                     "description": "The commune officer. `deadlines.assessment_due` is 12 "
                                    "hours after `received_at`; `plan_due` the end of the 5th "
                                    "working day after the day received (a report on Friday "
                                    "4/12/2026 is due Friday 11/12).",
                     "requestBody": {"required": True, "content": _json("CaseIn")},
                     "responses": {"201": _answer("Case", "The case opened"),
                                   **_problems(400, 401, 403, 404, 413, 422)}},
        },
        "/api/v1/cases/{case_id}": {
            "parameters": [CASE_ID],
            "get": {"summary": "One case with its steps", "description": CASES,
                    "responses": {"200": _answer("Case", "The case"),
                                  **_problems(400, 401, 403, 404)}},
        },
        "/api/v1/cases/{case_id}/steps": {
            "parameters": [CASE_ID],
            "post": {"summary": "The case's next step",
                     "description": "A step the case's state does not allow is a 409 whose "
                                    "`detail` says which steps come next; `approve` and "
                                    "`return` are the commune leader's (others 403).",
                     "requestBody": {"required": True, "content": _json("CaseStep")},
                     "responses": {"200": _answer("Case", "The case after the step"),
                                   **_problems(400, 401, 403, 404, 409, 413, 422)}},
        },
        "/api/v1/openapi.json": {
            "get": {"summary": "This document", "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": _json(
                        {"type": "object"})}, **_problems(400)}},
        },
        "/api/v1/packet": {
            "get": {"summary": "Villages, code lists, children and households for offline work",
                    "parameters": [SINCE],
                    "responses": {"200": _answer("Packet", "The packet, or its changes since "
                                                 "the cursor"), **_problems(400, 401, 403)}},
        },
    }


@cache
def document() -> dict:
    spec = APISpec(
        title="fieldapp — đồng bộ thu thập thông tin trẻ em", version="1",
        openapi_version="3.1.0", plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "fieldapp_session"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    spec.components.response("Problem", {
        "description": "A JSON problem (application/problem+json)",
        "content": {"application/problem+json": {"schema": "Problem"}}})
    for path, operations in _operations().items():
        parameters = operations.pop("parameters", None)
        spec.path(path=path, operations=operations, parameters=parameters)
    out = spec.to_dict()
    out["security"] = [{"bearer": []}, {"session": []}]
    return out


@bp.get("/openapi.json")
def openapi_json():
    return document()
