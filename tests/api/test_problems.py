"""Requests the sync API refuses as a whole: always a JSON problem (title, detail, errors in
Vietnamese, application/problem+json), never an HTML page and never a 500."""

import io
import json

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.collection.models import Submission
from tests.api.problems import assert_problem
from tests.submissions import make_item

SUBMISSIONS = "/api/v1/submissions"
MALFORMED = "Dữ liệu JSON không đọc được (sai cú pháp)."


def stored(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


@pytest.mark.parametrize(("text", "status", "detail", "errors"), [
    pytest.param('{"submissions": [', 400, MALFORMED, {}, id="cut off"),
    pytest.param("", 400, MALFORMED, {}, id="empty"),
    pytest.param("null", 400, MALFORMED, {}, id="null"),
    pytest.param(b'{"submissions": ["\xff"]}', 400, MALFORMED, {}, id="not UTF-8"),
    pytest.param('{"submissions": [{"x": NaN}]}', 400, MALFORMED, {}, id="NaN"),
    pytest.param('{"submissions": [{"x": -Infinity}]}', 400, MALFORMED, {}, id="Infinity"),
    pytest.param('{"submissions": [{"x": 1e400}]}', 400, MALFORMED, {}, id="overflowing float"),
    pytest.param("[]", 400, "Dữ liệu JSON phải là một đối tượng.", {}, id="a list"),
    pytest.param('"submissions"', 400, "Dữ liệu JSON phải là một đối tượng.", {}, id="a text"),
    pytest.param("{}", 400, "Cần trường submissions là một danh sách phiếu.",
                 {"submissions": ["Phải là một danh sách."]}, id="no submissions"),
    pytest.param('{"submissions": {"a": 1}}', 400,
                 "Cần trường submissions là một danh sách phiếu.",
                 {"submissions": ["Phải là một danh sách."]}, id="submissions not a list"),
])
def test_a_body_that_is_not_a_batch_is_a_400(api, db, text, status, detail, errors):
    answer = api.post(SUBMISSIONS, data=text, content_type="application/json")
    body = assert_problem(answer, status, detail)
    assert body["errors"] == errors and body["title"] == "Yêu cầu không hợp lệ"
    assert stored(db) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          None])
def test_a_body_that_is_not_declared_json_is_a_400(api, village, content_type):
    text = json.dumps({"submissions": [make_item(village.code)]})
    answer = api.post(SUBMISSIONS, data=text, content_type=content_type)
    assert_problem(answer, 400, "Dữ liệu phải là JSON (Content-Type: application/json).")


def test_more_than_a_hundred_items_is_a_413(api, db, village):
    items = [make_item(village.code) for _ in range(101)]
    body = assert_problem(api.post(SUBMISSIONS, json={"submissions": items}), 413,
                          "Tối đa 100 phiếu mỗi lần gửi; hãy chia nhỏ.")
    assert body["title"] == "Dữ liệu quá lớn"
    assert body["errors"] == {"submissions": ["Tối đa 100 phiếu."]}
    assert stored(db) == 0


def test_a_hundred_items_is_fine(api, db, village):
    items = [make_item(village.code) for _ in range(100)]
    results = api.submit(*items)
    assert [r["status"] for r in results] == ["accepted"] * 100 and stored(db) == 100


def test_more_than_a_megabyte_is_a_413(api, db, village):
    item = make_item(village.code)
    item["data"]["padding"] = "x" * 1_000_000
    answer = api.post(SUBMISSIONS, json={"submissions": [item]})
    assert_problem(answer, 413, "Dữ liệu gửi lên quá lớn (tối đa 1 MB).")
    assert stored(db) == 0


def test_more_than_a_megabyte_without_a_length_is_a_413(api, db):
    big = b'{"submissions": [], "padding": "' + b"x" * 1_100_000 + b'"}'
    answer = api.post(SUBMISSIONS, input_stream=io.BytesIO(big), content_type="application/json",
                      headers={"Transfer-Encoding": "chunked"},
                      environ_base={"wsgi.input_terminated": True})  # as gunicorn sets it
    assert answer.request.content_length is None
    assert_problem(answer, 413, "Dữ liệu gửi lên quá lớn (tối đa 1 MB).")


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize(("size", "status"), [(1_000_000, 200), (1_000_001, 413)])
def test_the_megabyte_limit_is_exact(api, size, status, chunked):
    head, tail = b'{"submissions": [], "padding": "', b'"}'
    body = head + b"x" * (size - len(head) - len(tail)) + tail
    assert len(body) == size
    extra = ({"headers": {"Transfer-Encoding": "chunked"},
              "environ_base": {"wsgi.input_terminated": True}} if chunked else {})
    answer = api.post(SUBMISSIONS, input_stream=io.BytesIO(body),
                      content_type="application/json", **extra)
    assert answer.status_code == status


def test_no_credentials_is_a_401_with_a_challenge(client, village):
    answer = client.post(SUBMISSIONS, json={"submissions": [make_item(village.code)]})
    assert_problem(answer, 401, "Cần đăng nhập.")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="fieldapp"'


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.POLICE, roles.COMMUNE_LEADER,
                                  roles.PROVINCE_VIEWER, roles.ADMIN])
@pytest.mark.parametrize(("method", "path"), [("POST", SUBMISSIONS), ("GET", SUBMISSIONS),
                                              ("GET", "/api/v1/packet")])
def test_only_field_staff_collect(api_as, make, village, role, method, path):
    api = api_as(make.user(role))
    if method == "POST":
        answer = api.post(path, json={"submissions": [make_item(village.code)]})
    else:
        answer = api.get(path)
    body = assert_problem(answer, 403, "Vai trò của bạn không dùng được chức năng này.")
    assert body["title"] == "Không có quyền"


@pytest.mark.parametrize("header", [None, "", "forged-token"])
def test_a_cookie_post_without_a_good_csrf_token_is_a_403(client, login, db, collector,
                                                          village, header):
    login(collector)
    headers = {} if header is None else {"X-CSRFToken": header}
    answer = client.post(SUBMISSIONS, json={"submissions": [make_item(village.code)]},
                         headers=headers)
    body = assert_problem(answer, 403, "Mã chống giả mạo (CSRF) không hợp lệ: hãy lấy mã mới.")
    assert body["code"] == "csrf"
    assert stored(db) == 0


def test_a_csrf_token_of_another_login_is_refused(client, login, sign_in, collector, village):
    other, _ = sign_in(collector.username, "test-pass-2026")
    foreign = other.get("/api/v1/session").get_json()["csrf_token"]
    login(collector)
    answer = client.post(SUBMISSIONS, json={"submissions": [make_item(village.code)]},
                         headers={"X-CSRFToken": foreign})
    assert assert_problem(answer, 403)["code"] == "csrf"


def test_a_cookie_get_needs_no_csrf_token(client, login, collector):
    login(collector)
    assert client.get(SUBMISSIONS).status_code == 200
    assert client.get("/api/v1/packet").status_code == 200


def test_a_bearer_post_needs_no_csrf_token(api, village):
    assert api.submit(make_item(village.code))[0]["status"] == "accepted"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/nothing-here", 404),
    ("PUT", SUBMISSIONS, 405),
    ("DELETE", "/api/v1/packet", 405),
    ("GET", "/api/v1/tokens/abc", 405),
])
def test_unknown_addresses_and_methods_are_problems_too(api, method, path, status):
    answer = api.client.open(path, method=method, headers=api.headers)
    assert_problem(answer, status)
