"""Issue 14, rule 1: a death closes the record; a death from injury is K02 with its cause.

Through the services, the officer's forms on the child page and an approved submission."""

import uuid

import pytest
from sqlalchemy import select

from fieldapp.children import _rules as rules
from fieldapp.children.models import ChildChange
from fieldapp.collection.models import Submission
from fieldapp.errors import ValidationFailed
from fieldapp.review.services import capture_day
from tests.children.pages import days_ago, error_of, form_values
from tests.review.reviewer import packet_update
from tests.submissions import changed

CAUSE = "NN01"  # Đuối nước


def _k02(child):
    return [(c.since, c.detail, c.until) for c in child.circumstances if c.code == "K02"]


def _history(db, child) -> list[ChildChange]:
    return list(db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)
                                   .order_by(ChildChange.version)))


# --- through the services ----------------------------------------------------------------

CLOSING = [  # reason, injury, cause -> K02 recorded, or the error (field, message)
    pytest.param("died", "yes", CAUSE, True, None, id="died-of-injury"),
    pytest.param("died", "no", None, False, None, id="died-not-injury"),
    pytest.param("died", "no", CAUSE, False, None, id="died-not-injury-cause-ignored"),
    pytest.param("died", None, None, False, None, id="died-not-asked"),
    pytest.param("died", "", None, None, ("injury", rules.ASK_INJURY), id="not-answered"),
    pytest.param("died", "yes", None, None, ("injury_cause", rules.ASK_CAUSE), id="no-cause"),
    pytest.param("died", "yes", "NN99", None,
                 ("injury_cause", "Nguyên nhân: mã NN99 không có trong danh mục."),
                 id="unknown-cause"),
    pytest.param("moved_away", None, CAUSE, None, ("injury_cause", rules.ONLY_DIED),
                 id="cause-of-a-move"),
    pytest.param("moved_away", None, None, False, None, id="moved-away"),
]


@pytest.mark.parametrize(("reason", "injury", "cause", "k02", "error"), CLOSING)
def test_close_child(db, add_child, officer_does, reason, injury, cause, k02, error):
    child = add_child()
    on = days_ago(3)
    if error:
        with pytest.raises(ValidationFailed) as refused:
            officer_does("close_child", child, reason, on, injury=injury, injury_cause=cause)
        assert refused.value.errors == {error[0]: [error[1]]}
        return
    officer_does("close_child", child, reason, on, injury=injury, injury_cause=cause)
    assert (child.closed_on, child.closed_reason, child.version) == (on, reason, 2)
    assert _k02(child) == ([(on, {"injury_cause": CAUSE}, None)] if k02 else [])
    [_, last] = _history(db, child)  # one version: the closure and K02 together
    fields = {item["field"] for item in last.changes}
    assert "child.closed_on" in fields
    assert ("circumstances.0.code" in fields) is k02


ADDING_K02 = [  # detail, since -> closed, or the error
    pytest.param({"injury_cause": CAUSE}, days_ago(2), None, id="closes"),
    pytest.param({}, days_ago(2), ("circumstance.detail.injury_cause", rules.ASK_CAUSE),
                 id="needs-cause"),
]


@pytest.mark.parametrize(("detail", "since", "error"), ADDING_K02)
def test_adding_k02_closes_the_record_as_died(db, add_child, officer_does, detail, since,
                                              error):
    child = add_child()
    data = {"code": "K02", "detail": detail, "since": since.isoformat()}
    if error:
        with pytest.raises(ValidationFailed) as refused:
            officer_does("add_circumstance", child, data)
        assert refused.value.errors == {error[0]: [error[1]]}
        assert child.closed_on is None
        return
    officer_does("add_circumstance", child, data)
    assert (child.closed_on, child.closed_reason, child.version) == (since, "died", 2)
    assert _k02(child) == [(since, detail, None)]
    assert len(_history(db, child)) == 2


def test_a_closed_record_takes_no_more_changes(add_child, officer_does):
    child = add_child()
    officer_does("close_child", child, "died", None, injury="yes", injury_cause=CAUSE)
    with pytest.raises(ValidationFailed):
        officer_does("add_circumstance", child, {"code": "DB01"})


def test_a_new_child_with_k02_is_made_closed(add_child):
    child = add_child(circumstances=[{"code": "K02", "since": days_ago(5),
                                      "detail": {"injury_cause": "NN02"}}])
    assert (child.closed_on, child.closed_reason) == (days_ago(5), "died")


# --- through the officer's forms -----------------------------------------------------------

def _page(client, child) -> str:
    return client.get(f"/children/{child.id}").get_data(as_text=True)


FORM_CLOSING = [  # form values -> K02 recorded, or the field and message shown next to it
    pytest.param({"close-injury": "yes", "close-injury_cause": CAUSE}, True, None, id="injury"),
    pytest.param({"close-injury": "no"}, False, None, id="not-injury"),
    pytest.param({}, None, ("close-injury", rules.ASK_INJURY), id="not-answered"),
    pytest.param({"close-injury": "yes"}, None, ("close-injury_cause", rules.ASK_CAUSE),
                 id="no-cause"),
]


