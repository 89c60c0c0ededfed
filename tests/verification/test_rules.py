"""The rules of one police result (validators.check_result) and of a spreadsheet's cells,
as tables."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from fieldapp.verification import imports, sheet
from fieldapp.verification.validators import check_result
from tests.submissions import BORN, child_id_number

BOY = child_id_number(BORN, "1")
SENT = {"full_name": "Lò Văn Thanh", "sex": "1", "date_of_birth": BORN.isoformat(),
        "ethnicity_code": "03", "village_code": "03808-001", "address": "Tổ 2",
        "personal_id": None,
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân",
                        "personal_id": None}]}
ITEM = SimpleNamespace(sent=SENT, position=1)


@pytest.fixture()
def check(app, db):
    def run(data, taken=None):
        with app.test_request_context():
            return check_result(ITEM, data, taken=taken)

    return run


@pytest.mark.parametrize(("data", "outcome", "clean"), [
    ({"verified_id": BOY}, "verified", {"verified_id": BOY, "corrections": None}),
    ({"verified_id": f"{BOY[:4]} {BOY[4:8]}.{BOY[8:]}"}, "verified", {"verified_id": BOY}),
    ({"verified_id": BOY, "corrections": {"full_name": "Lò Văn Thanh", "sex": "1"}},
     "verified", {"corrections": None}),  # values as sent are no correction
    ({"verified_id": BOY, "corrections": {"full_name": "  lò   văn thành "}}, "corrected",
     {"corrections": {"full_name": "Lò Văn Thành"}}),
    ({"verified_id": child_id_number(BORN, "2"), "corrections": {"sex": "2"}}, "corrected",
     {"corrections": {"sex": "2"}}),  # the number checked against the corrected sex
    ({"verified_id": BOY, "corrections": {"caregivers.0.personal_id": "014185000999",
                                          "address": ""}},
     "corrected", {"corrections": {"caregivers.0.personal_id": "014185000999"}}),
    ({"verified_id": BOY, "corrections": {"caregivers.5.full_name": "Ai Đó",
                                          "village_code": "03808-002"}},
     "verified", {"corrections": None}),  # not correctable: ignored
    ({"not_found": True, "note": " Chưa   đăng ký khai sinh "}, "not_found",
     {"verified_id": None, "note": "Chưa đăng ký khai sinh"}),
])
def test_accepted(check, data, outcome, clean):
    result = check(data)
    assert result.errors == {}
    assert result.clean["outcome"] == outcome
    for key, value in clean.items():
        assert result.clean[key] == value


@pytest.mark.parametrize(("data", "path", "message"), [
    ({"verified_id": ""}, "verified_id", "vui lòng nhập"),
    ({"verified_id": "01421" + "9" * 6}, "verified_id", "phải gồm đúng 12 chữ số"),
    ({"verified_id": "0142a9000111"}, "verified_id", "phải gồm đúng 12 chữ số"),
    ({"verified_id": "０１４" + BOY[3:]}, "verified_id", "phải gồm đúng 12 chữ số"),
    ({"verified_id": BOY[:3] + "0" + BOY[4:]}, "verified_id", "chữ số thứ 4 là 0"),
    ({"verified_id": BOY[:4] + "99" + BOY[6:]}, "verified_id", "chữ số thứ 5–6 là 99"),
    ({"verified_id": BOY, "corrections": {"sex": "2"}}, "verified_id", "chữ số thứ 4"),
    ({"verified_id": BOY, "corrections": {"sex": "7"}}, "sex", "không có trong danh mục"),
    ({"verified_id": BOY, "corrections": {"ethnicity_code": "77"}}, "ethnicity_code",
     "không có trong danh mục"),
    ({"verified_id": BOY, "corrections": {"date_of_birth": "31/02/2019"}}, "date_of_birth",
     "không đúng định dạng"),
    ({"verified_id": BOY, "corrections": {"date_of_birth": "2999-01-01"}}, "date_of_birth",
     "tương lai"),
    ({"verified_id": BOY, "corrections": {"full_name": "A"}}, "full_name", "từ 2 đến 100"),
    ({"verified_id": BOY, "corrections": {"address": "x" * 201}}, "address", "dài quá 200"),
    ({"verified_id": BOY, "note": "x" * 501}, "note", "dài quá 500"),
    ({"not_found": True}, "note", "lý do không tìm thấy"),
    ({"not_found": True, "note": "n", "verified_id": BOY}, "verified_id",
     "không ghi số định danh"),
    ({"not_found": True, "note": "n", "corrections": {"full_name": "Lò Văn Thành"}},
     "not_found", "không sửa thông tin"),
])
def test_refused(check, data, path, message):
    errors = check(data).errors
    assert path in errors and message in " ".join(errors[path]), errors


def test_warnings_and_taken_numbers(check):
    unknown = "003" + BOY[3:]
    result = check({"verified_id": unknown})
    assert result.errors == {} and "003 không có trong danh mục" in result.warnings[
        "verified_id"][0]
    assert check({"verified_id": BOY}, taken={BOY: 1}).errors == {}  # its own number
    assert "STT 4" in check({"verified_id": BOY}, taken={BOY: 4}).errors["verified_id"][0]


@pytest.mark.parametrize(("value", "text"), [
    (14219000111, "014219000111"), (14219000111.0, "014219000111"),
    (" 014219000111 ", "014219000111"), (None, ""), (1.5, "1.5"), (10**13, str(10**13)),
])
def test_number_cells(value, text):
    assert sheet.number_text(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (datetime(2019, 3, 5), "2019-03-05"), (date(2019, 3, 5), "2019-03-05"),
    ("5/3/2019", "2019-03-05"), ("05-03-2019", "2019-03-05"), ("05.03.2019", "2019-03-05"),
    ("31/02/2019", "31/02/2019"), ("2019-03-05", "2019-03-05"), ("hôm qua", "hôm qua"),
])
def test_date_cells(value, text):
    assert sheet.date_text(value) == text


@pytest.mark.parametrize(("value", "code"), [("Nam", "1"), ("nữ", "2"), ("2", "2"),
                                             ("Không rõ", "Không rõ")])
def test_sex_cells(app, db, value, code):
    with app.test_request_context():
        assert sheet.sex_code(value) == code


@pytest.mark.parametrize(("flag", "not_found"), [
    ("x", True), ("X", True), ("có", True), ("✓", True), (1, True),
    ("", False), (None, False), ("không", False), ("0", False), (0, False),
])
def test_not_found_cells(app, db, flag, not_found):
    with app.test_request_context():
        assert imports.data_of({"not_found": flag})["not_found"] is not_found
