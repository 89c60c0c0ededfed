"""**In sổ theo dõi** (issue 14 §3.2): a household's child book as an A4 PDF — the household,
each child (active first, closed ones with why and when), caregivers, circumstances, support
— for the roles that see the restricted groups on screen, in their commune; audited as an
export of the household and of each child printed."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import household_book
from fieldapp.clock import VIETNAM
from tests.children.pages import TODAY, days_ago
from tests.factories import COMMUNE_B

SECRET = "hỗ trợ vụ xâm hại tình dục"


@pytest.fixture()
def family(add_child, officer_does):
    """Hộ Lò Văn Pọm (poor): Lò Thị Ánh (restricted DB12 current, an ended DB04, support),
    her brother Lò Văn Bình (TG01 support), and Lò Văn Cả, who moved away."""
    first = add_child(
        "Lò Thị Ánh", sex="2", pid=None, poverty="poor",
        caregivers=[{"relation": "father", "full_name": "Lò Văn Pọm", "phone": "0912345678"}],
        circumstances=[
            {"code": "DB04", "since": days_ago(900), "until": days_ago(300),
             "detail": {"disability_type": "KT01", "disability_level": "MD02"}},
            {"code": "DB12", "since": days_ago(90), "note": SECRET}],
        support=[{"form": "TG06", "date": days_ago(60), "provider": "Trung tâm CTXH tỉnh",
                  "note": SECRET}])
    household = first.household
    second = add_child("Lò Văn Bình", household_id=household.id,
                       caregivers=[{"relation": "mother", "full_name": "Lường Thị Xuân",
                                    "phone": "0987654321"}])
    officer_does("record_support", second, {"form": "TG01", "date": TODAY.isoformat(),
                                           "provider": "Trạm y tế xã", "amount_vnd": 150000})
    gone = add_child("Lò Văn Cả", household_id=household.id)
    officer_does("close_child", gone, "moved_away", None, "Theo mẹ về Hà Nội")
    return household


def _url(household) -> str:
    return f"/children/households/{household.id}/so-theo-doi.pdf"


def _text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def _entries(db, action) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


def test_the_book_is_an_a4_pdf_of_the_household(client, login, officer, family):
    login(officer)
    answer = client.get(_url(family))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    day = f"{datetime.now(UTC).astimezone(VIETNAM):%Y%m%d}"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="so-theo-doi-ho-{str(family.id)[:8]}-{day}.pdf"')
    assert answer.headers["Cache-Control"] == "no-store"
    reader = PdfReader(BytesIO(answer.data))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = _text(answer.data)
    for expected in ("SỔ THEO DÕI TRẺ EM TRONG HỘ GIA ĐÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "XÃ MƯỜNG LA", "Tỉnh/thành phố: Sơn La", "Bản Nà Sàng", "Lò Văn Pọm",
                     "Hộ nghèo/cận nghèo Nghèo",
                     "Lò Thị Ánh", "Lò Văn Bình", "Lò Văn Cả", "0912345678", "Lường Thị Xuân",
                     "DB04 · ", "DB12 · ", "TG06 · ", "Trung tâm CTXH tỉnh", "TG01 · ",
                     "Trạm y tế xã", "150.000", "Chuyển đi nơi khác", "(Ký, ghi rõ họ tên)",
                     f"Trang 1/{len(reader.pages)}"):
        assert expected in text, expected


def test_active_children_come_first_and_closed_ones_say_why_and_when(
        client, login, officer, family):
    login(officer)
    text = _text(client.get(_url(family)).data)
    assert text.index("Lò Thị Ánh —") < text.index("Lò Văn Cả —")
    assert text.index("Lò Văn Bình —") < text.index("Lò Văn Cả —")
    closed = text[text.index("Lò Văn Cả —"):]
    assert "Đã đóng" in closed and f"Chuyển đi nơi khác, ngày {TODAY:%d/%m/%Y}" in closed


@pytest.mark.parametrize(("role", "status"), [
    (roles.COMMUNE_OFFICER, 200),
    (roles.COMMUNE_LEADER, 200),
    (roles.COLLABORATOR, 403),
    (roles.VILLAGE_HEAD, 403),
    (roles.POLICE, 403),
    (roles.PROVINCE_VIEWER, 403),
    (roles.ADMIN, 403),
])
def test_who_may_print(client, db, login, make, village, family, role, status):
    places = [village] if role in roles.FIELD else None
    user = make.user(role, places) if places else make.user(role)
    login(user)
    answer = client.get(_url(family))
    assert answer.status_code == status
    if status == 200:  # both roles see the restricted groups on screen: so on paper
        text = _text(answer.data)
        assert "DB12 · " in text and "hạn chế" not in text
    else:
        assert _entries(db, "household_printed") == []
    if role in roles.FIELD or role == roles.COMMUNE_LEADER:  # the child page's link
        child = family.children[0]
        page = client.get(f"/children/{child.id}").get_data(as_text=True)
        assert (_url(family) in page) is (status == 200)


def test_another_communes_household_is_not_found(client, db, login, make, add_child, officer):
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    foreign = add_child("Lê Thị Xa", place=make.village(COMMUNE_B), actor=officer_b)
    login(officer)
    for path in (_url(foreign.household), "/children/households/not-a-uuid/so-theo-doi.pdf"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "Lê Thị Xa" not in answer.get_data(as_text=True)
    assert _entries(db, "household_printed") == []


def test_each_print_is_audited_as_an_export_without_personal_data(
        client, db, login, officer, family):
    login(officer)
    client.get(_url(family))
    printed = _entries(db, "household_printed")
    assert [(e.object_type, e.object_id, e.commune_code, e.detail) for e in printed] == [
        ("household", str(family.id), "03808", {"format": "pdf", "children": 3})]
    exported = _entries(db, "child_exported")
    assert {e.object_id for e in exported} == {str(c.id) for c in family.children}
    assert all(e.detail == {"format": "pdf", "household_book": str(family.id)}
               for e in exported)
    # each child's page lists the print among who exported the record
    page = client.get(f"/children/{family.children[0].id}").get_data(as_text=True)
    assert "xuất hồ sơ (PDF)" in page.split("Ai đã xem, xuất hồ sơ", 1)[1]
    log = client.get("/audit/?object_type=household").get_data(as_text=True)
    assert "In sổ theo dõi trẻ em của hộ" in log


def test_the_household_page_links_the_book(client, login, officer, family):
    login(officer)
    page = client.get(f"/children/households/{family.id}").get_data(as_text=True)
    assert f'href="{_url(family)}">In sổ theo dõi</a>' in page


def test_an_empty_household_prints_a_book_that_says_so(client, db, login, officer, family):
    for child in family.children:  # all three merged away (a book never lists a duplicate)
        child.closed_reason, child.closed_on = "merged", TODAY
    db.session.flush()
    login(officer)
    text = _text(client.get(_url(family)).data)
    assert "Hộ chưa có trẻ em nào trong sổ." in text and "Lò Thị Ánh" not in text


@pytest.mark.parametrize(("role", "sees"), [
    (roles.COMMUNE_OFFICER, True),
    (roles.COMMUNE_LEADER, True),
    (roles.VILLAGE_HEAD, False),
    (roles.COLLABORATOR, False),
])
def test_the_paper_shows_what_the_screen_shows(app, make, village, family, role, sees):
    """The book reads circumstances and support as the reader may see them: were a role that
    sees "hạn chế" on screen ever given the book, it would get "hạn chế" on paper too."""
    places = [village] if role in roles.FIELD else None
    reader = make.user(role, places) if places else make.user(role)
    with app.test_request_context():
        children = household_book.children_of(family, reader)
        text = _text(household_book.render(family, children, reader, datetime.now(UTC)))
    assert ("DB12 · Bị xâm hại tình dục" in text) is sees
    assert ("hạn chế" in text) is not sees
    assert ("Trung tâm CTXH tỉnh" in text) is sees  # support of a restricted child: hidden
    assert SECRET not in text  # notes are never printed


def test_a_dropout_and_an_ended_support_are_printed(client, db, login, officer, family):
    """What the review and the schooling rules record: a dropout's level and day, the end of
    an ongoing support."""
    child = next(c for c in family.children if c.full_name == "Lò Văn Bình")
    child.schooling_status, child.school_left_level = "HT07", "TH"
    child.school_left_on = datetime(2025, 6, 1).date()
    first = next(c for c in family.children if c.full_name == "Lò Thị Ánh")
    first.support[0].until = datetime(2026, 11, 30).date()
    db.session.commit()
    login(officer)
    text = _text(client.get(_url(family)).data)
    assert "Bỏ học" in text and "01/06/2025" in text
    assert "đến 30/11/2026" in text
