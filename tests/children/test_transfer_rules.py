"""Transfers between communes, the services' rules: who may send, accept, refuse and cancel,
and what each refuses; and what an accepted transfer writes (children.transfers)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import transfers
from fieldapp.children.models import ChildChange, ChildTransfer
from fieldapp.errors import Forbidden, ValidationFailed
from tests.factories import COMMUNE_A, COMMUNE_B

pytestmark = pytest.mark.usefixtures("ctx")
TODAY = date.today()
COMMUNE_C = "00679"  # Xã Ngọc Hồi, Hà Nội: a third commune


@pytest.fixture()
def child(add_child):
    return add_child("Lò Văn Thanh", circumstances=[
        {"code": "DB01", "since": "2023-05-01", "until": "2024-01-01",
         "note": "Đã có người nhận nuôi"},
        {"code": "DB04", "since": "2024-02-01",
         "detail": {"disability_type": "KT01", "disability_level": "MD02"}},
        {"code": "DB12", "since": "2024-03-01"},
    ], support=[{"form": "TG05", "date": "2024-02-01", "provider": "UBND xã",
                 "amount_vnd": "500.000"}])


@pytest.fixture()
def sent(officer, child):
    return transfers.request_transfer(officer, child, COMMUNE_B, TODAY, "Theo mẹ về quê")


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.errors


@pytest.mark.parametrize(("to", "moved_on", "field", "message"), [
    (COMMUNE_A, TODAY, "to_commune", "Không chuyển được đến chính xã của mình."),
    ("99999", TODAY, "to_commune", "Chọn xã nhận trẻ trong danh sách."),
    ("", TODAY, "to_commune", "Chọn xã nhận trẻ trong danh sách."),
    (COMMUNE_B, TODAY + timedelta(days=1), "moved_on",
     "Ngày chuyển đi phải từ ngày sinh đến hôm nay."),
    (COMMUNE_B, date(2000, 1, 1), "moved_on", "Ngày chuyển đi phải từ ngày sinh đến hôm nay."),
    (COMMUNE_B, "31/12/2024", "moved_on", "Ngày chuyển đi: nhập ngày hợp lệ."),
])
def test_request_refused(db, officer, child, to, moved_on, field, message):
    assert errors_of(lambda: transfers.request_transfer(officer, child, to, moved_on))[field] == [
        message]
    assert db.session.scalars(select(ChildTransfer)).all() == []


def test_second_pending_transfer_refused(officer, child, sent):
    errors = errors_of(lambda: transfers.request_transfer(officer, child, COMMUNE_C, TODAY))
    assert errors["to_commune"] == [
        "Trẻ đang chờ Xã Tam Mỹ, Thành phố Đà Nẵng tiếp nhận; huỷ chuyển trước."]


def test_closed_child_cannot_be_sent(officer, officer_does, child):
    officer_does("close_child", child, "died", TODAY, injury="no")
    assert errors_of(lambda: transfers.request_transfer(officer, child, COMMUNE_B, TODAY)) == {
        "child": ["Hồ sơ đã đóng."]}


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE,
                                  roles.COMMUNE_LEADER, roles.PROVINCE_VIEWER])
def test_only_the_officer_sends(make, village, child, role):
    places = [village] if role in roles.FIELD else (["14"] if role == roles.PROVINCE_VIEWER
                                                     else None)
    with pytest.raises(Forbidden):
        transfers.request_transfer(make.user(role, places), child, COMMUNE_B, TODAY)


def test_another_communes_officer_cannot_send(far_officer, child):
    with pytest.raises(Forbidden):
        transfers.request_transfer(far_officer, child, COMMUNE_C, TODAY)


@pytest.mark.parametrize("who", ["sender", "third", "collector_b", "leader_b"])
def test_only_the_receiving_officer_accepts_or_refuses(make, officer, far_village, sent, who):
    actor = {
        "sender": lambda: officer,
        "third": lambda: make.user(roles.COMMUNE_OFFICER, [COMMUNE_C]),
        "collector_b": lambda: make.user(roles.COLLABORATOR, [far_village]),
        "leader_b": lambda: make.user(roles.COMMUNE_LEADER, [COMMUNE_B]),
    }[who]()
    with pytest.raises(Forbidden):
        transfers.accept_transfer(actor, sent, far_village.code, None, {"head_name": "Hộ A"})
    with pytest.raises(Forbidden):
        transfers.refuse_transfer(actor, sent, "Không đúng xã")
    assert sent.status == "pending"


def test_the_receiver_cannot_cancel(far_officer, sent):
    with pytest.raises(Forbidden):
        transfers.cancel_transfer(far_officer, sent)


@pytest.mark.parametrize(("where", "field", "message"), [
    ("none", "village_code", "Chọn thôn/bản của xã để tiếp nhận trẻ."),
    ("sender", "child.village_code", "Thôn/bản không thuộc địa bàn của bạn."),
    ("other_household", "household_id", "Hộ gia đình này không ở thôn/bản đã chọn."),
    ("sender_household", "household_id", "Hộ gia đình không thuộc địa bàn của bạn."),
    ("no_head", "household.head_name", None),
])
def test_accept_needs_a_village_and_household_of_the_receiver(
        db, make, far_officer, far_village, village, child, sent, where, field, message):
    other = make.village(COMMUNE_B, name="Thôn Hai")
    household = make.child(far_officer, other, "Trần Văn Bé").household
    village_code, household_id, new = {
        "none": ("", None, {"head_name": "Hộ A"}),
        "sender": (village.code, None, {"head_name": "Hộ A"}),
        "other_household": (far_village.code, str(household.id), None),
        "sender_household": (far_village.code, str(child.household_id), None),
        "no_head": (far_village.code, None, {"head_name": ""}),
    }[where]
    errors = errors_of(lambda: transfers.accept_transfer(far_officer, sent, village_code,
                                                         household_id, new))
    assert field in errors and (message is None or errors[field] == [message])
    assert sent.status == "pending" and child.closed_on is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_refuse_needs_a_reason(far_officer, sent, reason):
    assert errors_of(lambda: transfers.refuse_transfer(far_officer, sent, reason)) == {
        "reason": ["Ghi lý do từ chối."]}


@pytest.mark.parametrize("first", ["cancelled", "refused", "accepted"])
def test_a_decided_transfer_is_decided_once(officer, far_officer, far_village, sent, first):
    {"cancelled": lambda: transfers.cancel_transfer(officer, sent),
     "refused": lambda: transfers.refuse_transfer(far_officer, sent, "Không có ở xã"),
     "accepted": lambda: transfers.accept_transfer(far_officer, sent, far_village.code, None,
                                                   {"head_name": "Lò Văn Pọm"}),
     }[first]()
    assert sent.status == first
    for again in (lambda: transfers.cancel_transfer(officer, sent),
                  lambda: transfers.refuse_transfer(far_officer, sent, "Lý do"),
                  lambda: transfers.accept_transfer(far_officer, sent, far_village.code, None,
                                                    {"head_name": "Lò Văn Pọm"})):
        assert errors_of(again) == {"transfer": ["Không còn chờ tiếp nhận."]}


def test_accept_refused_when_the_sender_closed_the_record_meanwhile(
        officer_does, far_officer, far_village, child, sent):
    officer_does("close_child", child, "died", TODAY, injury="no")
    errors = errors_of(lambda: transfers.accept_transfer(far_officer, sent, far_village.code,
                                                         None, {"head_name": "Lò Văn Pọm"}))
    assert errors == {"child": ["Xã chuyển đi đã đóng hồ sơ này; hãy từ chối với lý do."]}


def test_accept_writes_the_new_record_and_closes_the_old(db, officer, far_officer, far_village,
                                                         child, sent):
    before = child.version
    received = transfers.accept_transfer(far_officer, sent, far_village.code, None,
                                         {"head_name": "Lò Văn Pọm", "address": "Tổ 5",
                                          "poverty_status": "none"})
    # The receiver's record: the child's data in the receiver's village and a new household.
    assert (received.commune_code, received.village_code) == (COMMUNE_B, far_village.code)
    assert received.household.head_name == "Lò Văn Pọm" and received.household.address == "Tổ 5"
    assert (received.address, received.current_residence) == ("Tổ 5", "")  # not the old one
    assert (received.full_name, received.date_of_birth, received.sex) == (
        child.full_name, child.date_of_birth, child.sex)
    assert [(c.relation, c.full_name) for c in received.caregivers] == [
        (c.relation, c.full_name) for c in child.caregivers]
    assert [(c.code, c.since, c.until, c.detail) for c in received.circumstances] == [
        (c.code, c.since, c.until, c.detail) for c in child.circumstances]
    assert [(s.form, s.given_on, s.amount_vnd, s.provider) for s in received.support] == [
        ("TG05", date(2024, 2, 1), 500000, "UBND xã")]
    first = db.session.scalars(select(ChildChange).where(ChildChange.child_id == received.id))
    first = list(first)
    assert [(c.version, c.source, c.note) for c in first] == [
        (1, "transfer", "Tiếp nhận từ Xã Mường La, tỉnh Sơn La")]
    # The sender's record: closed as moved away, with the note, one version more.
    assert child.closed_on == TODAY and child.closed_reason == "moved_away"
    assert child.closed_note == (
        f"Đã chuyển đến Xã Tam Mỹ, Thành phố Đà Nẵng ngày {TODAY:%d/%m/%Y}")
    assert child.version == before + 1
    assert (sent.status, sent.received_child_id, sent.decided_by) == (
        "accepted", received.id, far_officer.id)
    # The history the received record carries: the sender's changes, not its closure.
    [(origin, changes)] = transfers.earlier_history(received)
    assert origin.id == sent.id and [c.version for c in changes] == list(range(before, 0, -1))
    # Audited with ids and codes only.
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "transfer_accepted")).one()
    assert entry.commune_code == COMMUNE_B and entry.detail == {
        "child": str(child.id), "from": COMMUNE_A, "to": COMMUNE_B, "received": str(received.id)}
    assert "Thanh" not in str(entry.detail)


def test_accept_into_an_existing_household(make, far_officer, far_village, sent):
    household = make.child(far_officer, far_village, "Trần Thị Chị").household
    received = transfers.accept_transfer(far_officer, sent, far_village.code, str(household.id))
    assert received.household_id == household.id


def test_request_cancel_refuse_are_audited(db, officer, far_officer, child):
    first = transfers.request_transfer(officer, child, COMMUNE_B, TODAY)
    transfers.cancel_transfer(officer, first)
    second = transfers.request_transfer(officer, child, COMMUNE_B, TODAY, "Lần hai")
    transfers.refuse_transfer(far_officer, second, "Gia đình không chuyển đến xã")
    rows = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "child_transfer").order_by(AuditEntry.id)).all()
    assert [(r.action, r.commune_code) for r in rows] == [
        ("transfer_requested", COMMUNE_A), ("transfer_cancelled", COMMUNE_A),
        ("transfer_requested", COMMUNE_A), ("transfer_refused", COMMUNE_B)]
    assert child.closed_on is None and second.reason == "Gia đình không chuyển đến xã"


def test_a_probable_duplicate_in_the_receiving_commune_is_found(make, far_officer, far_village,
                                                                 child, sent):
    twin = make.child(far_officer, far_village, "Lò Văn Thanh")
    found = transfers.probable_duplicates(sent)
    assert [d["id"] for d in found] == [twin.id]
    assert found[0]["born"] == twin.date_of_birth


def test_an_accept_racing_a_cancel_finds_it_decided(db, far_officer, far_village, sent):
    """The sender cancels in another request while the receiver's page still says pending:
    the receiver's accept, read before, must not make a record."""
    db.session.execute(update(ChildTransfer).where(ChildTransfer.id == sent.id)
                       .values(status="cancelled").execution_options(synchronize_session=False))
    assert sent.status == "pending"  # what this request read before
    errors = errors_of(lambda: transfers.accept_transfer(far_officer, sent, far_village.code,
                                                         None, {"head_name": "Lò Văn Pọm"}))
    assert errors == {"transfer": ["Không còn chờ tiếp nhận."]}


