"""The one table of the duplicate scorer (``children.matching``): which pairs of children must
and must not be probable duplicates (Vietnamese names with and without diacritics), and how
the score reads. The register's scan (``tests/quality/test_matcher.py``) and the review's
check of proposed children (``tests/review/test_duplicates.py``) run the same table through
their own reads."""

from datetime import date

import pytest

from fieldapp.children import matching
from fieldapp.children.search import fold

TODAY = date.today()
BORN = date(TODAY.year - 6, 5, 3)  # 3 May: the day and month can be swapped
MOTHER = "Lường Thị Xuân"


def facts(name="Lò Văn Thanh", *, born=BORN, sex="1", village="03808-001", household="h1",
          pid=None, carers=(MOTHER,), key=None):
    return matching.Facts(key or name, name, fold(name), sex, born, village, household, pid,
                         tuple(fold(c) for c in carers))


NUMBER = f"0142{BORN.year % 100:02d}001234"
THANH = facts(pid=NUMBER)
OTHER_DAY = BORN.replace(day=1)  # same month and year
OTHER_YEAR = BORN.replace(year=BORN.year - 2)
LAN = ("Hà Thị Lan",)  # not his mother
SPACED = f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:]}"  # as typed on a phone
DOTTED = f"{NUMBER[:3]}.{NUMBER[3:6]}-{NUMBER[6:]}"


def pair(probable, id, name="Lò Văn Thanh", **other):
    return pytest.param(dict(name=name, **other), probable, id=id)


# The other record of "Lò Văn Thanh" (born BORN, Bản 1, household h1, mother Lường Thị Xuân,
# with an ID number; the other record has none unless said) → probable or not. The rows of
# the review's old rules ("proposal-…") are the proposed children they checked, with the sex
# and village every submission carries; the three they found and this scorer does not are
# marked "was: probable" (a different family or given name is another child: twins).
PAIRS = [
    pair(True, "same-record"),
    pair(True, "no-diacritics", "Lo Van Thanh"),
    pair(True, "upper-case-spaces", "LÒ  VĂN THANH"),
    pair(True, "given-name-first", "Thanh Lò Văn"),
    pair(True, "middle-name-left-out", "Lò Thanh"),
    pair(True, "other-middle-name", "Lò Đức Thanh"),
    pair(True, "van-thi-weighed-lightly", "Lò Thị Thanh"),
    pair(True, "thi-no-diacritics", "Lo Thi Thanh", household="h2"),
    pair(True, "day-month-swapped", born=BORN.replace(day=5, month=3)),
    pair(True, "same-month-year", born=BORN.replace(day=20)),
    pair(True, "other-village-same-day", village="03808-002"),
    pair(True, "same-id-number", "Quàng Thị Nga", sex="2", pid=NUMBER),
    pair(False, "same-name-other-birth-year", born=BORN.replace(year=BORN.year - 1)),
    pair(False, "twin-brother-close-name", "Lò Văn Chanh"),
    pair(False, "twin-brother", "Lò Văn Bình"),
    pair(False, "twin-sister-van-thi", "Lò Thị Thanh", sex="2"),
    pair(False, "other-sex", sex="2"),
    pair(False, "other-family-name", "Lường Văn Thanh"),
    pair(False, "two-other-id-numbers", pid="014220009999"),
    pair(False, "same-year-only-other-mother", born=BORN.replace(month=11), carers=LAN,
         household="h2"),
    pair(True, "proposal-same-name-day", household=None, carers=LAN),
    pair(True, "proposal-no-diacritics", "Lo Van Thanh", household=None, carers=LAN),
    pair(True, "proposal-upper-spaces", "LÒ  VĂN THANH", household=None, carers=LAN),
    pair(True, "proposal-tokens-swapped", "Thanh Lò Văn", household=None, carers=LAN),
    pair(True, "proposal-same-name-year", born=OTHER_DAY, household=None, carers=LAN),
    pair(False, "proposal-close-name-same-day (was: probable)", "Lường Văn Thanh",
         household=None, carers=LAN),
    pair(False, "proposal-close-name-year-only", "Lường Văn Thanh", born=OTHER_DAY,
         household=None, carers=LAN),
    pair(False, "proposal-year-and-household (was: probable)", "Lò Văn Thiện", born=OTHER_DAY,
         carers=LAN),
    pair(False, "proposal-year-and-caregiver (was: probable)", "Lò Văn Thiện", born=OTHER_DAY,
         household=None, carers=("Luong Thi Xuan",)),
    pair(False, "proposal-year-but-no-family", "Lò Văn Thiện", born=OTHER_DAY, household=None,
         carers=LAN),
    pair(False, "proposal-family-but-other-year", "Lò Văn Thiện", born=OTHER_YEAR),
    pair(True, "proposal-same-personal-id", "Quàng Thị Nga", sex="2", born=OTHER_YEAR,
         pid=NUMBER, household=None, carers=LAN),
    pair(True, "proposal-same-personal-id-spaced", "Quàng Thị Nga", sex="2", born=OTHER_YEAR,
         pid=SPACED, household=None, carers=LAN),
    pair(True, "proposal-same-personal-id-dotted", "Quàng Thị Nga", sex="2", born=OTHER_YEAR,
         pid=DOTTED, household=None, carers=LAN),
    pair(False, "proposal-other-year-other-name", "Lò Thị Mai", sex="2", born=OTHER_YEAR,
         household=None, carers=LAN),
    pair(False, "proposal-namesake-other-year", born=OTHER_YEAR, household=None, carers=LAN),
    pair(False, "proposal-sister-same-household", "Lò Thị Mai", sex="2", born=OTHER_DAY),
    pair(False, "proposal-twin-brother", "Lò Văn Chanh"),
    pair(True, "proposal-sex-missing", sex="", household=None, carers=LAN),
]


