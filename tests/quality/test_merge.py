"""Merging two records of one child: the fields chosen, circumstances and support carried
over, the other closed as merged, one version, history joined, audit; refusals and scope."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import queries, services
from fieldapp.children.models import ChildChange
from fieldapp.errors import ValidationFailed
from tests.children.pages import form_values
from tests.conftest import csrf_token
from tests.cookies import session_text
from tests.factories import COMMUNE_B
from tests.quality import test_matcher
from tests.quality.test_matcher import BORN, TODAY

register_child = test_matcher.register_child  # the fixture, shared by name
NUMBER = f"0142{BORN.year % 100:02d}001234"
LIST = "/quality/duplicates"


@pytest.fixture()
def records(register_child, village2):
    """The register's Lò Văn Thanh (with DB01 and a monthly allowance), and the same boy
    entered again in the second village, with his ID number, another caregiver, DB01 from the
    same day, DB07 and two support records, one of them the allowance already recorded."""
    allowance = {"form": "TG05", "date": TODAY - timedelta(days=30), "amount_vnd": 500_000,
                 "provider": "UBND xã"}
    kept = register_child(address="Tổ 2", circumstances=[
        {"code": "DB01", "since": TODAY - timedelta(days=90)}], support=[allowance])
    other = register_child(
        "Lo Van Thanh", place=village2, pid=NUMBER, mother="Lò Thị Ín", address="Tổ 5",
        circumstances=[{"code": "DB01", "since": TODAY - timedelta(days=90)},
                       {"code": "DB07", "since": TODAY - timedelta(days=10)}],
        support=[allowance, {"form": "TG01", "date": TODAY - timedelta(days=5),
                             "provider": "Trạm y tế"}])
    return kept, other


@pytest.fixture()
def merged(app, db, officer):
    def run(kept, other, take=(), actor=None):
        with app.test_request_context():
            changes = services.merge_children(actor or officer, kept, other, set(take))
            db.session.flush()
        return changes

    return run


def history(db, child) -> list[ChildChange]:
    return list(db.session.scalars(select(ChildChange).where(ChildChange.child_id == child.id)
                                   .order_by(ChildChange.version)))


def test_what_differs(records):
    kept, other = records
    assert queries.merge_differing(kept, other) == [
        "personal_id", "full_name", "village", "address", "household", "caregivers"]
    assert queries.merge_display(other, "caregivers") == "Mẹ: Lò Thị Ín"
    assert queries.merge_display(kept, "sex") == "Nam"
    assert queries.merge_display(kept, "personal_id") == "—"


def test_merge_takes_the_chosen_fields(db, officer, records, merged, village, village2):
    kept, other = records
    merged(kept, other, {"personal_id", "village", "caregivers"})
    assert (kept.full_name, kept.personal_id, kept.village_code, kept.address) == (
        "Lò Văn Thanh", NUMBER, village2.code, "Tổ 2")
    assert [c.full_name for c in kept.caregivers] == ["Lò Thị Ín"]
    assert kept.household_id != other.household_id  # the kept one's household, not chosen
    assert kept.closed_on is None and kept.version == 2


def test_circumstances_and_support_carried_over_once(records, merged):
    kept, other = records
    merged(kept, other)
    assert sorted(c.code for c in kept.circumstances) == ["DB01", "DB07"]
    assert sorted((s.form, s.amount_vnd) for s in kept.support) == [
        ("TG01", None), ("TG05", 500_000)]
    assert len(other.circumstances) == 2 and len(other.support) == 2  # its own stay


def test_the_other_is_closed_as_merged(records, merged):
    kept, other = records
    merged(kept, other)
    assert (other.closed_on, other.closed_reason, other.merged_into_id, other.version) == (
        TODAY, "merged", kept.id, 2)


def test_one_version_one_history_entry_and_the_audit(db, officer, records, merged):
    kept, other = records
    merged(kept, other, {"personal_id"})
    [created, merge_entry] = history(db, kept)
    assert (merge_entry.version, merge_entry.source, merge_entry.source_ref) == (
        2, "officer_edit", str(other.id))
    assert merge_entry.note == f"Gộp hồ sơ Lo Van Thanh (sinh {BORN:%d/%m/%Y}) vào hồ sơ này"
    fields = {item["field"] for item in merge_entry.shown}
    assert {"child.personal_id", "circumstances.1.code", "support.1.form"} <= fields
    assert history(db, other)[-1].source_ref == str(kept.id)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "children_merged")).one()
    assert (entry.object_id, entry.user_id, entry.commune_code) == (
        str(kept.id), officer.id, "03808")
    assert entry.detail == {"merged": str(other.id), "version": 2, "taken": ["personal_id"]}


def test_identical_records_still_make_one_version(db, register_child, merged):
    kept = register_child()
    other = register_child(household_id=kept.household_id)
    assert queries.merge_differing(kept, other) == []
    assert merged(kept, other) == []
    assert kept.version == 2 and history(db, kept)[-1].note.startswith("Gộp hồ sơ Lò Văn Thanh")
    assert other.merged_into_id == kept.id


def test_refused_with_a_vietnamese_message(app, db, officer, records, merged, register_child):
    kept, other = records
    with pytest.raises(ValidationFailed, match="chính nó"):
        merged(kept, kept)
    with app.test_request_context():
        services.close_child(officer, other, "moved_away", TODAY)
    with pytest.raises(ValidationFailed, match="Lo Van Thanh đã đóng"):
        merged(kept, other)
    old = register_child("Cầm Văn Sử")
    old.date_of_birth = BORN.replace(year=TODAY.year - 17)
    with pytest.raises(ValidationFailed, match="đủ 16 tuổi"):
        merged(kept, old)
    with pytest.raises(ValidationFailed, match="không gộp được"):
        merged(kept, register_child("Cầm Văn Sử"), {"colour"})
    assert kept.version == 1


def test_chosen_values_are_checked_by_the_register_rules(db, records, merged):
    kept, other = records
    kept.sex = "2"  # a girl's record, a boy's number: digit 4 must agree with the sex
    with pytest.raises(ValidationFailed) as refused:
        merged(kept, other, {"personal_id"})
    assert "child.personal_id" in refused.value.errors


# ---- the page -----------------------------------------------------------------------------


def page_of(kept, other) -> str:
    return f"{LIST}/{kept.id}/{other.id}/merge"


def test_the_merge_page_offers_a_choice_per_differing_field(client, login, officer, records):
    kept, other = records
    login(officer)
    html = client.get(page_of(kept, other)).get_data(as_text=True)
    assert "Gộp hai hồ sơ" in html and "Điểm giống nhau: <strong>" in html
    for key in ("personal_id", "full_name", "village", "caregivers", "household"):
        assert f'name="take.{key}" value="a" checked' in html
        assert f'name="take.{key}" value="b">' in html
    assert 'name="take.sex"' not in html and "giống nhau" in html
    assert "DB07 · " in html and "Trạm y tế" not in html  # rows shown, not every detail
    assert 'name="keep" value="a" checked' in html


def test_merge_through_the_page(client, db, login, officer, records, village2):
    kept, other = records
    login(officer)
    values = form_values(client.get(page_of(kept, other)).get_data(as_text=True), "merge-form")
    values.update({"keep": "b", "take.full_name": "a", "take.personal_id": "b"})
    answer = client.post(page_of(kept, other), data=values)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/children/{other.id}"
    assert "Lò Văn Thanh" not in session_text(client)  # signed, not encrypted
    db.session.refresh(kept)
    db.session.refresh(other)
    assert (other.full_name, other.address, other.personal_id, other.version) == (
        "Lò Văn Thanh", "Tổ 2", NUMBER, 2)
    assert (kept.closed_reason, kept.merged_into_id) == ("merged", other.id)
    page = client.get(f"/children/{other.id}").get_data(as_text=True)
    assert "Đã gộp hai hồ sơ vào hồ sơ này." in page
    assert "Gồm cả lịch sử của hồ sơ đã gộp vào đây:" in page
    assert "hồ sơ đã gộp: Lò Văn Thanh" in page  # the closed record's own history, joined
    closed = client.get(f"/children/{kept.id}").get_data(as_text=True)
    assert f'href="/children/{other.id}">Xem hồ sơ giữ lại</a>' in closed
    assert "0 cặp hồ sơ có thể trùng" in client.get(LIST).get_data(as_text=True)


def test_merge_needs_the_csrf_token(client, db, login, officer, records):
    kept, other = records
    login(officer)
    answer = client.post(page_of(kept, other), data={"keep": "a", "a_version": "1",
                                                     "b_version": "1"})
    assert answer.status_code == 400 and "Biểu mẫu đã hết hạn" in answer.get_data(as_text=True)
    db.session.refresh(other)
    assert other.closed_on is None


def test_a_record_changed_meanwhile_is_not_merged(client, db, login, officer, records, app):
    kept, other = records
    login(officer)
    values = form_values(client.get(page_of(kept, other)).get_data(as_text=True), "merge-form")
    with app.test_request_context():
        services.record_support(officer, other, {"form": "TG02", "date": TODAY})
        db.session.flush()
    answer = client.post(page_of(kept, other), data=values)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "vừa được sửa" in html
    db.session.refresh(other)
    assert other.closed_on is None and other.version == 2


def test_the_register_rules_refusal_is_shown(client, db, login, officer, records):
    kept, other = records
    kept.sex = "2"
    db.session.flush()
    login(officer)
    values = form_values(client.get(page_of(kept, other)).get_data(as_text=True), "merge-form")
    values.update({"take.personal_id": "b", "take.sex": "a"})
    answer = client.post(page_of(kept, other), data=values)
    assert answer.status_code == 422
    assert "Chưa gộp được." in answer.get_data(as_text=True)
    db.session.refresh(other)
    assert other.closed_on is None


def test_a_closed_record_cannot_be_merged(app, client, login, officer, records):
    kept, other = records
    with app.test_request_context():
        services.close_child(officer, other, "died", TODAY)
    login(officer)
    answer = client.get(page_of(kept, other))
    assert answer.status_code == 422 and "đã đóng, không gộp được" in answer.get_data(
        as_text=True)
    assert client.get(page_of(kept, kept)).status_code == 422


def test_scope_and_roles(client, login, make, records):
    kept, other = records
    login(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    assert client.get(page_of(kept, other)).status_code == 404
    token = csrf_token(client, "/")
    assert client.post(page_of(kept, other), data={"csrf_token": token}).status_code == 404
    for role in (roles.COLLABORATOR, roles.POLICE):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        login(make.user(role))
        assert client.get(page_of(kept, other)).status_code == 403
        assert client.post(page_of(kept, other),
                           data={"csrf_token": csrf_token(client, "/")}).status_code == 403
