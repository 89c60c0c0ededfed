"""The blank collection sheet (*Phiếu thu thập thông tin trẻ em*, issue 14 §3.2): an A4 PDF of
the record's fields and the code lists, the commune and village printed in, for the roles that
collect and the officer."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from fieldapp import roles
from fieldapp.children import record
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B

URL = "/collect/phieu-trang.pdf"


def _reader(answer) -> PdfReader:
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/pdf"
    return PdfReader(BytesIO(answer.data))


def _text(answer) -> str:
    return "\n".join(page.extract_text() for page in _reader(answer).pages)


def test_the_sheet_is_an_a4_pdf_of_the_records_fields(client, login, officer):
    login(officer)
    answer = client.get(URL)
    reader = _reader(answer)
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # cells wrap
    for path in ("child.full_name", "child.sex", "child.date_of_birth", "child.ethnicity_code",
                 "child.nationality", "child.personal_id", "child.schooling_status",
                 "child.current_residence", "child.address", "household.head_name",
                 "household.address", "household.poverty_status", "caregivers.relation",
                 "caregivers.phone", "circumstances.code", "circumstances.since",
                 "supports.code", "supports.provider", "supports.amount"):
        assert record.label(path) in text or record.heading(path) in text, path
    for expected in ("PHIẾU THU THẬP THÔNG TIN TRẺ EM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Trẻ thứ 1", "Trẻ thứ 3", "NGƯỜI THU THẬP", "(Ký, ghi rõ họ tên)",
                     "BẢNG MÃ", "08 HMông", "23 Bru-Vân Kiều", "HT07 Đã bỏ học", "DB04",
                     "Khuyết tật", "DB12*", "NC02", "K03", "KT01 Vận động", "TG05",
                     "Trợ giúp thường xuyên", "Người giám hộ"):
        assert expected in text, expected
    assert "Trẻ thứ 4" not in text
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("role", "status"), [
    (roles.COLLABORATOR, 200),
    (roles.VILLAGE_HEAD, 200),
    (roles.COMMUNE_OFFICER, 200),
    (roles.COMMUNE_LEADER, 403),
    (roles.POLICE, 403),
    (roles.PROVINCE_VIEWER, 403),
    (roles.ADMIN, 403),
])
def test_who_may_print(client, login, make, village, role, status):
    places = [village] if role in roles.FIELD else None
    login(make.user(role, places) if places else make.user(role))
    assert client.get(URL).status_code == status


@pytest.mark.parametrize(("who", "query", "commune", "place"), [
    # a village head's own village, printed in without asking
    ("head", "", "Xã Mường La", "Bản Nà Sàng (mã 03808-001)"),
    # a collaborator of two villages chooses one
    ("collab2", "?village=03808-002", "Xã Mường La", "Bản Pá Múa (mã 03808-002)"),
    ("collab2", "", "Xã Mường La", None),
    # the officer: the commune, and a village of it when asked
    ("officer", "", "Xã Mường La", None),
    ("officer", "?village=03808-002", "Xã Mường La", "Bản Pá Múa (mã 03808-002)"),
])
def test_the_commune_and_village_are_printed_in(client, login, make, officer, village, village2,
                                                who, query, commune, place):
    users = {"head": lambda: make.user(roles.VILLAGE_HEAD, [village]),
             "collab2": lambda: make.user(roles.COLLABORATOR, [village, village2]),
             "officer": lambda: officer}
    login(users[who]())
    answer = client.get(URL + query)
    text = _text(answer)
    assert commune in text and "Tỉnh/thành phố Sơn La" in text
    assert f"{commune} (mã 03808)" in text
    if place:
        assert place in text
        assert place.split(" (")[1].rstrip(")").removeprefix("mã ") in (
            answer.headers["Content-Disposition"])
    else:
        assert "Bản Nà Sàng" not in text and "Bản Pá Múa" not in text


@pytest.mark.parametrize("query", ["?village=21004-001", "?village=nowhere"])
def test_a_village_not_of_the_user_is_not_found(client, login, make, village, village2,
                                                far_village, query):
    login(make.user(roles.COLLABORATOR, [village]))
    assert client.get(URL + query).status_code == 404
    assert client.get(URL + "?village=" + village2.code).status_code == 404  # not theirs


@pytest.mark.parametrize(("query", "blocks"), [
    ("?so_tre=1", 1), ("?so_tre=6", 6), ("?so_tre=60", 6), ("?so_tre=0", 1),
    ("?so_tre=abc", 3), ("?so_tre=-2", 3),
])
def test_the_number_of_child_blocks(client, login, officer, query, blocks):
    login(officer)
    text = _text(client.get(URL + query))
    assert f"Trẻ thứ {blocks}" in text and f"Trẻ thứ {blocks + 1}" not in text


def test_another_communes_officer_gets_their_own_commune(client, login, make, far_village):
    login(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    text = _text(client.get(URL))
    assert "Xã Tam Mỹ" in text and "Mường La" not in text


def test_where_the_sheet_is_linked(client, login, make, officer, village, village2):
    login(make.user(roles.COLLABORATOR, [village, village2]))
    home = client.get("/").get_data(as_text=True)
    for v in (village, village2):  # one link per village of the worker's
        assert f'href="{URL}?village={v.code}">{v.name}</a>' in home
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(officer)
    assert f'href="{URL}"' in client.get("/").get_data(as_text=True)
    households = client.get(f"/children/households?village={village2.code}")
    assert f'href="{URL}?village={village2.code}"' in households.get_data(as_text=True)
