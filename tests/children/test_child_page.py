"""The child page: every field, household and siblings, caregivers, circumstances, support,
change history and viewers (officer), the audit of each view, and 404s."""

import uuid

from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from tests.children.pages import days_ago, personal_id
from tests.factories import COMMUNE_B


def _views(db, child) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "child_viewed", AuditEntry.object_id == str(child.id)))


def test_child_page_shows_the_whole_record(client, db, login, add_child, officer, village):
    born = days_ago(3000)
    child = add_child(
        "Lò Thị Ánh", sex="2", born=born, pid=personal_id(born, "2"), address="Tổ 3, bản Nà",
        current_residence="Nhà bà ngoại, bản Pá", schooling_status="HT03",
        caregivers=[{"relation": "father", "full_name": "Lò Văn Pọm",
                     "personal_id": "014085001234", "phone": "0912345678"},
                    {"relation": "mother", "full_name": "Lường Thị Xuân"}],
        circumstances=[
            {"code": "DB04", "since": days_ago(400), "note": "Đi xe lăn",
             "detail": {"disability_type": "KT01", "disability_level": "MD02"}},
            {"code": "NC01", "since": days_ago(900), "until": days_ago(300),
             "detail": {"risk_reason": "LD05"}}],
        support=[{"form": "TG01", "date": days_ago(20), "provider": "Trạm y tế xã",
                  "amount_vnd": 360000, "note": "Khám định kỳ"}])
    sibling = add_child("Lò Văn Ban", household_id=child.household_id)
    login(officer)
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    for text in (
        "Lò Thị Ánh", personal_id(born, "2"), "Nữ", born.strftime("%d/%m/%Y"), "Thái",
        "Việt Nam", f"{village.name} ({village.code})", "Tổ 3, bản Nà",
        "Nhà bà ngoại, bản Pá", "Tiểu học", "Phiên bản hồ sơ</dt><dd>1",
        "Chủ hộ: <strong>Lò Văn Pọm</strong>", "Không nghèo", f'href="/children/{sibling.id}"',
        "Lò Văn Ban",
        "<strong>Cha</strong>: Lò Văn Pọm · Số định danh 014085001234 · ĐT 0912345678",
        "<strong>Mẹ</strong>: Lường Thị Xuân",
        "DB04 · Khuyết tật", "(Vận động, Nặng)", f"từ {days_ago(400):%d/%m/%Y}", "Đi xe lăn",
        "NC01 · Có nguy cơ rơi vào hoàn cảnh đặc biệt", "(Cha mẹ đi làm ăn xa)",
        f"từ {days_ago(900):%d/%m/%Y} đến {days_ago(300):%d/%m/%Y}",
        "Trợ giúp y tế", "Trạm y tế xã", "360.000 đồng", "Khám định kỳ",
        "Lịch sử thay đổi", "Phiên bản 1", officer.username, "Cán bộ xã sửa",
        "Ai đã xem, xuất hồ sơ",
    ):
        assert text in html, text
    viewers = html.split("Ai đã xem, xuất hồ sơ", 1)[1]
    assert f"<li>{officer.username} · " in viewers


def test_each_view_is_audited(client, db, login, relogin, add_child, officer, make):
    child = add_child()
    login(officer)
    assert _views(db, child) == 0
    client.get(f"/children/{child.id}")
    client.get(f"/children/{child.id}")
    assert _views(db, child) == 2
    leader = make.user(roles.COMMUNE_LEADER)
    relogin(leader)
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert _views(db, child) == 3
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "child_viewed").order_by(AuditEntry.id.desc())).first()
    assert entry.username == leader.username and entry.commune_code == child.commune_code
    # The change history and the viewers are the officer's.
    assert "Lịch sử thay đổi" not in html and "Ai đã xem, xuất hồ sơ" not in html


def test_bad_unknown_and_foreign_children_are_not_found(client, login, add_child, officer,
                                                         make):
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    foreign = add_child("Lê Thị Xa", place=make.village(COMMUNE_B), actor=officer_b)
    login(officer)
    for path in ("/children/not-a-uuid", f"/children/{uuid.uuid4()}", "/children/123",
                 f"/children/{foreign.id}"):
        assert client.get(path).status_code == 404, path
    assert "Lê Thị Xa" not in client.get(f"/children/{foreign.id}").get_data(as_text=True)