def test_a_second_request_racing_the_first_is_refused_not_a_500(db, officer, child, sent):
    """The other request's pending transfer, committed after this one looked for it."""
    db.session.expunge(sent)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transfers, "pending_of", lambda child: None)
        errors = errors_of(lambda: transfers.request_transfer(officer, child, COMMUNE_C, TODAY))
    assert errors == {"to_commune": ["Trẻ đã có một việc chuyển đang chờ tiếp nhận."]}
    assert db.session.scalars(select(ChildTransfer.status)).all() == ["pending"]


def test_a_child_of_sixteen_cannot_be_sent(officer, add_child):
    grown = add_child("Lò Văn Lớn", born=TODAY - timedelta(days=16 * 365 + 30),
                      capture_date=TODAY - timedelta(days=2 * 365))
    assert errors_of(lambda: transfers.request_transfer(officer, grown, COMMUNE_B, TODAY)) == {
        "child": ["Đã đủ 16 tuổi."]}


def test_accept_carries_a_dropouts_level_and_the_periodic_reviews(
        db, officer, far_officer, far_village, add_child):
    """A dropout (HT07, whose level and day are then required) is received as one; what the
    periodic review confirmed or ended stays so in the new commune."""
    born = date(TODAY.year - 12, 3, 1)
    child = add_child("Lò Thị Bỏ Học", born=born, circumstances=[
        {"code": "DB01", "since": "2024-01-01"}],
        support=[{"form": "TG05", "date": "2024-02-01", "provider": "UBND xã"}])
    child.schooling_status, child.school_left_level = "HT07", "TH"
    child.school_left_on = date(TODAY.year - 1, 6, 1)
    child.circumstances[0].confirmed_on = TODAY - timedelta(days=30)
    child.support[0].until = TODAY - timedelta(days=10)
    child.support[0].confirmed_on = TODAY - timedelta(days=10)
    db.session.flush()
    sent = transfers.request_transfer(officer, child, COMMUNE_B, TODAY)
    received = transfers.accept_transfer(far_officer, sent, far_village.code, None,
                                         {"head_name": "Lò Văn Pọm", "poverty_status": "none"})
    assert (received.schooling_status, received.school_left_level, received.school_left_on) == (
        "HT07", "TH", date(TODAY.year - 1, 6, 1))
    assert [(c.code, c.confirmed_on) for c in received.circumstances] == [
        ("DB01", TODAY - timedelta(days=30))]
    assert [(s.form, s.until, s.confirmed_on) for s in received.support] == [
        ("TG05", TODAY - timedelta(days=10), TODAY - timedelta(days=10))]
