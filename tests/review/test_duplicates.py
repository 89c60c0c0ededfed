"""Probable duplicates of a proposed new child among the commune's open records: which pairs
must be found and which must not."""

from datetime import date

import pytest

from fieldapp.auth import roles
from fieldapp.children import services as register
from fieldapp.review import duplicates
from tests.factories import COMMUNE_B
from tests.submissions import BORN, child_id_number

NUMBER = child_id_number()
OTHER_DAY = BORN.replace(day=1 if BORN.day != 1 else 2)  # same month and year
OTHER_YEAR = date(BORN.year - 2, BORN.month, min(BORN.day, 28))
SAME, NONE = "same", None  # the register child's household, or none named


def record(village, name="Lò Văn Thanh", born=BORN, personal_id=NUMBER,
           caregiver="Lường Thị Xuân", household_id=None) -> dict:
    out = {"child": {"full_name": name, "sex": "1", "date_of_birth": born,
                     "ethnicity_code": "03", "village_code": village.code,
                     "personal_id": personal_id},
           "household": {"head_name": "Lò Văn Pọm", "address": "Tổ 2"},
           "caregivers": [{"relation": "mother", "full_name": caregiver}]}
    if household_id:
        out["household_id"] = household_id
    return out


@pytest.fixture()
def thanh(app, db, officer, village):
    """The register's Lò Văn Thanh, with an identity number, a household and his mother."""
    with app.test_request_context():
        child = register.create_child(officer, record(village))
        db.session.flush()
    return child


def proposed(name, born, *, personal_id=None, household=None, caregiver="Hà Thị Lan",
             thanh=None) -> duplicates.Proposal:
    data = {"child": {"full_name": name, "date_of_birth": born.isoformat(),
                      "personal_id": personal_id},
            "household": {"id": str(thanh.household_id) if household == SAME else None},
            "caregivers": [{"full_name": caregiver}]}
    return duplicates.proposal("key", data)


CASES = [  # name, born, personal id, household, caregiver → found
    pytest.param("Lò Văn Thanh", BORN, None, NONE, "Hà Thị Lan", True, id="same-name-day"),
    pytest.param("Lo Van Thanh", BORN, None, NONE, "Hà Thị Lan", True, id="no-diacritics"),
    pytest.param("LÒ  VĂN THANH", BORN, None, NONE, "Hà Thị Lan", True, id="upper-spaces"),
    pytest.param("Thanh Lò Văn", BORN, None, NONE, "Hà Thị Lan", True, id="tokens-swapped"),
    pytest.param("Lò Văn Thanh", OTHER_DAY, None, NONE, "Hà Thị Lan", True,
                 id="same-name-year"),
    pytest.param("Lường Văn Thanh", BORN, None, NONE, "Hà Thị Lan", True,
                 id="close-name-same-day"),
    pytest.param("Lường Văn Thanh", OTHER_DAY, None, NONE, "Hà Thị Lan", False,
                 id="close-name-year-only"),
    pytest.param("Lò Văn Thiện", OTHER_DAY, None, SAME, "Hà Thị Lan", True,
                 id="year-and-household"),
    pytest.param("Lò Văn Thiện", OTHER_DAY, None, NONE, "Luong Thi Xuan", True,
                 id="year-and-caregiver"),
    pytest.param("Lò Văn Thiện", OTHER_DAY, None, NONE, "Hà Thị Lan", False,
                 id="year-but-no-family"),
    pytest.param("Lò Văn Thiện", OTHER_YEAR, None, SAME, "Lường Thị Xuân", False,
                 id="family-but-other-year"),
    pytest.param("Quàng Thị Nga", OTHER_YEAR, NUMBER, NONE, "Hà Thị Lan", True,
                 id="same-personal-id"),
    pytest.param("Quàng Thị Nga", OTHER_YEAR, f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:]}",
                 NONE, "Hà Thị Lan", True, id="same-personal-id-spaced"),
    pytest.param("Quàng Thị Nga", OTHER_YEAR, f"{NUMBER[:3]}.{NUMBER[3:6]}-{NUMBER[6:]}",
                 NONE, "Hà Thị Lan", True, id="same-personal-id-dotted"),
    pytest.param("Lò Thị Mai", OTHER_YEAR, None, NONE, "Hà Thị Lan", False,
                 id="other-year-other-name"),
    pytest.param("Lò Văn Thanh", OTHER_YEAR, None, NONE, "Hà Thị Lan", False,
                 id="namesake-other-year"),
    pytest.param("Lò Thị Mai", OTHER_DAY, None, SAME, "Lường Thị Xuân", False,
                 id="sister-same-household"),
    pytest.param("Lò Văn Chanh", BORN, None, SAME, "Lường Thị Xuân", False,
                 id="twin-brother"),
]


@pytest.mark.parametrize("name, born, personal_id, household, caregiver, found", CASES)
def test_probable_duplicates(thanh, name, born, personal_id, household, caregiver, found):
    p = proposed(name, born, personal_id=personal_id, household=household,
                 caregiver=caregiver, thanh=thanh)
    matches = duplicates.find(thanh.commune_code, [p])
    assert [m.child_id for m in matches.get("key", [])] == ([thanh.id] if found else [])


def test_a_match_says_why(thanh):
    [match] = duplicates.find(thanh.commune_code, [
        proposed("Lo Van Thanh", BORN, personal_id=NUMBER, household=SAME, thanh=thanh,
                 caregiver="Lường Thị Xuân")])["key"]
    assert (match.full_name, match.date_of_birth, match.village_code, match.score) == (
        "Lò Văn Thanh", BORN, thanh.village_code, 100)
    assert match.reasons == ["Trùng số định danh", "Cùng họ tên", "Cùng ngày sinh",
                             "Cùng hộ gia đình", "Cùng tên người nuôi dưỡng"]


def test_a_closed_record_is_no_duplicate(thanh, officer_does):
    officer_does("close_child", thanh, "moved_away", None)
    p = proposed("Lò Văn Thanh", BORN, personal_id=NUMBER, thanh=thanh)
    assert duplicates.find(thanh.commune_code, [p]) == {}


def test_another_communes_child_is_no_duplicate(app, db, make, far_village):
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    with app.test_request_context():
        stranger = register.create_child(officer_b, record(far_village))
        db.session.flush()
    p = proposed("Lò Văn Thanh", BORN, personal_id=NUMBER, thanh=stranger)
    assert duplicates.find("03808", [p]) == {}
    assert duplicates.find(COMMUNE_B, [p])["key"][0].child_id == stranger.id


def test_many_proposals_in_one_pass_best_first(app, db, thanh, officer, village2):
    with app.test_request_context():
        namesake = register.create_child(officer, record(
            village2, name="Lường Văn Thanh", personal_id=None, caregiver="Hà Thị Lan"))
        db.session.flush()
    ours = duplicates.proposal("a", {"child": {"full_name": "Lò Văn Thanh",
                                               "date_of_birth": BORN.isoformat()}})
    nobody = duplicates.proposal("b", {"child": {"full_name": "Cầm Thị Hoa",
                                                 "date_of_birth": OTHER_YEAR.isoformat()}})
    undated = duplicates.proposal("c", {"child": {"full_name": "Lò Văn Thanh",
                                                  "date_of_birth": "không rõ"}})
    matches = duplicates.find(thanh.commune_code, [ours, nobody, undated])
    assert set(matches) == {"a"}
    assert [m.child_id for m in matches["a"]] == [thanh.id, namesake.id]
    assert matches["a"][0].score > matches["a"][1].score
