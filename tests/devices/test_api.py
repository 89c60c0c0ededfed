"""``PUT /api/v1/device``: a phone's report is kept (204, no body) per phone and user; a body
that is not a report is a 400, a report with wrong fields a 422 naming them, other roles a 403
— never a 500, and every answer as the OpenAPI document says."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.devices.models import Device
from tests.api.problems import assert_problem
from tests.api.test_openapi import conform, doc  # noqa: F401 - doc: a fixture
from tests.devices.conftest import ANDROID, report_body

DEVICE = "/api/v1/device"


def put(api, body, **headers):
    return api.client.put(DEVICE, json=body, headers={**api.headers, **headers})


def devices(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Device))


def test_a_report_is_kept_and_answered_with_204(db, api, collector):
    phone_id = uuid.uuid4()
    answer = put(api, report_body(phone_id, pending=3, oldest_pending_at="2026-12-01T08:30:00",
                                  persisted=False, usage_bytes=85, quota_bytes=100,
                                  discarded=2, app_version="2026.12.1 (a1b2)"),
                 **{"User-Agent": ANDROID})
    assert answer.status_code == 204 and answer.get_data() == b""
    row = db.session.scalars(select(Device)).one()
    assert (row.phone_id, row.user_id) == (phone_id, collector.id)
    assert (row.pending, row.persisted, row.usage_bytes, row.quota_bytes, row.discarded) == (
        3, False, 85, 100, 2)
    assert row.app_version == "2026.12.1 (a1b2)"
    assert row.user_agent == "Android 13 · Chrome 131"
    # Without an offset the phone's time is Vietnam's (UTC+7).
    assert row.oldest_pending_at == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert row.reported_at == row.last_seen_at and row.first_seen_at <= row.reported_at
    assert row.possibly_lost == 0 and row.receipts == 0


def test_the_next_report_updates_the_same_row(db, api):
    phone_id = uuid.uuid4()
    assert put(api, report_body(phone_id, pending=2)).status_code == 204
    first = db.session.scalars(select(Device)).one()
    seen, reported = first.first_seen_at, first.reported_at
    assert put(api, report_body(phone_id, pending=2, persisted=None, usage_bytes=None,
                                quota_bytes=None)).status_code == 204
    db.session.expire_all()
    row = db.session.scalars(select(Device)).one()
    assert row.first_seen_at == seen and row.reported_at > reported
    assert (row.persisted, row.usage_bytes, row.quota_bytes) == (None, None, None)


def test_two_users_of_one_phone_are_two_devices(db, api_as, collector, colleague):
    phone_id = uuid.uuid4()
    assert put(api_as(collector), report_body(phone_id, pending=1)).status_code == 204
    assert put(api_as(colleague), report_body(phone_id, pending=4)).status_code == 204
    rows = db.session.execute(select(Device.user_id, Device.pending)
                              .where(Device.phone_id == phone_id)).all()
    assert sorted(rows) == sorted([(collector.id, 1), (colleague.id, 4)])


def test_optional_fields_may_be_left_out_and_unknown_keys_are_ignored(db, api):
    body = {"device_id": str(uuid.uuid4()), "app_version": "1", "pending": 0,
            "battery": 0.5, "future": {"x": [1]}}
    assert put(api, body).status_code == 204
    row = db.session.scalars(select(Device)).one()
    assert (row.oldest_pending_at, row.persisted, row.usage_bytes, row.discarded) == (
        None, None, None, 0)


def test_nothing_pending_keeps_no_oldest_time(db, api):
    assert put(api, report_body(uuid.uuid4(), pending=0,
                                oldest_pending_at="2026-12-01T08:30:00+07:00")).status_code == 204
    assert db.session.scalars(select(Device)).one().oldest_pending_at is None


def test_a_session_writes_with_a_fresh_csrf_token(db, client, login, collector):
    login(collector)
    body = report_body(uuid.uuid4(), pending=1)
    refused = assert_problem(client.put(DEVICE, json=body), 403)
    assert refused["code"] == "csrf" and devices(db) == 0
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    answer = client.put(DEVICE, json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == 204 and devices(db) == 1


def test_without_credentials_it_is_a_401(client, db):
    assert_problem(client.put(DEVICE, json=report_body(uuid.uuid4())), 401, "Cần đăng nhập.")
    assert devices(db) == 0


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.POLICE, roles.COMMUNE_LEADER,
                                  roles.PROVINCE_VIEWER, roles.ADMIN])
def test_other_roles_are_refused_with_403_role(db, make, api_as, role, village):
    user = make.user(role, ["14"] if role == roles.PROVINCE_VIEWER else None)
    body = assert_problem(put(api_as(user), report_body(uuid.uuid4())), 403,
                          "Vai trò của bạn không dùng được chức năng này.")
    assert body["code"] == "role" and devices(db) == 0


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_both_field_roles_report(db, make, api_as, village, role):
    assert put(api_as(make.user(role, [village])), report_body(uuid.uuid4())).status_code == 204


MALFORMED = "Dữ liệu JSON không đọc được (sai cú pháp)."


@pytest.mark.parametrize(("text", "detail"), [
    pytest.param('{"device_id": ', MALFORMED, id="cut off"),
    pytest.param("", MALFORMED, id="empty"),
    pytest.param('{"pending": NaN}', MALFORMED, id="NaN"),
    pytest.param('{"pending": ' + "9" * 5000 + "}", MALFORMED, id="a number of 5000 digits"),
    pytest.param("[]", "Dữ liệu JSON phải là một đối tượng.", id="a list"),
    pytest.param("3", "Dữ liệu JSON phải là một đối tượng.", id="a number"),
])
def test_a_body_that_is_not_a_report_is_a_400(db, api, text, detail):
    answer = api.client.put(DEVICE, data=text, content_type="application/json",
                            headers=api.headers)
    assert_problem(answer, 400, detail)
    assert devices(db) == 0


def test_a_body_not_declared_json_is_a_400(api):
    answer = api.client.put(DEVICE, data="{}", content_type="text/plain", headers=api.headers)
    assert_problem(answer, 400, "Dữ liệu phải là JSON (Content-Type: application/json).")


def test_a_huge_body_is_a_413(db, api):
    body = report_body(uuid.uuid4(), padding="x" * 20_000)
    assert_problem(put(api, body), 413)
    assert devices(db) == 0


REQUIRED = "Thiếu trường bắt buộc."
NULL = "Không được để trống."
NOT_INT = "Phải là số nguyên."
ITEMS = "Phải là số nguyên từ 0 đến 1000000."
BYTES = f"Phải là số nguyên từ 0 đến {2**53}."
NOT_TIME = "Không phải ngày giờ ISO 8601 hợp lệ."
NOT_BOOL = "Phải là true hoặc false."


@pytest.mark.parametrize(("changes", "errors"), [
    pytest.param({"device_id": None}, {"device_id": [NULL]}, id="device_id null"),
    pytest.param({"device_id": "phone-1"}, {"device_id": ["Không phải mã UUID hợp lệ."]},
                 id="device_id not a UUID"),
    pytest.param({"device_id": 7}, {"device_id": ["Không phải mã UUID hợp lệ."]},
                 id="device_id a number"),
    pytest.param({"app_version": ""}, {"app_version": ["Từ 1 đến 40 ký tự."]}, id="no version"),
    pytest.param({"app_version": "v" * 41}, {"app_version": ["Từ 1 đến 40 ký tự."]},
                 id="version too long"),
    pytest.param({"app_version": 3}, {"app_version": ["Phải là chuỗi ký tự."]},
                 id="version a number"),
    pytest.param({"pending": -1}, {"pending": [ITEMS]}, id="pending negative"),
    pytest.param({"pending": 1_000_001}, {"pending": [ITEMS]}, id="pending too many"),
    pytest.param({"pending": 10**30}, {"pending": [ITEMS]}, id="pending huge"),
    pytest.param({"pending": "3"}, {"pending": [NOT_INT]}, id="pending a text"),
    pytest.param({"pending": 2.5}, {"pending": [NOT_INT]}, id="pending not whole"),
    pytest.param({"pending": 1e300}, {"pending": [NOT_INT]}, id="pending a huge float"),
    pytest.param({"pending": True}, {"pending": [NOT_INT]}, id="pending a boolean"),
    pytest.param({"pending": None}, {"pending": [NULL]}, id="pending null"),
    pytest.param({"oldest_pending_at": "hôm qua"}, {"oldest_pending_at": [NOT_TIME]},
                 id="oldest not a time"),
    pytest.param({"oldest_pending_at": "2026-13-01T00:00:00"}, {"oldest_pending_at": [NOT_TIME]},
                 id="oldest month 13"),
    pytest.param({"oldest_pending_at": 1764550000}, {"oldest_pending_at": [NOT_TIME]},
                 id="oldest a number"),
    pytest.param({"oldest_pending_at": "0001-01-01T00:00:00"},
                 {"oldest_pending_at": ["Ngày giờ nằm ngoài khoảng lưu được."]},
                 id="oldest before year 1 in UTC"),
    pytest.param({"persisted": "yes"}, {"persisted": [NOT_BOOL]}, id="persisted a text"),
    pytest.param({"persisted": 1}, {"persisted": [NOT_BOOL]}, id="persisted a number"),
    pytest.param({"usage_bytes": -5}, {"usage_bytes": [BYTES]}, id="usage negative"),
    pytest.param({"usage_bytes": 2**63}, {"usage_bytes": [BYTES]}, id="usage beyond 64 bits"),
    pytest.param({"quota_bytes": 1.5}, {"quota_bytes": [NOT_INT]}, id="quota not whole"),
    pytest.param({"discarded": -1}, {"discarded": [ITEMS]}, id="discarded negative"),
    pytest.param({"discarded": None}, {"discarded": [NULL]}, id="discarded null"),
    pytest.param({"pending": -1, "persisted": "no", "device_id": "x"},
                 {"pending": [ITEMS], "persisted": [NOT_BOOL],
                  "device_id": ["Không phải mã UUID hợp lệ."]}, id="several at once"),
])
def test_a_report_with_wrong_fields_is_a_422_naming_them(db, api, changes, errors):
    body = assert_problem(put(api, {**report_body(uuid.uuid4()), **changes}), 422,
                          "Báo cáo tình trạng máy chưa hợp lệ.")
    assert body["errors"] == errors
    assert devices(db) == 0


@pytest.mark.parametrize("changes", [{"app_version": "1.0\x00"}, {"oldest_pending_at": "\x00"},
                                     {"app_version": "1.0\ud800"}])
def test_a_report_with_unstorable_text_is_a_422_naming_the_field(db, api, changes):
    body = assert_problem(put(api, {**report_body(uuid.uuid4()), **changes}), 422,
                          "Dữ liệu có ký tự không hợp lệ.")
    assert body["errors"] == {name: ["Có ký tự không hợp lệ."] for name in changes}
    assert devices(db) == 0


@pytest.mark.parametrize("name", ["device_id", "app_version", "pending"])
def test_a_required_field_left_out_is_a_422(db, api, name):
    body = report_body(uuid.uuid4())
    del body[name]
    assert assert_problem(put(api, body), 422)["errors"] == {name: [REQUIRED]}


def test_the_largest_values_are_stored_on_this_engine(db, api):
    body = report_body(uuid.uuid4(), pending=1_000_000, discarded=1_000_000,
                       usage_bytes=2**53, quota_bytes=2**53,
                       oldest_pending_at="9999-12-31T23:59:59+00:00")
    assert put(api, body).status_code == 204
    row = db.session.scalars(select(Device)).one()
    assert (row.usage_bytes, row.pending) == (2**53, 1_000_000)


def test_answers_match_the_openapi_document(doc, db, client, api, api_as, officer):  # noqa: F811
    answers = [
        put(api, report_body(uuid.uuid4())),  # 204
        api.client.put(DEVICE, data="{", content_type="application/json",
                       headers=api.headers),  # 400
        client.put(DEVICE, json=report_body(uuid.uuid4())),  # 401
        put(api_as(officer), report_body(uuid.uuid4())),  # 403
        put(api, report_body(uuid.uuid4(), padding="x" * 20_000)),  # 413
        put(api, report_body(uuid.uuid4(), pending=-1)),  # 422
    ]
    assert [a.status_code for a in answers] == [204, 400, 401, 403, 413, 422]
    for answer in answers:
        conform(doc, "put", DEVICE, answer)
    request = doc["paths"][DEVICE]["put"]["requestBody"]["content"]["application/json"]
    assert request["schema"] == {"$ref": "#/components/schemas/DeviceReport"}
    batch = doc["components"]["schemas"]["SubmissionBatch"]["properties"]
    assert batch["device_id"]["format"] == "uuid"
