"""The audit log names every kind of object as a person would (issue 14 §4): a household by
its head and village, a submission by its collector and day, a verification list and a re-check
sample by number, size and day, a device by its owner; an object that cannot be named reads as
a short phrase, never as a UUID; the register's objects are named only for those who may open
them."""

import re
import uuid
from datetime import UTC, datetime

import pytest

from fieldapp import roles
from fieldapp.audit.services import OBJECT_LABELS, record
from fieldapp.collection.models import Submission
from fieldapp.devices.models import Device
from fieldapp.quality.models import RecheckSample
from fieldapp.verification.models import VerificationBatch

AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 on 01/12/2026 in Vietnam
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture()
def world(db, make, officer, village, add_child):
    """One object of each kind in the officer's commune, named people acting on them."""
    officer.full_name = "Hà Thị Cán Bộ"
    collab = make.user(roles.COLLABORATOR, [village])
    collab.full_name = "Lò Thị Hoa"
    child = add_child("Lò Thị Bé")
    child.household.head_name = "Lò Văn Pọm"
    submission = Submission(id=uuid.uuid4(), kind="child", user_id=collab.id,
                            commune_code="03808", village_code=village.code, captured_at=AT,
                            content_hash="0" * 64, data={})
    batch = VerificationBatch(commune_code="03808", number=3, title="Danh sách số 3",
                              created_by_id=officer.id, created_at=AT)
    sample = RecheckSample(commune_code="03808", village_code=village.code, size=12,
                           seed="s", population=40, created_by_id=officer.id, created_at=AT)
    whole = RecheckSample(commune_code="03808", village_code=None, size=5, seed="t",
                          population=90, created_by_id=officer.id, created_at=AT)
    device = Device(phone_id=uuid.uuid4(), user_id=collab.id,
                    user_agent="Android 13 · Chrome 131")
    db.session.add_all([submission, batch, sample, whole, device])
    db.session.flush()
    return {"child": child, "household": child.household, "submission": submission,
            "batch": batch, "sample": sample, "whole": whole, "device": device,
            "collab": collab, "village": village}


def _write(db, officer, kind, object_id):
    record(officer, "village_renamed", kind, object_id, commune_code="03808")
    db.session.flush()


def _cell(client, kind, object_id=None) -> str:
    """The object cell of the newest entry about ``kind`` (and ``object_id``), its text with
    spaces folded."""
    query = "&".join(([f"object_type={kind}"] if kind in OBJECT_LABELS else [])
                     + ([f"object_id={object_id}"] if object_id else []))
    page = client.get(f"/audit/?{query}").get_data(as_text=True)
    cell = re.search(r'<td data-label="Đối tượng">(.*?)</td>', page, re.S).group(1)
    return " ".join(cell.split())


@pytest.mark.parametrize(("kind", "key", "expected"), [
    ("household", "household",
     '<a href="/children/households/{id}">Lò Văn Pọm, Bản Nà Sàng</a>'),
    ("submission", "submission",
     'Phiếu thu thập <a href="/review/{id}">của Lò Thị Hoa ({collab}), 01/12/2026</a>'),
    ("verification_batch", "batch",
     'Danh sách cần xác thực <a href="/verification/{id}">số 3, ngày 01/12/2026</a>'),
    ("recheck_sample", "sample",
     'Mẫu phúc tra <a href="/quality/recheck/{id}">12 hồ sơ, Bản Nà Sàng, ngày 01/12/2026</a>'),
    ("recheck_sample", "whole",
     'Mẫu phúc tra <a href="/quality/recheck/{id}">5 hồ sơ, cả xã, ngày 01/12/2026</a>'),
    ("device", "device",
     'Thiết bị thu thập <a href="/devices">của Lò Thị Hoa ({collab}) '
     '(Android 13 · Chrome 131)</a>'),
    ("child", "child", 'Trẻ em <a href="/children/{id}">Lò Thị Bé</a>'),
    ("user", "collab", "Tài khoản Lò Thị Hoa ({collab})"),
    ("village", "village", "Thôn/bản Bản Nà Sàng · mã {id}"),
])
def test_each_kind_is_named(client, db, login, officer, world, kind, key, expected):
    obj = world[key]
    object_id = obj.code if kind == "village" else obj.id
    _write(db, officer, kind, object_id)
    login(officer)
    cell = _cell(client, kind, object_id)
    assert expected.format(id=object_id, collab=world["collab"].username) in cell
    assert not UUID_TEXT.search(re.sub(r'href="[^"]*"', "", cell))


