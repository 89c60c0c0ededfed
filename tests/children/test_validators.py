"""The rules of a child record (DOMAIN §4), one table per rule: good and bad values, the
error's field path, and a Vietnamese message that names the field."""

import unicodedata
from datetime import date, timedelta

import pytest

from fieldapp.children.validators import validate_record
from tests.children.records import CAPTURE, MOTHER, record

pytestmark = pytest.mark.usefixtures("ctx")
TODAY = date.today()


def run(child=None, capture_date=CAPTURE, **sections):
    return validate_record(record(child, **sections), capture_date=capture_date)


def assert_one(result, path, label, fragment):
    """``fragment`` None: no error at ``path``; else one message naming ``label``."""
    if fragment is None:
        assert path not in result.errors, result.errors
    else:
        [message] = result.errors[path]
        assert label in message and fragment in message, message


def test_a_valid_record_is_clean():
    result = run()
    assert result.errors == {} and result.warnings == {}
    assert result.clean["child"]["date_of_birth"] == date(2015, 3, 4)
    assert result.clean["caregivers"] == [MOTHER]


@pytest.mark.parametrize(
    ("value", "clean", "fragment"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An", None),
        (unicodedata.normalize("NFD", "Nguyễn Văn An"), "Nguyễn Văn An", None),
        ("  Nguyễn   Văn\tAn ", "Nguyễn Văn An", None),
        ("nguyễn văn an", "Nguyễn Văn An", None),  # typed in lower case on a phone
        ("NGUYỄN VĂN AN", "Nguyễn Văn An", None),
        ("đặng thị mỹ", "Đặng Thị Mỹ", None),
        ("H'Hen Niê", "H'Hen Niê", None),
        ("Tú", "Tú", None),
        ("a" * 100, "A" + "a" * 99, None),
        ("Nguyễn Văn 2", None, "không có chữ số"),
        ("Nguyễn_Văn", None, "chỉ gồm chữ cái"),
        ("A", None, "từ 2 đến 100"),
        ("a" * 101, None, "từ 2 đến 100"),
        ("", None, "vui lòng nhập"),
        ("   ", None, "vui lòng nhập"),
        (None, None, "vui lòng nhập"),
    ],
)
def test_full_name(value, clean, fragment):
    result = run({"full_name": value})
    assert_one(result, "child.full_name", "Họ và tên", fragment)
    if clean:
        name = result.clean["child"]["full_name"]
        assert name == clean and unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("born", "capture", "fragment"),
    [
        ("2012-05-10", CAPTURE, None),
        (date(2012, 5, 10), CAPTURE, None),
        ("2025-06-01", CAPTURE, None),  # born on the day of capture
        ("2009-06-02", CAPTURE, None),  # 16 tomorrow
        ("2009-06-01", CAPTURE, "đủ 16 tuổi"),  # 16 today
        ("2005-01-01", CAPTURE, "đủ 16 tuổi"),
        ("2025-06-02", CAPTURE, "sau ngày thu thập"),
        (TODAY + timedelta(days=1), TODAY, "tương lai"),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=5), "tương lai"),
        ("2012-02-29", CAPTURE, None),
        ("2008-02-29", date(2024, 2, 28), None),
        ("2008-02-29", date(2024, 2, 29), "đủ 16 tuổi"),
        ("2013-02-29", CAPTURE, "không đúng định dạng"),
        ("10/05/2012", CAPTURE, "không đúng định dạng"),
        ("", CAPTURE, "vui lòng nhập"),
        (None, CAPTURE, "vui lòng nhập"),
    ],
)
def test_date_of_birth(born, capture, fragment):
    result = run({"date_of_birth": born, "personal_id": ""}, capture_date=capture)
    assert_one(result, "child.date_of_birth", "Ngày, tháng, năm sinh", fragment)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("1", None), ("2", None), ("3", None), (" 2 ", None), ("4", "mã 4 không có"),
     ("Nam", "mã Nam không có"), ("", "vui lòng chọn"), (None, "vui lòng chọn")],
)
def test_sex(value, fragment):
    result = run({"sex": value, "personal_id": ""})
    assert_one(result, "child.sex", "Giới tính", fragment)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("01", None), ("29", None), ("33", None), ("55", None), ("00", None),
     ("56", "mã 56 không có"), ("1", "mã 1 không có"), ("Kinh", "mã Kinh"),
     ("", "vui lòng chọn")],
)
def test_ethnicity(value, fragment):
    assert_one(run({"ethnicity_code": value}), "child.ethnicity_code", "Dân tộc", fragment)


@pytest.mark.parametrize(
    ("value", "clean", "fragment"),
    [("", "VN", None), (None, "VN", None), ("VN", "VN", None), ("LA", "LA", None),
     ("XX", "XX", None), ("ZZ", "ZZ", "mã ZZ không có"), ("VNM", "VNM", "mã VNM")],
)
def test_nationality(value, clean, fragment):
    result = run({"nationality": value})
    assert_one(result, "child.nationality", "Quốc tịch", fragment)
    assert result.clean["child"]["nationality"] == clean


