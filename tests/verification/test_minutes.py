"""The handover minutes: a PDF whose extracted text holds the commune, the children, the
verified numbers, the signature lines and numbered pages."""

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.verification import services
from tests.conftest import csrf_token
from tests.submissions import BORN, child_id_number


@pytest.fixture()
def finished(app, db, police, send, add_child):
    """A finished batch of 30 children (three pages): all found but the last."""

    def build(count=30):
        children = [add_child(f"Lò Văn {name}") for name in _names(count)]
        batch = send(*children)
        with app.test_request_context():
            for item in batch.items:
                if item.position == count:
                    data = {"not_found": True, "note": "Chưa đăng ký khai sinh"}
                else:
                    data = {"verified_id": child_id_number(BORN, "1", f"{item.position:06d}")}
                services.record_result(police, batch, item, data)
            services.finish_batch(police, batch)
            db.session.flush()
        return batch

    return build


def _names(count):
    given = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Khánh", "Long", "Minh"]
    middle = ["", " Anh", " Quốc"]
    return [f"{given[i % 10]}{middle[i // 10]}" for i in range(count)]


def _text(body: bytes) -> tuple[str, int]:
    reader = PdfReader(BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_minutes_text(client, login, police, officer, finished, db):
    batch = finished()
    login(police)
    answer = client.get(f"/verification/{batch.id}/bien-ban.pdf")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert "bien-ban-ban-giao-so-1.pdf" in answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "no-store"
    text, pages = _text(answer.data)
    assert pages >= 2
    for expected in ("BIÊN BẢN BÀN GIAO", "XÃ MƯỜNG LA", "Xã Mường La", "Sơn La",
                     "Danh sách cần xác thực số 1", "Lò Văn An", "Lò Văn Minh Quốc",
                     child_id_number(BORN, "1", "000001"), child_id_number(BORN, "1", "000029"),
                     "Không tìm thấy", "Chưa đăng ký khai sinh", "ĐẠI DIỆN CÔNG AN XÃ",
                     "CÔNG CHỨC LÀM CÔNG TÁC TRẺ EM", "(Ký, ghi rõ họ tên)", "Trang 1/",
                     f"Trang {pages}/{pages}", "Bản Nà Sàng", "Ngày sinh", "STT"):
        assert expected in text, expected
    assert police.username in text and officer.username in text  # who signs
    assert "DB" not in text and "Hoàn cảnh" not in text
    entry = db.session.scalars(select(AuditEntry).filter_by(
        action="verification_minutes_downloaded")).one()
    assert entry.user_id == police.id and entry.object_id == str(batch.id)
    token = csrf_token(client, "/")
    client.post("/logout", data={"csrf_token": token})
    login(officer)
    assert client.get(f"/verification/{batch.id}/bien-ban.pdf").status_code == 200


def test_minutes_show_corrections(client, login, officer, police, batch, app, db):
    item = next(i for i in batch.items if i.sent["full_name"] == "Cầm Thị Ánh")
    with app.test_request_context():
        for other in batch.items:
            services.record_result(police, batch, other, {"not_found": True, "note": "Không có"})
        services.record_result(police, batch, item, {
            "verified_id": child_id_number(BORN, "2"),
            "corrections": {"full_name": "Cầm Thị Ánh Dương"}})
        services.finish_batch(police, batch)
    login(officer)
    text, _ = _text(client.get(f"/verification/{batch.id}/bien-ban.pdf").data)
    assert "Cầm Thị Ánh Dương" in text
    assert "Sửa họ và tên: Cầm Thị Ánh → Cầm Thị Ánh Dương" in text


def test_no_minutes_before_finishing(client, login, police, batch):
    login(police)
    answer = client.get(f"/verification/{batch.id}/bien-ban.pdf")
    assert answer.status_code == 404
    assert "đã hoàn tất" in answer.get_data(as_text=True)


def test_a_missing_font_is_named(client, login, police, finished, app, monkeypatch):
    batch = finished(2)
    monkeypatch.setitem(app.config, "PDF_FONT", "/nowhere/DejaVuSans.ttf")
    login(police)
    answer = client.get(f"/verification/{batch.id}/bien-ban.pdf")
    assert answer.status_code == 503
    assert "FIELDAPP_PDF_FONT" in answer.get_data(as_text=True)


WARD = "00070"  # Phường Hoàn Kiếm, Hà Nội


def test_minutes_of_a_ward_name_its_own_police(client, login, make, app, db):
    """A phường's minutes say "Công an phường", never the fixed "Công an xã"."""
    street = make.village(WARD, name="Tổ dân phố số 1")
    officer, police = (make.user(roles.COMMUNE_OFFICER, [WARD]), make.user(roles.POLICE, [WARD]))
    child = make.child(officer, street, "Nguyễn Văn An")
    with app.test_request_context():
        batch, _ = services.create_batch(officer, [child.id])
        services.record_result(police, batch, batch.items[0],
                               {"verified_id": child_id_number(BORN, "1", "000001")})
        services.finish_batch(police, batch)
        db.session.flush()
    login(police)
    text, _ = _text(client.get(f"/verification/{batch.id}/bien-ban.pdf").data)
    assert "PHƯỜNG HOÀN KIẾM" in text and "Tổ dân phố số 1" in text
    assert "Công an phường và công chức làm công tác trẻ em phường" in " ".join(text.split())
    assert "ĐẠI DIỆN CÔNG AN PHƯỜNG" in text
    assert "Công an xã" not in text and "CÔNG AN XÃ" not in text
