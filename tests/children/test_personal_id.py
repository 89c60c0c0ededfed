"""The 12-digit personal ID number (DOMAIN §7) as a table of good and bad numbers."""

import pytest

from fieldapp.children.validators import check_adult_id, check_personal_id

LABEL = "Số định danh cá nhân"


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("014212345678", "1", 2012),  # Sơn La, boy born 2012
        ("001312000001", "2", 2012),  # Hà Nội, girl born 2012
        ("079220123456", "1", 2020),
        ("014212345678", "3", 2012),  # sex not known: 2 or 3
        ("014312345678", "3", 2012),
        ("014090123456", "1", 1990),  # 1900s: 0 boy, 1 girl
        ("014190123456", "2", 1990),
        ("096212345678", None, None),  # nothing known to compare with
    ],
)
def test_good_numbers(number, sex, year):
    check = check_personal_id(number, sex=sex, birth_year=year)
    assert check.errors == [] and check.warnings == []


@pytest.mark.parametrize(
    "number",
    [
        "01421234567", "0142123456789", "01421234567a", "014 12345678", "",
        "０１４２１２３４５６７８", "01421234567²",  # full-width, superscript: not 0-9
    ],
)
def test_not_twelve_digits(number):
    check = check_personal_id(number, sex="1", birth_year=2012)
    assert check.errors == [f"{LABEL} phải gồm đúng 12 chữ số."]


@pytest.mark.parametrize("number", ["003212345678", "999212345678", "000212345678"])
def test_unknown_province_is_a_warning(number):
    check = check_personal_id(number, sex="1", birth_year=2012)
    assert check.errors == []
    assert len(check.warnings) == 1
    assert LABEL in check.warnings[0] and number[:3] in check.warnings[0]


@pytest.mark.parametrize(
    ("number", "sex", "year", "must_be"),
    [
        ("014312345678", "1", 2012, "2"),  # a girl's digit on a boy
        ("014212345678", "2", 2012, "3"),
        ("014012345678", "1", 2012, "2"),  # 1900s digit, 2000s birth
        ("014290123456", "1", 1990, "0"),
        ("014390123456", "2", 1990, "1"),
        ("014012345678", "3", 2012, "2 hoặc 3"),
        ("014712345678", None, None, "0 hoặc 1 hoặc 2 hoặc 3 hoặc 4 hoặc 5"),
    ],
)
def test_digit_four_agrees_with_sex_and_century(number, sex, year, must_be):
    check = check_personal_id(number, sex=sex, birth_year=year)
    assert len(check.errors) == 1
    assert check.errors[0].startswith(f"{LABEL}: chữ số thứ 4 là {number[3]}")
    assert check.errors[0].endswith(f"(phải là {must_be}).")


@pytest.mark.parametrize(
    ("number", "year"),
    [("014213345678", 2012), ("014211345678", 2012), ("014220345678", 2002)],
)
def test_digits_five_six_agree_with_birth_year(number, year):
    check = check_personal_id(number, sex="1", birth_year=year)
    assert check.errors == [
        f"{LABEL}: chữ số thứ 5–6 là {number[4:6]}, không khớp năm sinh {year}."
    ]


def test_several_errors_at_once():
    check = check_personal_id("999315345678", sex="1", birth_year=2012)
    assert [e.split(",")[0] for e in check.errors] == [
        f"{LABEL}: chữ số thứ 4 là 3",
        f"{LABEL}: chữ số thứ 5–6 là 15",
    ]
    assert len(check.warnings) == 1


def test_label_names_the_field():
    check = check_personal_id("1", label="Số định danh người nuôi dưỡng")
    assert check.errors == ["Số định danh người nuôi dưỡng phải gồm đúng 12 chữ số."]


@pytest.mark.parametrize(
    ("number", "errors", "warnings"),
    [
        ("123456789", 0, 0),  # legacy CMND
        ("014085012345", 0, 0),
        ("999085012345", 0, 1),  # unknown province: flagged only
        ("1234567890", 1, 0),
        ("12345678", 1, 0),
        ("0140850123456", 1, 0),
        ("12345678a", 1, 0),
        ("１２３４５６７８９", 1, 0),
    ],
)
def test_adult_id(number, errors, warnings):
    check = check_adult_id(number, "Số định danh người nuôi dưỡng")
    assert (len(check.errors), len(check.warnings)) == (errors, warnings)
    assert all("Số định danh người nuôi dưỡng" in m for m in check.errors + check.warnings)
