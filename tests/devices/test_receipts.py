"""``POST /api/v1/submissions`` with a ``device_id``: the (phone, caller) device counts the
results after which the phone may drop an item (accepted, duplicate, conflict), made on first
sight; a malformed ``device_id`` is ignored and costs the batch nothing."""

import uuid

import pytest
from sqlalchemy import func, select

from fieldapp.devices.models import Device
from tests.submissions import changed, make_item, make_report


def devices(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Device))


def test_receipts_count_accepted_duplicate_and_conflict_not_invalid(db, phone, village):
    first = make_item(village.code)
    invalid = changed(make_item(village.code), {"data.child.full_name": ""})
    results = phone.send(1, first, first, changed(first, {"data.child.sex": "2"}), invalid,
                         {"uuid": "x"})
    assert [r["status"] for r in results] == [
        "accepted", "accepted", "duplicate", "conflict", "invalid", "invalid"]
    row = phone.row()
    assert row.receipts == 4 and row.reported_at is None  # seen before any report
    assert row.first_seen_at == row.last_seen_at
    phone.send(2)
    assert phone.row().receipts == 6


def test_a_resend_is_counted_again_the_phone_drops_it_on_either(db, phone, village):
    item = make_item(village.code)
    phone.send(0, item)
    phone.send(0, item)  # the first answer never reached the phone
    assert phone.row().receipts == 2


def test_the_answer_is_the_same_with_or_without_a_device_id(db, api, phone, village):
    item = make_item(village.code)
    with_id = phone.send(0, item)
    without = api.post("/api/v1/submissions", json={"submissions": [item]})
    assert without.status_code == 200
    assert [r["status"] for r in without.get_json()["results"]] == ["duplicate"]
    assert with_id[0]["receipt"] == without.get_json()["results"][0]["receipt"]
    assert devices(db) == 1


@pytest.mark.parametrize("device_id", ["nope", "", 7, None, ["a"], {"id": "x"},
                                       "0" * 5000, "550e8400-e29b-41d4-a716-44665544000"])
def test_a_malformed_device_id_is_ignored(db, api, village, device_id):
    answer = api.post("/api/v1/submissions", json={"submissions": [make_item(village.code)],
                                                   "device_id": device_id})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert [r["status"] for r in answer.get_json()["results"]] == ["accepted"]
    assert devices(db) == 0


def test_no_device_id_makes_no_device(db, api, village):
    api.submit(make_item(village.code))
    assert devices(db) == 0


def test_an_empty_batch_still_marks_the_phone_seen(db, phone):
    phone.send(0)
    assert phone.row().receipts == 0


def test_a_shared_phone_counts_each_users_receipts_apart(db, phone_of, collector, colleague):
    shared = uuid.uuid4()
    mine, theirs = phone_of(collector, shared), phone_of(colleague, shared)
    mine.send(2)
    theirs.send(3)
    assert (mine.row().receipts, theirs.row().receipts) == (2, 3)


def test_a_session_batch_counts_too(db, client, login, collector, village):
    login(collector)
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    phone_id = uuid.uuid4()
    answer = client.post("/api/v1/submissions", headers={"X-CSRFToken": token},
                         json={"submissions": [make_item(village.code)],
                               "device_id": str(phone_id)})
    assert answer.status_code == 200
    row = db.session.scalars(select(Device)).one()
    assert (row.phone_id, row.user_id, row.receipts) == (phone_id, collector.id, 1)


def test_a_refused_batch_counts_nothing(db, api, api_as, village, officer):
    body = {"submissions": [make_item(village.code)], "device_id": str(uuid.uuid4())}
    assert api_as(officer).post("/api/v1/submissions", json=body).status_code == 403
    assert api.post("/api/v1/submissions", json={**body, "submissions": "x"}).status_code == 400
    assert devices(db) == 0


def test_the_next_report_sees_the_receipts_since_the_last_one(db, phone):
    phone.report(pending=3)
    phone.send(3)
    phone.report(pending=0)
    row = phone.row()
    assert (row.receipts, row.receipts_reported, row.possibly_lost) == (3, 3, 0)


def test_a_report_of_a_child_at_risk_is_a_receipt_like_any_item(db, phone, village):
    report = make_report(village.code)
    results = phone.send(0, report, report)
    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    assert phone.row().receipts == 2  # the phone drops a report on its receipt too
