"""What the API refuses in the text and shape of a body (issue 12, findings 5 and 6): a
character no database keeps (NUL, other control characters, a lone surrogate sent as a
``\\ud800`` escape) is a field error, a body nested too deep a 400, a text too long a field
error — never a 500, on either engine."""

import json

import pytest
from sqlalchemy import func, select

from fieldapp.collection.models import Submission, SubmissionConflict
from tests.api.problems import assert_problem
from tests.submissions import changed

SUBMISSIONS = "/api/v1/submissions"
TOKENS = "/api/v1/tokens"
REFUSED = ["Có ký tự không hợp lệ."]
UNSTORABLE = ["\x00", "\x07", "\x1b", "L\ud800", "\udfff", "\uffff"]


def stored(db, model=Submission) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("bad", UNSTORABLE)
@pytest.mark.parametrize("path", ["data.child.address", "data.household.head_name",
                                  "data.caregivers.0.full_name"])
def test_an_item_with_unstorable_text_is_invalid_and_the_batch_goes_on(
        api, db, item, bad, path):
    good, wrong = item(), changed(item(), {path: f"Tổ 4{bad}"})
    first, second = api.submit(good, wrong)
    assert first["status"] == "accepted"
    assert second == {"uuid": wrong["uuid"], "status": "invalid", "receipt": None,
                      "errors": {path.removeprefix("data."): REFUSED}, "warnings": {}}
    assert stored(db) == 1


def test_a_lone_surrogate_in_a_key_is_invalid_too(api, db, item):
    wrong = item()
    wrong["data"]["child"]["\ud800extra"] = "x"  # unknown keys are kept with the data
    result, = api.submit(wrong)
    assert result["status"] == "invalid"
    assert result["errors"] == {"child.\ufffdextra": REFUSED}
    assert stored(db) == 0


def test_other_content_with_a_nul_under_a_stored_uuid_is_invalid_not_a_conflict(api, db, item):
    first = item()
    assert api.submit(first)[0]["status"] == "accepted"
    again = changed(first, {"data.child.address": "Tổ\x004"})
    result, = api.submit(again)
    assert result["status"] == "invalid" and result["errors"] == {"child.address": REFUSED}
    assert stored(db, SubmissionConflict) == 0


def test_a_text_too_long_is_a_field_error(api, db, item):
    result, = api.submit(changed(item(), {"data.child.current_residence": "x" * 1001}))
    assert result["status"] == "invalid"
    assert result["errors"] == {"child.current_residence": ["Tối đa 1000 ký tự."]}


@pytest.mark.parametrize("name", ["username", "password", "device_name"])
@pytest.mark.parametrize("bad", UNSTORABLE)
def test_token_creation_refuses_unstorable_text(client, db, collector, name, bad):
    body = {"username": collector.username, "password": "demo-2026", "device_name": "Máy"}
    body[name] += bad
    answer = client.post(TOKENS, json=body)
    assert assert_problem(answer, 422)["errors"] == {name: REFUSED}


@pytest.mark.parametrize(("name", "limit"), [("username", 50), ("password", 200)])
def test_token_creation_limits_lengths_as_the_login_form(client, collector, name, limit):
    body = {"username": collector.username, "password": "demo-2026", "device_name": "Máy"}
    body[name] = "x" * (limit + 1)
    answer = client.post(TOKENS, json=body)
    assert assert_problem(answer, 422)["errors"] == {name: [f"Tối đa {limit} ký tự."]}


@pytest.mark.parametrize("levels", [21, 900, 4000])
@pytest.mark.parametrize("path", [TOKENS, SUBMISSIONS])
def test_json_nested_too_deep_is_a_400(client, api, path, levels):
    text = "[" * levels + "]" * levels  # 8 kB at 4,000 levels: under the tokens' 10 kB
    caller = client if path == TOKENS else api  # tokens need no login
    answer = caller.post(path, data=text, content_type="application/json")
    assert_problem(answer, 400, "Dữ liệu JSON lồng nhau quá sâu (tối đa 20 tầng).")


def test_json_of_twenty_levels_is_read(client):
    text = '{"a": ' * 19 + "1" + "}" * 19
    body = json.loads(text)
    assert assert_problem(client.post(TOKENS, json=body), 422)["detail"] == \
        "Thiếu thông tin đăng nhập."


@pytest.mark.parametrize(("query", "message"), [
    ("since=%00", REFUSED),
    ("since=%1B", REFUSED),
    ("since=" + "x" * 501, ["Tối đa 500 ký tự."]),
])
def test_a_query_parameter_that_cannot_be_used_is_a_400(api, query, message):
    for path in (SUBMISSIONS, "/api/v1/packet"):
        answer = api.get(f"{path}?{query}")
        assert assert_problem(answer, 400)["errors"] == {"since": message}


def test_a_huge_body_is_a_413_problem_without_login(client):
    answer = client.post(TOKENS, data=b"x" * 30_000_000, content_type="application/json")
    assert assert_problem(answer, 413)["title"] == "Dữ liệu quá lớn"
