"""The code lists of DOMAIN §4, read through fieldapp.catalogue.services."""

import pytest

from fieldapp.catalogue import services as catalogue

RESTRICTED = {"DB05", "DB06", "DB08", "DB09", "DB10", "DB11", "DB12", "DB13", "K01"}


@pytest.fixture(autouse=True)
def request_context(app, db):
    with app.test_request_context():
        yield


def codes(list_name: str) -> list[str]:
    return [item.code for item in catalogue.items(list_name)]


def test_sex():
    assert catalogue.choices("sex") == [("1", "Nam"), ("2", "Nữ"), ("3", "Chưa xác định")]


def test_ethnicity():
    items = catalogue.items("ethnicity")
    assert len(items) == 56
    assert codes("ethnicity") == [f"{n:02d}" for n in range(1, 56)] + ["00"]
    for code, label in [("01", "Kinh"), ("29", "Khơ-mú"), ("33", "Kháng"), ("54", "Rơ-măm")]:
        assert catalogue.label("ethnicity", code) == label
    assert catalogue.exists("ethnicity", "55") and catalogue.exists("ethnicity", "00")


OLD_SPELLINGS = ("Căm Bốt", "Bắc Hàn, Cộng hoà Nhân dân Dân chủ", "Ac-mê-ni", "Bang-la-đesợ",
                 "Bợru-này Đa-ru-xa-làm")


def test_nationality():
    items = catalogue.items("nationality")
    assert [(item.code, item.label) for item in items[:6]] == [
        ("VN", "Việt Nam"), ("LA", "Lào"), ("KH", "Campuchia"), ("CN", "Trung Quốc"),
        ("SA", "Ả Rập Xê-út"), ("AF", "Afghanistan")]
    assert (items[-1].code, items[-1].label) == ("XX", "Không quốc tịch / không rõ")
    assert 240 <= len(items) <= 260
    assert catalogue.exists("nationality", "XX") and catalogue.exists("nationality", "LA")
    assert len(set(codes("nationality"))) == len(items)


@pytest.mark.parametrize(("code", "name"), [
    ("KR", "Hàn Quốc"), ("KP", "Triều Tiên"), ("AM", "Armenia"), ("BD", "Bangladesh"),
    ("BN", "Brunei"), ("TH", "Thái Lan"), ("US", "Hoa Kỳ")])
def test_nationality_names_are_cldr_vietnamese(code, name):
    assert catalogue.label("nationality", code) == name


def test_no_old_phonetic_spelling_is_left():
    labels = {item.label for item in catalogue.items("nationality")}
    assert not labels & set(OLD_SPELLINGS)


def test_nationalities_after_the_neighbours_follow_the_vietnamese_alphabet():
    labels = [item.label for item in catalogue.items("nationality")][4:-1]
    for before, after in [("Ấn Độ", "Ba Lan"), ("Bahrain", "Bắc Macedonia"),
                          ("Dominica", "Đài Loan"), ("Costa Rica", "Cộng hòa Dominica"),
                          ("Zambia", "Zimbabwe")]:
        assert labels.index(before) < labels.index(after), (before, after)


def test_schooling():
    assert codes("schooling_status") == [f"HT0{n}" for n in range(1, 9)]
    assert catalogue.label("schooling_status", "HT07") == "Đã bỏ học"


def test_circumstances_and_restricted_groups():
    expected = [f"DB{n:02d}" for n in range(1, 16)] + ["NC01", "NC02", "K01", "K02", "K03"]
    assert codes("circumstance") == expected
    restricted = {item.code for item in catalogue.items("circumstance") if item.restricted}
    assert restricted == RESTRICTED
    assert all(catalogue.is_restricted(code) == (code in RESTRICTED) for code in expected)
    blocks = {item.code: item.block for item in catalogue.items("circumstance")}
    assert (blocks["DB15"], blocks["NC02"], blocks["K03"]) == ("DB", "NC", "K")


@pytest.mark.parametrize(
    ("circumstance", "sizes"),
    [
        ("DB04", {"disability_type": 6, "disability_level": 3}),
        ("NC01", {"risk_reason": 9}),
        ("K03", {"injury_cause": 10}),
        ("DB01", {}),
        ("K02", {"injury_cause": 10}),
    ],
)
def test_detail_lists(circumstance, sizes):
    details = catalogue.detail_lists(circumstance)
    assert {name: len(options) for name, options in details.items()} == sizes
    owner = "K03" if circumstance == "K02" else circumstance  # K02 shares K03's causes
    for options in details.values():
        assert {option.parent for option in options} == {owner}


def test_injury_causes_start_with_drowning():
    causes = catalogue.detail_lists("K03")["injury_cause"]
    assert causes[0].label == "Đuối nước" and causes[-1].label == "Khác"


def test_a_death_from_injury_has_the_causes_of_issue_14():
    labels = {c.label for c in catalogue.detail_lists("K02")["injury_cause"]}
    assert labels >= {"Đuối nước", "Tai nạn giao thông", "Ngã", "Bỏng", "Điện giật",
                      "Ngộ độc", "Bạo lực", "Khác"}


def test_support_forms():
    assert codes("support_form") == [f"TG0{n}" for n in range(1, 7)]
    assert catalogue.label("support_form", "TG06") == "Tư vấn, trị liệu tâm lý"


@pytest.mark.parametrize(
    ("list_name", "code", "expected"),
    [("sex", "9", "9"), ("ethnicity", "99", "99"), ("no_such_list", "X1", "X1"), ("sex", None, "")],
)
def test_label_of_an_unknown_code_is_the_code(list_name, code, expected):
    assert catalogue.label(list_name, code) == expected
    assert catalogue.get(list_name, code) is None and not catalogue.is_restricted("ZZ99")
