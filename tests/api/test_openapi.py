"""The OpenAPI 3.1 document: it is valid, it lists every route of ``/api/v1``, and real answers
of every endpoint — successes and problems — match the schema it gives for their status and
media type (JSON Schema 2020-12, formats checked, no undocumented field)."""

import copy
import re
import uuid

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import update

from fieldapp import roles
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from tests.factories import PASSWORD
from tests.submissions import changed

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture()
def doc(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    return answer.get_json()


def closed_objects(schema):
    """Every object schema with properties refuses others: an answer may hold no field the
    document does not describe."""
    if isinstance(schema, dict):
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        for value in schema.values():
            closed_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            closed_objects(value)
    return schema


def conform(doc: dict, method: str, template: str, answer) -> None:
    """``answer`` matches what ``doc`` says of ``method template`` for its status."""
    responses = doc["paths"][template][method]["responses"]
    assert str(answer.status_code) in responses, (method, template, answer.status_code)
    response = responses[str(answer.status_code)]
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    if "content" not in response:
        assert answer.get_data() == b""
        return
    assert answer.mimetype in response["content"], (answer.mimetype, list(response["content"]))
    schema = {**response["content"][answer.mimetype]["schema"],
              "components": closed_objects(copy.deepcopy(doc["components"]))}
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(answer.get_json()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_document_is_valid_openapi_3_1(doc):
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "session"}


def test_every_api_route_is_documented_and_nothing_else(app, doc):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    documented = {(path, m) for path, item in doc["paths"].items() for m in item
                  if m in METHODS}
    assert routes == documented


def test_token_answers_match_the_document(doc, client, issue, collector, officer):
    made = client.post("/api/v1/tokens", json={"username": collector.username,
                                               "password": PASSWORD, "device_name": "Redmi"})
    conform(doc, "post", "/api/v1/tokens", made)
    headers = {"Authorization": f"Bearer {made.get_json()['token']}"}
    conform(doc, "get", "/api/v1/tokens", client.get("/api/v1/tokens", headers=headers))
    conform(doc, "get", "/api/v1/session", client.get("/api/v1/session", headers=headers))
    token, _ = issue(collector)
    _other, officer_headers = issue(officer)
    for answer in (client.delete(f"/api/v1/tokens/{token.id}", headers=headers),
                   client.delete(f"/api/v1/tokens/{token.id}", headers=officer_headers),
                   client.delete("/api/v1/tokens/nope", headers=headers)):
        conform(doc, "delete", "/api/v1/tokens/{token_id}", answer)  # 204, 204, 404
    problems = [
        client.post("/api/v1/tokens", json={"username": collector.username, "password": "x",
                                            "device_name": "Redmi"}),  # 401
        client.post("/api/v1/tokens", json={}),  # 422
        client.post("/api/v1/tokens", data="{", content_type="application/json"),  # 400
        client.post("/api/v1/tokens", json={"padding": "x" * 20_000}),  # 413
    ]
    for answer in problems:
        conform(doc, "post", "/api/v1/tokens", answer)
    conform(doc, "get", "/api/v1/tokens", client.get("/api/v1/tokens"))  # 401
    conform(doc, "get", "/api/v1/session", client.get("/api/v1/session?token=x"))  # 400


def test_the_session_of_a_login_matches_the_document(doc, client, login, collector):
    login(collector)
    conform(doc, "get", "/api/v1/session", client.get("/api/v1/session"))


def test_submission_results_and_problems_match_the_document(doc, api, api_as, client, login,
                                                            item, add_child, collector,
                                                            officer):
    child = add_child()
    first = item()
    update_item = item(child_id=str(child.id), base_version=1,
                       captured_at="2099-01-01T00:00:00+07:00")  # with a warning
    answer = api.post("/api/v1/submissions", json={"submissions": [
        first, first, changed(first, {"data.child.sex": "2"}), {"uuid": "x"}, 7, update_item]})
    assert [r["status"] for r in answer.get_json()["results"]] == [
        "accepted", "duplicate", "conflict", "invalid", "invalid", "accepted"]
    conform(doc, "post", "/api/v1/submissions", answer)
    problems = [
        api.post("/api/v1/submissions", data="{", content_type="application/json"),
        api.post("/api/v1/submissions", json={"submissions": [{}] * 101}),
        client.post("/api/v1/submissions", json={"submissions": []}),
        api_as(officer).post("/api/v1/submissions", json={"submissions": []}),
    ]
    login(collector)
    problems.append(client.post("/api/v1/submissions", json={"submissions": []}))  # csrf
    assert [p.status_code for p in problems] == [400, 413, 401, 403, 403]
    assert problems[-1].get_json()["code"] == "csrf"
    for problem in problems:
        conform(doc, "post", "/api/v1/submissions", problem)


def test_the_feed_matches_the_document(doc, db, api, item, add_child):
    child = add_child()
    waiting, decided = item(), item(child_id=str(child.id), base_version=1)
    api.submit(waiting, decided)
    db.session.execute(update(Submission).where(Submission.id == uuid.UUID(decided["uuid"]))
                       .values(state="approved", decided_at=utcnow()))
    db.session.execute(update(Submission).where(Submission.id == uuid.UUID(waiting["uuid"]))
                       .values(state="returned", note="Thiếu ngày sinh của mẹ"))
    fixed = item(corrects=waiting["uuid"])
    api.submit(fixed)
    answer = api.get("/api/v1/submissions")
    assert len(answer.get_json()["submissions"]) == 3
    conform(doc, "get", "/api/v1/submissions", answer)
    cursor = answer.get_json()["cursor"]
    conform(doc, "get", "/api/v1/submissions", api.get(f"/api/v1/submissions?since={cursor}"))
    conform(doc, "get", "/api/v1/submissions", api.get("/api/v1/submissions?since=nope"))
    first = api.get("/api/v1/submissions?limit=2")
    assert first.get_json()["next"]  # a page with more to come, then the last one
    conform(doc, "get", "/api/v1/submissions", first)
    conform(doc, "get", "/api/v1/submissions",
            api.get(f"/api/v1/submissions?limit=2&since={first.get_json()['next']}"))
    conform(doc, "get", "/api/v1/submissions", api.get("/api/v1/submissions?limit=0"))


def test_the_feeds_parameters_are_documented(doc):
    parameters = doc["paths"]["/api/v1/submissions"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}
    assert {p["name"] for p in parameters} == {"since", "limit"}


def test_the_packet_matches_the_document(doc, db, api, api_as, make, add_child, officer_does,
                                         village, village2):
    thanh = add_child(circumstances=[{"code": "DB12", "note": "bí mật"}, {"code": "DB01"},
                                     {"code": "K03", "detail": {"injury_cause": "NN01"}}],
                      support=[{"form": "TG01", "date": "2025-01-02", "amount_vnd": 10000}])
    moving = add_child("Lò Văn Đi")
    full = api.get("/api/v1/packet")
    assert full.get_json()["children"] and full.get_json()["code_lists"]
    conform(doc, "get", "/api/v1/packet", full)
    officer_does("close_child", thanh, "moved_away", None)
    officer_does("update_child", moving, {
        "child": {"full_name": "Lò Văn Đi", "sex": "1", "date_of_birth": moving.date_of_birth,
                  "ethnicity_code": "03", "village_code": village2.code},
        "caregivers": [{"relation": "father", "full_name": "Lò Văn Bố"}]})
    delta = api.get("/api/v1/packet", query_string={"since": full.get_json()["cursor"]})
    assert delta.get_json()["code_lists"] is None and delta.get_json()["removed"]["children"]
    conform(doc, "get", "/api/v1/packet", delta)
    for problem in (api.get("/api/v1/packet?since=nope"),
                    api_as(make.user(roles.POLICE)).get("/api/v1/packet"),
                    api.client.get("/api/v1/packet")):
        conform(doc, "get", "/api/v1/packet", problem)