@pytest.mark.parametrize(
    ("sex", "born", "number", "clean", "fragment"),
    [
        ("1", "2012-05-10", "014212345678", "014212345678", None),
        ("2", "2012-05-10", "014312345678", "014312345678", None),
        ("3", "2012-05-10", "014312345678", "014312345678", None),
        ("1", "2012-05-10", " 014 212.345.678 ", "014212345678", None),
        ("1", "2012-05-10", "014-212-345-678", "014212345678", None),
        ("1", "2012-05-10", "", None, None),
        ("1", "2012-05-10", "014312345678", "014312345678", "chữ số thứ 4"),
        ("2", "2013-01-01", "014312345678", "014312345678", "chữ số thứ 5–6"),
        ("1", "2012-05-10", "01421234567", "01421234567", "đúng 12 chữ số"),
        ("1", "2012-05-10", "01421234567X", "01421234567X", "đúng 12 chữ số"),
    ],
)
def test_child_personal_id(sex, born, number, clean, fragment):
    result = run({"sex": sex, "date_of_birth": born, "personal_id": number})
    assert_one(result, "child.personal_id", "Số định danh cá nhân", fragment)
    assert result.clean["child"]["personal_id"] == clean
    assert result.warnings == {}


def test_child_personal_id_unknown_province_is_only_a_warning():
    result = run({"personal_id": "003 215 012 345"})
    assert result.errors == {}
    [message] = result.warnings["child.personal_id"]
    assert "Số định danh cá nhân" in message and "003" in message
    assert result.clean["child"]["personal_id"] == "003215012345"


def _since(code, since="2024-01-01", until=None, **detail):
    return {"code": code, "since": since, "until": until, "detail": detail}


@pytest.mark.parametrize(
    ("caregivers", "circumstances", "needed"),
    [
        ([], [], True),
        ([MOTHER], [], False),
        ([], [_since("DB02")], False),  # abandoned
        ([], [_since("DB15")], False),  # migrant, parents unknown
        ([], [_since("DB02", until="2024-06-01")], True),  # no longer abandoned
        ([], [_since("DB02", until="2024-06-01"), _since("DB15", "2024-06-02")], False),
        ([], [_since("DB01")], True),  # an orphan still has someone
        ([], [_since("DB03")], True),
    ],
)
def test_caregiver_required_unless_abandoned_or_migrant(caregivers, circumstances, needed):
    result = run(caregivers=caregivers, circumstances=circumstances)
    fragment = "cần ít nhất một người" if needed else None
    assert_one(result, "caregivers", "Người nuôi dưỡng", fragment)
    assert set(result.errors) <= {"caregivers"}


@pytest.mark.parametrize(
    ("name", "value", "clean", "label", "fragment"),
    [
        ("relation", "father", "father", "Quan hệ với trẻ", None),
        ("relation", "guardian", "guardian", "Quan hệ với trẻ", None),
        ("relation", "other", "other", "Quan hệ với trẻ", None),
        ("relation", "uncle", "uncle", "Quan hệ với trẻ", "mã uncle không có"),
        ("relation", "", None, "Quan hệ với trẻ", "vui lòng chọn"),
        ("full_name", "lò văn bình", "Lò Văn Bình", "Họ tên người nuôi dưỡng", None),
        ("full_name", "", "", "Họ tên người nuôi dưỡng", "vui lòng nhập"),
        ("full_name", "Bình 2", "Bình 2", "Họ tên người nuôi dưỡng", "không có chữ số"),
        ("personal_id", "014185012345", "014185012345", "Số định danh người nuôi dưỡng", None),
        ("personal_id", "123.456.789", "123456789", "Số định danh người nuôi dưỡng", None),
        ("personal_id", "", None, "Số định danh người nuôi dưỡng", None),
        ("personal_id", "1234567890", "1234567890", "Số định danh người nuôi dưỡng",
         "9 chữ số nếu là CMND cũ"),
        ("phone", "0912345678", "0912345678", "Số điện thoại", None),
        ("phone", "0912 345 678", "0912345678", "Số điện thoại", None),
        ("phone", "+84912345678", "+84912345678", "Số điện thoại", None),
        ("phone", "", None, "Số điện thoại", None),
        ("phone", "12345", "12345", "Số điện thoại", "9 đến 12 chữ số"),
        ("phone", "09123abc78", "09123abc78", "Số điện thoại", "9 đến 12 chữ số"),
        ("phone", "０９１２３４５６７８", "０９１２３４５６７８", "Số điện thoại",
         "9 đến 12 chữ số"),  # full-width digits are not 0-9
    ],
)
def test_caregiver_fields(name, value, clean, label, fragment):
    father = {"relation": "father", "full_name": "Lò Văn Bình", name: value}
    result = run(caregivers=[MOTHER, father])
    assert_one(result, f"caregivers.1.{name}", label, fragment)
    assert result.clean["caregivers"][1][name] == clean
    assert not any(path.startswith("caregivers.0") for path in result.errors)


def test_caregiver_id_unknown_province_is_only_a_warning():
    result = run(caregivers=[{**MOTHER, "personal_id": "999185012345"}])
    assert result.errors == {}
    [message] = result.warnings["caregivers.0.personal_id"]
    assert "Số định danh người nuôi dưỡng" in message and "999" in message


