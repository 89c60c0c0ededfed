"""How the import reads a header and a cell (``children.import_columns``,
``children.import_values``): headers guessed, dates, sexes, ethnicities, villages, ID
numbers, parents and circumstances as communes type them."""

from datetime import date, datetime

import pytest

from fieldapp.children import import_values, imports, table
from fieldapp.children.import_columns import guess, guess_pair
from fieldapp.children.import_values import Lookups, day_of, number_text
from tests.children.import_sheets import cp1258


@pytest.mark.parametrize(("header", "field"), [
    ("Họ và tên", "full_name"), ("HỌ VÀ TÊN TRẺ EM (ghi đầy đủ)", "full_name"),
    ("Ngày, tháng, năm sinh", "date_of_birth"), ("Năm sinh", "date_of_birth"),
    ("Giới tính", "sex"), ("Dân tộc", "ethnicity"), ("Số định danh", "personal_id"),
    ("Số CCCD", "personal_id"), ("Mã định danh cá nhân", "personal_id"),
    ("Thôn", "village"), ("Thôn/Bản", "village"), ("Tổ dân phố", "village"),
    ("Họ tên cha", "father"), ("Họ và tên mẹ", "mother"), ("Họ tên cha/mẹ", "parents"),
    ("Chủ hộ", "head"), ("Họ tên chủ hộ", "head"), ("Hoàn cảnh", "circumstances"),
    ("Hoàn cảnh đặc biệt (mã)", "circumstances"), ("Hộ nghèo/cận nghèo", "poverty"),
    ("Người giám hộ", "guardian"), ("Số điện thoại", "phone"), ("STT", ""), ("Ghi chú", ""),
    ("Ho va ten", "full_name"), ("Dan toc", "ethnicity"), ("Ngay sinhh", "date_of_birth"),
])
def test_headers_are_guessed_without_case_or_diacritics(header, field):
    assert guess(header) == field


def test_a_merged_header_reads_its_sub_headers():
    assert guess_pair("Họ tên cha/mẹ", "Cha") == "father"
    assert guess_pair("Họ tên cha/mẹ", "Mẹ") == "mother"
    assert guess_pair("Giới tính", "Nam") == "male"
    assert guess_pair("Ngày sinh", "Nữ") == "female"  # the date written under Nam or Nữ
    assert guess_pair("Địa chỉ", "Thôn") == "village"
    assert guess_pair("Họ và tên", "Họ và tên") == "full_name"  # merged down two rows


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2016, 3, 4), (date(2016, 3, 4), "day")),
    (date(2016, 3, 4), (date(2016, 3, 4), "day")),
    ("04/03/2016", (date(2016, 3, 4), "day")), ("4/3/2016", (date(2016, 3, 4), "day")),
    ("04-03-2016", (date(2016, 3, 4), "day")), ("04.03.2016", (date(2016, 3, 4), "day")),
    ("2016-03-04", (date(2016, 3, 4), "day")), ("ngày 4 tháng 3 năm 2016", (date(2016, 3, 4),
                                                                              "day")),
    (42433, (date(2016, 3, 4), "day")), (42433.0, (date(2016, 3, 4), "day")),
    (2016, (date(2016, 1, 1), "year")), ("2016", (date(2016, 1, 1), "year")),
    ("3/2016", (date(2016, 3, 1), "month")),
])
def test_birth_dates_typed_every_way(value, expected):
    assert day_of(value)[:2] == expected


@pytest.mark.parametrize(("value", "problem"), [
    ("31/02/2016", "không phải ngày có thật"), ("04/03/16", "năm sinh cần đủ 4 chữ số"),
    ("mùa xuân", "không phải ngày"), (True, "không phải ngày"),
])
def test_what_is_no_date_says_why(value, problem):
    born, _, said = day_of(value)
    assert born is None and problem in said


def test_id_numbers_keep_their_zeros():
    assert number_text(14216000111) == ("014216000111", None)  # a number cell
    assert number_text(14216000111.0) == ("014216000111", None)
    assert number_text("014 216 000 111") == ("014216000111", None)
    assert number_text("14216000111") == ("014216000111", "zeros")  # a CSV of that cell
    assert number_text("1,42E+10")[1] == "scientific"


