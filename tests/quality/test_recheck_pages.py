"""Re-check pages through the real HTTP stack (CSRF on), and the loop a wrong record makes:
the collector's phone gets it as "Cần sửa", sends a correction, the officer reviews it."""

import re
import uuid

import pytest
from sqlalchemy import select

from fieldapp import clock, roles
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from fieldapp.quality.models import RecheckItem, RecheckSample
from fieldapp.review import services as review
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B, PASSWORD
from tests.submissions import changed, make_item

RECHECK = "/quality/recheck"


@pytest.fixture()
def browser(sign_in, officer):
    """The officer's own browser, logged in."""
    page, answer = sign_in(officer.username, PASSWORD)
    assert answer.status_code == 302
    return page


def draw(browser, **form):
    token = csrf_token(browser, RECHECK)
    return browser.post(RECHECK, data={"csrf_token": token, "village": "", "how": "number",
                                       "amount": "1", "seed": "", **form})


def sample_of(db) -> RecheckSample:
    db.session.expire_all()
    return db.session.scalars(select(RecheckSample).order_by(RecheckSample.created_at.desc())
                              ).first()


def post_outcome(browser, sample, item, **form):
    token = csrf_token(browser, f"{RECHECK}/{sample.id}")
    return browser.post(f"{RECHECK}/{sample.id}/items/{item.id}",
                        data={"csrf_token": token, **form})


def test_the_officer_finds_recheck_from_home(browser):
    home = browser.get("/").get_data(as_text=True)
    assert f'href="{RECHECK}"' in home and ">Phúc tra<" in home


def test_the_overview_labels_every_input_and_runs_no_inline_script(browser, add_child):
    add_child()
    html = browser.get(RECHECK).get_data(as_text=True)
    assert "Phúc tra hồ sơ" in html and "Chưa có mẫu phúc tra nào." in html
    assert "Mã mẫu" in html
    assert_labelled(html)
    assert draw(browser, amount="1").status_code == 302
    sample = browser.get(RECHECK).get_data(as_text=True)
    assert "Mở mẫu" in sample and "Toàn xã" in sample


def assert_labelled(html: str) -> None:
    """Every visible control has a label naming its id; scripts only from files."""
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    visible = [c for c in controls if 'type="hidden"' not in c]
    assert visible
    for control in visible:
        key = re.search(r'\bid="([^"]+)"', control)
        assert key and f'for="{key.group(1)}"' in html, control
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


@pytest.mark.parametrize(("form", "message"), [
    ({"amount": "0"}, "Phải lớn hơn 0."),
    ({"amount": "-2"}, "Phải lớn hơn 0."),
    ({"how": "percent", "amount": "150"}, "Tỷ lệ tối đa là 100%."),
    ({"amount": "abc"}, "Nhập một số nguyên, ví dụ 10."),
    ({"amount": ""}, "Nhập một số nguyên, ví dụ 10."),
    ({"how": "other"}, "Chọn theo số hồ sơ hoặc theo tỷ lệ phần trăm."),
    ({"seed": "x" * 70}, "Tối đa 64 ký tự, không có khoảng trắng."),
])
def test_a_draw_refused_answers_422_in_vietnamese(browser, add_child, db, form, message):
    add_child()
    answer = draw(browser, **form)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    assert sample_of(db) is None


def test_an_empty_village_cannot_be_sampled(browser, add_child, village2, db):
    add_child()  # in the first village
    answer = draw(browser, village=village2.code)
    assert answer.status_code == 422
    assert "Thôn/bản (hoặc xã) này chưa có hồ sơ trẻ em đang quản lý." in answer.get_data(
        as_text=True)


def test_a_draw_needs_its_csrf_token(browser, add_child, db):
    add_child()
    answer = browser.post(RECHECK, data={"how": "number", "amount": "1"})
    assert answer.status_code == 400
    assert sample_of(db) is None