DETAIL_LABELS = {"code": "Hoàn cảnh", "detail.disability_type": "dạng khuyết tật",
                 "detail.disability_level": "mức độ khuyết tật",
                 "detail.risk_reason": "lý do có nguy cơ",
                 "detail.injury_cause": "nguyên nhân thương tích"}


@pytest.mark.parametrize(
    ("code", "detail", "bad"),
    [
        ("DB01", {}, set()),
        ("DB04", {"disability_type": "KT01", "disability_level": "MD03"}, set()),
        ("DB04", {"disability_type": "KT01"}, {"detail.disability_level"}),
        ("DB04", {"disability_level": "MD01"}, {"detail.disability_type"}),
        ("DB04", {}, {"detail.disability_type", "detail.disability_level"}),
        ("DB04", {"disability_type": "MD01", "disability_level": "MD01"},
         {"detail.disability_type"}),  # a level is not a type
        ("NC01", {"risk_reason": "LD05"}, set()),
        ("NC01", {}, {"detail.risk_reason"}),
        ("K03", {"injury_cause": "NN01"}, set()),
        ("K03", {"injury_cause": "KT01"}, {"detail.injury_cause"}),
        ("K03", {}, {"detail.injury_cause"}),
        ("DB99", {}, {"code"}),
        ("", {}, {"code"}),
    ],
)
def test_circumstance_details(code, detail, bad):
    result = run(circumstances=[_since(code, **detail)])
    prefix = "circumstances.0."
    assert {path.removeprefix(prefix) for path in result.errors} == bad
    for path in bad:
        [message] = result.errors[prefix + path]
        assert DETAIL_LABELS[path] in message
    if not bad:
        assert result.clean["circumstances"][0]["detail"] == detail


def test_circumstance_without_details_drops_stray_ones():
    result = run(circumstances=[_since("DB01", risk_reason="LD01")])
    assert result.errors == {} and result.clean["circumstances"][0]["detail"] == {}


@pytest.mark.parametrize(
    ("since", "until", "path", "fragment"),
    [
        ("2024-01-01", None, "until", None),
        ("2024-01-01", "2024-01-01", "until", None),
        ("2024-01-01", "2023-12-31", "until", "Đến ngày phải sau từ ngày"),
        ("2025-06-01", None, "since", None),
        ("2025-06-02", None, "since", "Từ ngày không được sau ngày thu thập"),
        ("01/01/2024", None, "since", "Từ ngày: không đúng định dạng"),
        ("2024-01-01", "31/12/2024", "until", "Đến ngày: không đúng định dạng"),
    ],
)
def test_circumstance_dates(since, until, path, fragment):
    result = run(circumstances=[_since("DB01", since, until)])
    label = "Từ ngày" if path == "since" else "Đến ngày"
    assert_one(result, f"circumstances.0.{path}", label, fragment)


def test_circumstance_since_defaults_to_capture_date():
    result = run(circumstances=[{"code": "DB01"}])
    assert result.errors == {} and result.clean["circumstances"][0]["since"] == CAPTURE


@pytest.mark.parametrize(
    ("name", "value", "clean", "label", "fragment"),
    [
        ("form", "TG01", "TG01", "Hình thức trợ giúp", None),
        ("form", "TG06", "TG06", "Hình thức trợ giúp", None),
        ("form", "TG07", "TG07", "Hình thức trợ giúp", "mã TG07 không có"),
        ("form", "", None, "Hình thức trợ giúp", "vui lòng chọn"),
        ("date", "2025-06-01", date(2025, 6, 1), "Ngày trợ giúp", None),
        ("date", "2025-06-02", date(2025, 6, 2), "Ngày trợ giúp", "không được sau ngày thu thập"),
        ("date", "", None, "Ngày trợ giúp", "vui lòng nhập"),
        ("date", "1/5/2025", None, "Ngày trợ giúp", "vui lòng nhập ngày hợp lệ"),
        ("amount_vnd", "500.000", 500000, "Số tiền", None),
        ("amount_vnd", "1,200,000", 1200000, "Số tiền", None),
        ("amount_vnd", 750000, 750000, "Số tiền", None),
        ("amount_vnd", "0", 0, "Số tiền", None),
        ("amount_vnd", "", None, "Số tiền", None),
        ("amount_vnd", "-5", None, "Số tiền", "không âm"),
        ("amount_vnd", "-500.000", None, "Số tiền", "không âm"),
        ("amount_vnd", "năm trăm", None, "Số tiền", "số nguyên"),
        ("amount_vnd", "1.000.000.000.000", 10**12, "Số tiền", None),
        ("amount_vnd", "99999999999999999999", None, "Số tiền", "quá lớn"),  # past BIGINT
    ],
)
def test_support(name, value, clean, label, fragment):
    given = {"form": "TG01", "date": "2025-05-01", "provider": "Trạm y tế xã", name: value}
    result = run(support=[given])
    assert_one(result, f"support.0.{name}", label, fragment)
    assert result.clean["support"][0][name] == clean