def test_one_column_of_parents_is_read_person_by_person():
    assert import_values.people_of("Cha: Lò Văn Pọm; Mẹ: Lường Thị Xuân", "other") == [
        ("father", "Lò Văn Pọm"), ("mother", "Lường Thị Xuân")]
    assert import_values.people_of("Lò Văn Pọm - Lường Thị Xuân", "other") == [
        ("father", "Lò Văn Pọm"), ("mother", "Lường Thị Xuân")]
    assert import_values.people_of("Giàng A Chư (bố)\nSùng Mỷ", "other") == [
        ("father", "Giàng A Chư"), ("other", "Sùng Mỷ")]


def test_lists_split_on_commas_outside_details():
    assert import_values.split_list("DB04 (Vận động, Nặng); NC01: Cha mẹ đi làm ăn xa\nK03") == [
        "DB04 (Vận động, Nặng)", "NC01: Cha mẹ đi làm ăn xa", "K03"]
    assert import_values.split_list("DB01, DB04") == ["DB01", "DB04"]


def test_codes_and_names_from_the_lists(app, db, officer, village):
    with app.test_request_context():
        lookups = Lookups(officer)
        for value, code in (("Thái", "03"), ("THAI", "03"), ("H'Mông", "08"), ("Mông", "08"),
                            ("Hmong", "08"), ("Khmer", "05"), ("Khơ-me", "05"), (8, "08"),
                            ("08", "08"), ("Kinh", "01"), ("Khơ Mú", "29")):
            assert lookups.code(lookups.ethnicities, "ethnicity", value)[0] == code, value
        assert lookups.code(lookups.ethnicities, "ethnicity", "Thaii")[1]  # close: a warning
        assert lookups.code(lookups.ethnicities, "ethnicity", "Tây Ban Nha") == (None, None)
        assert lookups.code(lookups.nationalities, "nationality", "Việt Nam")[0] == "VN"
        for value in ("Bản Nà Sàng", "Nà Sàng", "na sang", "Thôn Nà Sàng", "NÀ SÀNG"):
            assert lookups.village(value) == (village, None), value
        found, said = lookups.village("Nà Sàngg")
        assert found == village and "tên gần giống" in said
        assert lookups.village("Pá Múa") == (None, None)
        assert lookups.section("I. BẢN NÀ SÀNG") == village
        rows, problems = import_values.circumstance_rows(
            "Khuyết tật (vận động, nặng); NC01: Cha mẹ đi làm ăn xa; K03 (Đuối nước), XYZ",
            lookups)
        assert [(r["code"], r["detail"]) for r in rows] == [
            ("DB04", {"disability_type": "KT01", "disability_level": "MD02"}),
            ("NC01", {"risk_reason": "LD05"}), ("K03", {"injury_cause": "NN01"})]
        assert problems == ["Hoàn cảnh «XYZ» không có trong danh mục (ghi mã như DB04 hoặc "
                            "tên nhóm)."]


def test_csv_text_in_the_encodings_of_vietnamese_windows():
    assert table.decode(cp1258("Lò Văn Ánh;Đặng Thị Hường")) == "Lò Văn Ánh;Đặng Thị Hường"
    assert table.decode("Ánh".encode("utf-8-sig")) == "Ánh"
    assert table.sniff(["a;b;c", "1;2,5;3"]) == ";"
    assert table.sniff(["a\tb", "1\t2"]) == "\t"
    assert table.sniff(["chỉ một cột"]) == ","


def test_a_cell_with_a_character_no_field_may_hold(app, db, officer, village):
    body = ("Họ và tên;Ngày sinh;Giới tính;Dân tộc;Thôn;Họ tên mẹ\r\n"
            "Lò Văn\x0bAn;04/03/2016;Nam;Thái;Nà Sàng;Lường Thị Xuân\r\n")
    with app.test_request_context():
        found = imports.preview(officer, body.encode(), "a.csv")
    assert [(p.row, p.column, p.message) for p in found.problems] == [
        (2, 0, "Họ và tên: có ký tự không hợp lệ.")]