def test_the_sample_page_prints_the_records_and_takes_the_outcomes(browser, add_child, db,
                                                                   village):
    first = add_child("Lò Văn Thanh", pid="014219001234")
    add_child("Lò Thị Mai", sex="2", circumstances=[{"code": "DB05", "since": "2024-01-01"}])
    answer = draw(browser, village=village.code, how="percent", amount="100", seed="in-2026")
    sample = sample_of(db)
    assert answer.status_code == 302 and answer.location.endswith(f"{RECHECK}/{sample.id}")
    page = browser.get(answer.location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lò Văn Thanh" in html and "Lò Thị Mai" in html and "014219001234" in html
    assert "in-2026" in html and "2 trong 2 hồ sơ đang quản lý (100%)" in html
    assert "<dt>Mã mẫu</dt>" in html and "Hạt giống" not in html  # a word officials use
    assert f"<dd>{clock.shown(sample.created_at)} · " in html and "UTC" not in html
    assert "hạn chế" in html and "DB05" not in html  # the paper list masks restricted groups
    assert 'id="paper"' in html and "☐ Đúng ☐ Sai" in html  # the paper table, to fill in
    assert_labelled(html)

    item = next(i for i in sample.items if i.child_id == first.id)
    refused = post_outcome(browser, sample, item, outcome="wrong", note="Sai tên")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Hồ sơ sai: chọn ít nhất một trường sai." in text
    assert 'value="wrong" checked' in text and "Sai tên</textarea>" in text  # kept

    done = post_outcome(browser, sample, item, outcome="wrong",
                        fields=["child.full_name", "caregivers"], note="Tên là Lò Văn Thành")
    assert done.status_code == 302 and done.location.endswith(f"#item-{item.id}")
    html = browser.get(done.location).get_data(as_text=True)
    assert "sai: Họ và tên, Người nuôi dưỡng — Tên là Lò Văn Thành" in html
    assert "Thôn/bản chưa có người thu thập nào để gửi lại." in html
    again = post_outcome(browser, sample, item, outcome="right")
    assert again.status_code == 409
    assert "Hồ sơ này đã được ghi kết quả phúc tra." in again.get_data(as_text=True)

    audit = browser.get("/audit/?object_type=recheck_sample").get_data(as_text=True)
    assert "Chọn mẫu phúc tra" in audit and "Ghi kết quả phúc tra" in audit
    assert "Xem mẫu phúc tra" in audit and "Mẫu phúc tra" in audit


def test_other_communes_and_other_roles_never_see_a_sample(sign_in, browser, add_child, make,
                                                           db, village, far_village):
    add_child()
    draw(browser)
    sample = sample_of(db)
    item = sample.items[0]
    far = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    other, _ = sign_in(far.username, PASSWORD)
    assert other.get(f"{RECHECK}/{sample.id}").status_code == 404
    token = csrf_token(other, RECHECK)
    assert other.post(f"{RECHECK}/{sample.id}/items/{item.id}",
                      data={"csrf_token": token, "outcome": "right"}).status_code == 404
    assert other.get(f"{RECHECK}/not-a-uuid").status_code == 404
    assert browser.get(f"{RECHECK}/{uuid.uuid4()}").status_code == 404
    token = csrf_token(browser, RECHECK)
    assert browser.post(f"{RECHECK}/{sample.id}/items/{uuid.uuid4()}",
                        data={"csrf_token": token, "outcome": "right"}).status_code == 404
    assert browser.post(RECHECK, data={"csrf_token": token, "village": far_village.code,
                                       "how": "number", "amount": "1"}).status_code == 404
    for role, places in ((roles.COLLABORATOR, [village]), (roles.POLICE, None),
                         (roles.COMMUNE_LEADER, None)):
        user = make.user(role, places)
        page, _ = sign_in(user.username, PASSWORD)
        assert page.get(RECHECK).status_code == 403, role
        assert page.get(f"{RECHECK}/{sample.id}").status_code == 403, role
        token = csrf_token(page, "/")
        assert page.post(RECHECK, data={"csrf_token": token, "amount": "1"}).status_code == 403
        assert ">Phúc tra<" not in page.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RecheckItem, item.id).outcome is None


# ----- the loop: "Cần sửa" on the collector's phone, a correction, the officer's review -----


def test_a_wrong_record_comes_back_to_the_phone_and_its_correction_is_reviewed(
        app, db, browser, api_as, collector, officer, village):
    api = api_as(collector)
    new = make_item(village.code)
    [result] = api.submit(new)
    assert result["status"] == "accepted"
    with app.test_request_context():
        child = review.approve_submission(officer, db.session.get(Submission,
                                                                  uuid.UUID(new["uuid"])))
        db.session.flush()
    version = child.version
    draw(browser, village=village.code)
    sample = sample_of(db)
    [item] = sample.items
    assert (item.child_id, item.collector_id) == (child.id, collector.id)
    post_outcome(browser, sample, item, outcome="wrong", fields=["child.full_name"],
                 note="Tên đúng là Lò Văn Thành")
    db.session.expire_all()
    returned = db.session.get(Submission, db.session.get(RecheckItem, item.id).submission_id)

    feed = api.get("/api/v1/submissions").get_json()["submissions"]
    row = next(r for r in feed if r["uuid"] == str(returned.id))
    assert (row["state"], row["state_label"]) == ("returned", "Cần sửa")
    assert row["note"] == "Phúc tra: sai Họ và tên — Tên đúng là Lò Văn Thành"
    assert (row["child_id"], row["base_version"]) == (str(child.id), version)
    assert row["label"] == "Lò Văn Thanh" and row["data"]["child"]["full_name"] == "Lò Văn Thanh"

    # "Sửa và gửi lại": the phone sends the returned data, corrected, with ``corrects``.
    fix = {"uuid": str(uuid.uuid4()), "kind": "child", "captured_at": utcnow().isoformat(),
           "child_id": row["child_id"], "base_version": row["base_version"],
           "corrects": row["uuid"], "data": changed(row["data"], {
               "child.full_name": "Lò Văn Thành"})}
    [result] = api.submit(fix)
    assert result["status"] == "accepted", result
    states = {r["uuid"]: r["state"] for r in api.get("/api/v1/submissions").get_json()[
        "submissions"]}
    assert states[row["uuid"]] == "superseded" and states[fix["uuid"]] == "received"

    inbox = browser.get("/review").get_data(as_text=True)
    assert "Lò Văn Thành" in inbox
    token = csrf_token(browser, f"/review/{fix['uuid']}")
    approved = browser.post(f"/review/{fix['uuid']}/approve", data={"csrf_token": token})
    assert approved.status_code == 302, approved.get_data(as_text=True)
    db.session.expire_all()
    child = db.session.get(Child, child.id)
    assert (child.full_name, child.version) == ("Lò Văn Thành", version + 1)
    assert db.session.get(Submission, uuid.UUID(fix["uuid"])).state == "approved"