@pytest.mark.parametrize("other, probable", PAIRS)
def test_pairs_that_must_and_must_not_match(other, probable):
    other = facts(**other)
    verdict = matching.score(THANH, other)
    assert verdict.probable is probable, (verdict.score, verdict.reasons)
    assert matching.score(other, THANH).score == verdict.score  # either way round


def test_reasons_are_vietnamese_and_say_why():
    assert matching.score(THANH, facts()).reasons == [
        "Cùng họ tên", "Cùng ngày sinh", "Cùng thôn/bản", "Cùng hộ gia đình",
        "Cùng tên người nuôi dưỡng"]
    assert matching.score(THANH, facts()).score == 100
    assert matching.score(THANH, facts(pid=NUMBER)).reasons[0] == "Trùng số định danh"
    assert matching.score(THANH, facts("Lo Van Thanh")).reasons[0] == (
        "Cùng họ tên (khác dấu, chữ hoa)")
    assert matching.score(THANH, facts("Thanh Lò Văn")).reasons[0] == "Cùng họ tên, khác thứ tự"
    assert matching.score(THANH, facts("Lò Thị Thanh")).reasons[0] == (
        "Chỉ khác tên đệm (Văn/Thị)")
    assert matching.score(THANH, facts("Lò Thanh")).reasons[0] == "Chỉ khác tên đệm (Văn/—)"
    other = matching.score(THANH, facts(sex="2", village="03808-002", pid="014220009999",
                                       born=BORN.replace(year=BORN.year - 2)))
    assert {"Khác giới tính", "Khác thôn/bản", "Khác số định danh", "Khác năm sinh"} <= set(
        other.reasons)
    assert other.score < 20


def test_middle_names_weigh_less_than_given_names():
    same = matching.score(THANH, facts()).score
    middle = matching.score(THANH, facts("Lò Thị Thanh")).score
    given = matching.score(THANH, facts("Lò Văn Chanh")).score
    assert same > middle >= matching.PROBABLE > given
    # "Minh" is a middle name in "Nguyễn Minh Đức" but the given name in "Lê Văn Minh".
    assert matching.score(facts("Nguyễn Minh Đức"), facts("Nguyễn Hữu Đức")).probable
    assert not matching.score(facts("Lê Văn Minh"), facts("Lê Văn Đức")).probable


def test_van_with_its_diacritics_is_a_given_name():
    ngoc = matching.score(facts("Lò Thị Ngọc Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    van = matching.score(facts("Lò Thị Vân Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    bare = matching.score(facts("Lo Thi Van Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    assert ngoc.reasons[0] == "Chỉ khác tên đệm (Ngọc/—)" and ngoc.score == bare.score
    assert van.reasons[0] == "Tên gần giống (80%)" and van.score < ngoc.score


def test_weaker_birth_dates_need_the_rest_to_agree():
    swapped = BORN.replace(day=5, month=3)
    assert matching.score(THANH, facts(born=swapped)).probable
    assert not matching.score(THANH, facts(born=swapped, village="03808-002", carers=())).probable
    same_year = BORN.replace(month=12)
    assert matching.score(THANH, facts(born=same_year)).score == matching.PROBABLE
    assert not matching.score(THANH, facts("Lò Thanh", born=same_year)).probable


def test_another_village_scores_lower_but_still_matches():
    here = matching.score(THANH, facts()).score
    there = matching.score(THANH, facts(village="03808-002"))
    assert there.probable and there.score < here
    assert "Khác thôn/bản" in there.reasons