@pytest.mark.parametrize(("values", "k02", "error"), FORM_CLOSING)
def test_the_close_form_asks_whether_it_was_an_injury(client, db, login, officer, add_child,
                                                      values, k02, error):
    child = add_child()
    login(officer)
    page = _page(client, child)
    assert "Do tai nạn thương tích?" in page and "Bạo lực" in page
    data = form_values(page, "close-child")
    data.update({"close-reason": "died", "close-closed_on": days_ago(1).isoformat(), **values})
    answer = client.post(f"/children/{child.id}/close", data=data)
    db.session.refresh(child)
    if error:
        assert answer.status_code == 422
        assert error_of(answer.get_data(as_text=True), error[0]) == error[1]
        assert child.closed_on is None and child.version == 1
        return
    assert answer.status_code == 302
    assert (child.closed_on, child.closed_reason) == (days_ago(1), "died")
    assert bool(_k02(child)) is k02
    page = _page(client, child)
    assert "đã mất" in page
    assert ("K02" in page) is k02


def test_adding_k02_on_the_child_page_closes_it(client, db, login, officer, add_child):
    child = add_child()
    login(officer)
    values = form_values(_page(client, child), "add-circumstance")
    values.update({"add-item-code": "K02", "add-item-since": days_ago(4).isoformat()})
    refused = client.post(f"/children/{child.id}/circumstances", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "add-item-injury_cause") == rules.ASK_CAUSE
    values["add-item-injury_cause"] = "NN10"  # Bạo lực
    assert client.post(f"/children/{child.id}/circumstances", data=values).status_code == 302
    db.session.refresh(child)
    assert (child.closed_on, child.closed_reason) == (days_ago(4), "died")
    assert _k02(child) == [(days_ago(4), {"injury_cause": "NN10"}, None)]


# --- through a phone's submission, approved in review -------------------------------------

@pytest.fixture()
def approve(api, api_as, officer, db):
    """``approve(item)``: the collector sends ``item``; the officer approves it over HTTP."""
    reviewer = api_as(officer)

    def run(item, expect=200):
        [result] = api.submit(item)
        assert result["status"] == "accepted", result
        answer = reviewer.post(f"/api/v1/review/submissions/{item['uuid']}",
                               json={"action": "approve"})
        assert answer.status_code == expect, answer.get_data(as_text=True)
        db.session.expire_all()
        return db.session.get(Submission, uuid.UUID(item["uuid"]))

    return run


PHONE_CLOSING = [  # the closure a phone sends -> K02 recorded
    pytest.param({"reason": "died", "injury": True, "cause": CAUSE}, True, id="injury"),
    pytest.param({"reason": "died", "injury": False}, False, id="not-injury"),
    pytest.param({"reason": "died"}, False, id="older-phone"),
    pytest.param({"reason": "died", "date": None, "note": None}, False, id="older-phone-full"),
]


@pytest.mark.parametrize(("closure", "k02"), PHONE_CLOSING)
def test_a_phone_closing_as_died(api, approve, db, add_child, closure, k02):
    child = add_child()
    closure = {"date": days_ago(2).isoformat(), **closure}
    s = approve(packet_update(api, child, {"data.closure": closure}))
    assert s.state == "approved"
    db.session.refresh(child)
    on = days_ago(2) if closure.get("date") else capture_day(s)
    assert (child.closed_on, child.closed_reason) == (on, "died")
    assert _k02(child) == ([(on, {"injury_cause": CAUSE}, None)] if k02 else [])


PHONE_REFUSED = [
    pytest.param({"reason": "died", "injury": True}, "closure.cause", rules.ASK_CAUSE,
                 id="no-cause"),
    pytest.param({"reason": "moved_away", "cause": CAUSE}, "closure.cause",
                 rules.ONLY_DIED, id="cause-of-a-move"),
    pytest.param({"reason": "died", "injury": True, "cause": "NN99"}, "closure.cause",
                 "Nguyên nhân: mã NN99 không có trong danh mục.", id="unknown-cause"),
]


@pytest.mark.parametrize(("closure", "path", "message"), PHONE_REFUSED)
def test_a_phone_closure_with_a_wrong_cause_is_refused_on_receipt(api, add_child, closure,
                                                                   path, message):
    child = add_child()
    [result] = api.submit(packet_update(api, child, {"data.closure": closure}))
    assert result["status"] == "invalid", result
    assert result["errors"][path] == [message]


def test_a_phone_adding_k02_closes_the_record(api, approve, db, add_child):
    child = add_child()
    item = packet_update(api, child)
    item = changed(item, {"data.circumstances": [
        {"code": "K02", "since": days_ago(6).isoformat(), "detail": {"injury_cause": "NN03"}}]})
    assert approve(item).state == "approved"
    db.session.refresh(child)
    assert (child.closed_on, child.closed_reason, child.version) == (days_ago(6), "died", 2)
    assert _k02(child) == [(days_ago(6), {"injury_cause": "NN03"}, None)]


def test_a_dead_child_leaves_the_phones_packet(api, add_child, officer_does):
    child = add_child()
    officer_does("close_child", child, "died", None, injury="yes", injury_cause=CAUSE)
    packet = api.get("/api/v1/packet").get_json()
    assert str(child.id) not in {c["id"] for c in packet["children"]}
