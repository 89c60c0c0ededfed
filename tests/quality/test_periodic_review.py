"""The periodic review (issue 14 §1.4): "cần rà soát" covers open DB, NC (not NC02, which
follows the household) and K memberships and open ongoing support (TG05, TG06) not confirmed
within the review period; the officer confirms ("Còn") or ends ("Không còn") each item on the
child's review page, through the register (one version, history, one audit entry)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import services as register
from fieldapp.children.models import ChildChange
from fieldapp.errors import ValidationFailed
from fieldapp.quality import queries as lists
from fieldapp.quality import reasons
from fieldapp.quality import services as quality
from tests.conftest import csrf_token
from tests.quality.conftest import TODAY, days_ago, personal_id

OLD = days_ago(400).isoformat()  # before any review period's cutoff
DETAILS = {"NC01": {"risk_reason": "LD05"}, "K03": {"injury_cause": "NN01"},
           "DB04": {"disability_type": "KT01", "disability_level": "MD02"}}


def membership(code, since=OLD, until=None):
    return {"code": code, "since": since, "until": until, "detail": DETAILS.get(code, {})}


def support(form, given=OLD):
    return {"form": form, "date": given, "provider": "UBND xã", "amount_vnd": "500.000"}


# (id, circumstances, support, columns set afterwards on the first row, listed, reason)
RULE = [
    ("DB open, never confirmed", [membership("DB01")], [], {}, True,
     f"DB01 · Mồ côi cả cha và mẹ: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại."),
    ("DB confirmed lately", [membership("DB04")], [], {"confirmed_on": days_ago(30)}, False,
     None),
    ("DB confirmed long ago", [membership("DB01")], [], {"confirmed_on": days_ago(200)}, True,
     f"DB01 · Mồ côi cả cha và mẹ: xác nhận lần cuối {days_ago(200):%d/%m/%Y}."),
    ("DB ended", [membership("DB01", until=days_ago(100).isoformat())], [], {}, False, None),
    ("DB recent", [membership("DB01", since=days_ago(30).isoformat())], [], {}, False, None),
    ("NC01 open", [membership("NC01")], [], {}, True, "NC01 · "),
    ("NC01 ended", [membership("NC01", until=days_ago(10).isoformat())], [], {}, False, None),
    ("K03 open", [membership("K03")], [], {}, True, "K03 · "),
    ("K03 confirmed lately", [membership("K03")], [], {"confirmed_on": days_ago(1)}, False,
     None),
    ("TG05 open", [], [support("TG05")], {}, True,
     f"TG05 · Trợ giúp thường xuyên: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại."),
    ("TG05 ended", [], [support("TG05")], {"until": days_ago(100)}, False, None),
    ("TG05 confirmed lately", [], [support("TG05")], {"confirmed_on": days_ago(60)}, False,
     None),
    ("TG05 given lately", [], [support("TG05", days_ago(20).isoformat())], {}, False, None),
    ("TG06 open", [], [support("TG06")], {}, True, "TG06 · "),
    ("TG01 one-off", [], [support("TG01")], {}, False, None),
    ("nothing", [], [], {}, False, None),
]


@pytest.mark.parametrize("circumstances, supports, columns, listed, reason",
                         [pytest.param(*case[1:], id=case[0]) for case in RULE])
def test_the_review_rule(db, add_child, officer, circumstances, supports, columns, listed,
                         reason):
    child = add_child("Lò Văn Một", pid=personal_id(), circumstances=circumstances,
                      support=supports)
    row = (child.circumstances or child.support or [None])[0]
    for name, value in columns.items():
        setattr(row, name, value)
    db.session.flush()
    found = lists.needs_review(officer)
    assert [c.id for c, _ in found] == ([child.id] if listed else [])
    assert lists.totals(officer)["needs-review"] == int(listed)  # the SQL count agrees
    if listed:
        assert len(found[0][1]) == 1 and found[0][1][0].startswith(reason)


def test_nc02_follows_the_household_and_is_not_reviewed(db, add_child, officer):
    child = add_child("Lò Văn Một", poverty="poor", capture_date=days_ago(400))
    assert [c.code for c in child.circumstances] == ["NC02"]
    assert child.circumstances[0].since == days_ago(400)
    assert lists.needs_review(officer) == [] and lists.totals(officer)["needs-review"] == 0
    assert reasons.review_items(child, officer, TODAY) == []


def test_a_restricted_group_is_masked_for_who_may_not_see_it(db, add_child, officer, collector):
    child = add_child("Lò Văn Một", circumstances=[membership("DB12")],
                      support=[support("TG05")])
    assert reasons.review_reasons(child, officer, TODAY) == [
        f"DB12 · Bị xâm hại tình dục: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại.",
        f"TG05 · Trợ giúp thường xuyên: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại."]
    # Nor the support of a child in a restricted group: it may be that group's.
    assert reasons.review_reasons(child, collector, TODAY) == [
        f"hạn chế: từ {days_ago(400):%d/%m/%Y}, chưa được xác nhận lại."]


# --- the child's review page, item by item -------------------------------------------------

@pytest.fixture()
def due(add_child):
    """DB01 and NC01 from 400 days ago, TG05 given then, DB03 ended, NC02 by the household."""
    return add_child("Lò Văn Một", pid=personal_id(), poverty="poor", circumstances=[
        membership("DB01"), membership("NC01"),
        membership("DB03", until=days_ago(200).isoformat())],
        support=[support("TG05"), support("TG01")], capture_date=days_ago(400))


def page_of(client, child, **query):
    return client.get(f"/quality/needs-review/{child.id}", query_string=query)


def item_ids(child):
    by_code = {c.code: str(c.id) for c in child.circumstances}
    by_code.update({s.form: str(s.id) for s in child.support})
    return by_code


def test_the_page_lists_each_open_item_with_since_and_last_confirmed(client, login, officer,
                                                                     due, db):
    due.circumstances[0].confirmed_on = days_ago(250)
    db.session.flush()
    login(officer)
    html = page_of(client, due).get_data(as_text=True)
    assert "DB01 · Mồ côi cả cha và mẹ" in html and "NC01 · " in html
    assert "TG05 · Trợ giúp thường xuyên" in html
    assert f"xác nhận lần cuối {days_ago(250):%d/%m/%Y}" in html
    assert f"Từ {days_ago(400):%d/%m/%Y}" in html
    for absent in ("DB03", "NC02", "TG01"):  # ended, follows the household, one-off
        assert absent not in html
    ids = item_ids(due)
    for code in ("DB01", "NC01", "TG05"):
        assert f'name="decision-{ids[code]}" value="keep"' in html
        assert f'name="decision-{ids[code]}" value="end"' in html
        assert f'<label for="until-{ids[code]}">' in html
    assert "Xác nhận tất cả" in html


def test_keep_one_end_two_one_version_history_and_audit(client, login, officer, due, db):
    login(officer)
    ids = item_ids(due)
    version = due.version
    ended_on = days_ago(5)
    answer = client.post(f"/quality/needs-review/{due.id}", data={
        "csrf_token": csrf_token(client, f"/quality/needs-review/{due.id}"),
        f"decision-{ids['DB01']}": "keep",
        f"decision-{ids['NC01']}": "end", f"until-{ids['NC01']}": ended_on.isoformat(),
        f"decision-{ids['TG05']}": "end", f"until-{ids['TG05']}": "",  # today
    })
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert answer.headers["Location"].endswith("/quality/needs-review")
    db.session.expire_all()
    assert due.version == version + 1
    rows = {c.code: c for c in due.circumstances}
    assert (rows["DB01"].confirmed_on, rows["DB01"].until) == (TODAY, None)
    assert (rows["NC01"].confirmed_on, rows["NC01"].until) == (TODAY, ended_on)
    assert rows["NC02"].confirmed_on is None and rows["DB03"].confirmed_on is None
    tg05 = next(s for s in due.support if s.form == "TG05")
    assert (tg05.confirmed_on, tg05.until) == (TODAY, TODAY)
    changes = db.session.scalars(select(ChildChange).where(
        ChildChange.child_id == due.id, ChildChange.version == version + 1)).one()
    assert changes.user_id == officer.id and changes.note.startswith("Rà soát định kỳ")
    fields = {c["field"]: c["new"] for c in changes.changes}
    position = {c.code: i for i, c in enumerate(due.circumstances)}
    assert fields == {
        f"circumstances.{position['DB01']}.confirmed_on": TODAY.isoformat(),
        f"circumstances.{position['NC01']}.confirmed_on": TODAY.isoformat(),
        f"circumstances.{position['NC01']}.until": ended_on.isoformat(),
        "support.0.confirmed_on": TODAY.isoformat(), "support.0.until": TODAY.isoformat(),
    }
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "circumstances_reviewed")).one()
    assert entry.detail == {"version": version + 1, "confirmed": 1, "ended": 2}
    assert lists.needs_review(officer) == []
    history = client.get(f"/children/{due.id}").get_data(as_text=True)
    assert "Trợ giúp 1 · Đến ngày" in history


def test_an_item_left_unchosen_stays_due(client, login, officer, due, db):
    login(officer)
    ids = item_ids(due)
    answer = client.post(f"/quality/needs-review/{due.id}", data={
        "csrf_token": csrf_token(client, f"/quality/needs-review/{due.id}"),
        f"decision-{ids['DB01']}": "keep"})
    assert answer.status_code == 302
    [(child, why)] = lists.needs_review(officer)
    assert child.id == due.id and [w.split(" · ")[0] for w in why] == ["NC01", "TG05"]


@pytest.mark.parametrize("decision, until, message", [
    ("end", (TODAY + timedelta(days=1)).isoformat(), "Ngày kết thúc phải từ"),
    ("end", days_ago(401).isoformat(), "Ngày kết thúc phải từ"),
    ("end", "05/06/2026", "Ngày kết thúc không đúng định dạng ngày."),
    ("", "", "Chưa chọn Còn hoặc Không còn cho mục nào."),
])
def test_a_wrong_choice_is_refused_next_to_its_item_and_nothing_changes(
        client, login, officer, due, db, decision, until, message):
    login(officer)
    ids = item_ids(due)
    version = due.version
    data = {"csrf_token": csrf_token(client, f"/quality/needs-review/{due.id}"),
            f"decision-{ids['DB01']}": decision, f"until-{ids['DB01']}": until}
    if decision:  # beside the wrong one, a right one: not stored either
        data[f"decision-{ids['NC01']}"] = "keep"
    answer = client.post(f"/quality/needs-review/{due.id}", data=data)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert message in html
    if decision:
        assert f'<p class="error" id="error-{ids["DB01"]}">{message}' in html
    db.session.expire_all()
    assert due.version == version
    assert all(c.confirmed_on is None for c in due.circumstances)


def test_the_service_refuses_what_the_review_does_not_offer(app, db, officer, due):
    nc02 = next(c for c in due.circumstances if c.code == "NC02")
    tg01 = next(s for s in due.support if s.form == "TG01")
    with app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        quality.review_child(officer, due, {str(nc02.id): TODAY, str(tg01.id): None})
    assert set(refused.value.errors) == {str(nc02.id), str(tg01.id)}
    with app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        register.review_memberships(officer, due, {str(nc02.id): TODAY}, TODAY,
                                    source=quality.REVIEWED_ITEMS)
    assert "NC02 theo tình trạng nghèo" in refused.value.errors[str(nc02.id)][0]


def test_confirm_all_also_confirms_ongoing_support(client, login, officer, due, db):
    login(officer)
    answer = client.post(f"/quality/needs-review/{due.id}/reviewed",
                         data={"csrf_token": csrf_token(client, "/quality/needs-review")})
    assert answer.status_code == 302
    db.session.expire_all()
    assert {s.form: s.confirmed_on for s in due.support} == {"TG05": TODAY, "TG01": None}
    assert lists.needs_review(officer) == []


@pytest.mark.parametrize("role, status", [(roles.COLLABORATOR, 403), (roles.POLICE, 403),
                                          (roles.COMMUNE_LEADER, 403)])
def test_only_the_officer_reviews(client, login, make, due, role, status):
    login(make.user(role))
    assert page_of(client, due).status_code == status


def test_another_communes_child_does_not_exist(client, login, far_officer, due):
    login(far_officer)
    assert page_of(client, due).status_code == 404