@pytest.mark.parametrize(("kind", "object_id", "expected"), [
    ("household", str(uuid.uuid4()), "Hộ gia đình (không xem được)"),
    ("submission", str(uuid.uuid4()), "Phiếu thu thập (không xem được)"),
    ("verification_batch", str(uuid.uuid4()), "Danh sách cần xác thực (không xem được)"),
    ("recheck_sample", str(uuid.uuid4()), "Mẫu phúc tra (không xem được)"),
    ("device", str(uuid.uuid4()), "Thiết bị thu thập (không xem được)"),
    ("child", str(uuid.uuid4()), "Trẻ em (không xem được)"),
    ("household", "not-a-uuid", "Hộ gia đình not-a-uuid"),  # a code says something: it stays
    ("village", "03808-999", "Thôn/bản 03808-999"),
    ("child_transfer", str(uuid.uuid4()), "Chuyển trẻ đến xã khác (không xem được)"),
    ("transfer", str(uuid.uuid4()), "transfer (không xem được)"),  # a kind this page does
    ("settings", "age_limit", "settings age_limit"),               # not know yet
    ("child", None, "Trẻ em"),  # a list viewed: no object
])
def test_what_cannot_be_named_is_short_and_never_a_uuid(client, db, login, officer, kind,
                                                        object_id, expected):
    _write(db, officer, kind, object_id)
    login(officer)
    cell = _cell(client, kind, object_id)
    assert cell == expected
    assert not UUID_TEXT.search(cell)


def test_another_communes_household_is_not_named(client, db, login, officer, make, add_child):
    far = add_child("Lê Thị Xa", place=make.village("21004"))
    _write(db, officer, "household", far.household_id)  # an entry of this commune about it
    login(officer)
    assert _cell(client, "household") == "Hộ gia đình (không xem được)"


def test_an_admin_reads_no_household_but_the_process(client, db, login, make, officer, world):
    """Admins read no register (no child, no household head), but accounts and dates are
    theirs to read; no link opens what their role may not."""
    _write(db, officer, "household", world["household"].id)
    _write(db, officer, "submission", world["submission"].id)
    login(make.user(roles.ADMIN))
    assert _cell(client, "household") == "Hộ gia đình (không xem được)"
    cell = _cell(client, "submission")
    assert "của Lò Thị Hoa" in cell and "<a" not in cell


def test_restricted_groups_never_name_an_object(client, db, login, officer, world, add_child):
    """A child in a restricted group is named by name only, as everywhere in the log."""
    secret = add_child("Lò Văn Kín", circumstances=[{"code": "DB12", "since": "2026-01-01"}])
    _write(db, officer, "child", secret.id)
    _write(db, officer, "household", secret.household_id)
    login(officer)
    page = client.get("/audit/").get_data(as_text=True)
    assert "Lò Văn Kín" in page
    assert "DB12" not in page and "xâm hại" not in page


def test_a_transfer_names_its_two_communes_and_day_not_the_child(client, db, login, officer,
                                                                 far_village, add_child):
    from fieldapp.children.models import ChildTransfer
    child = add_child("Lò Thị Đi")
    transfer = ChildTransfer(child_id=child.id, from_commune_code="03808",
                             to_commune_code=far_village.commune_code, requested_by=officer.id,
                             requested_at=AT, moved_on=AT.date(), status="pending")
    db.session.add(transfer)
    db.session.flush()
    _write(db, officer, "child_transfer", transfer.id)
    login(officer)
    cell = _cell(client, "child_transfer", transfer.id)
    sender, receiver = (db.session.get(type(far_village.commune), code).name
                        for code in ("03808", far_village.commune_code))
    assert cell == f"Chuyển trẻ đến xã khác từ {sender} đến {receiver}, ngày 01/12/2026"
    assert "Lò Thị Đi" not in cell


def test_a_setting_is_named_by_its_label(client, db, login, make):
    admin = make.user(roles.ADMIN)
    record(admin, "setting_changed", "setting", "age_limit", detail={"old": 16, "new": 17})
    db.session.flush()
    login(admin)
    cell = _cell(client, "setting", "age_limit")
    assert cell == 'Cài đặt <a href="/settings">Độ tuổi của trẻ em</a>'
