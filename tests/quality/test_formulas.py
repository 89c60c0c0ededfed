"""Formula injection: what a person typed reaches the cleaning lists' and the duplicates'
.xlsx as text, never as a live formula (fieldapp/spreadsheet.py)."""

import pytest

from tests.quality.test_matcher import register_child  # noqa: F401 - the fixture, by name
from tests.spreadsheets import FORMULA, RISKY, assert_text_only


@pytest.mark.parametrize("text", RISKY)
def test_a_cleaning_list(client, login, officer, add_child, village, db, text):
    child = add_child("Lò Văn Một", raw_personal_id=text[:12], raw_name=f"{text} Lò")
    child.caregivers[0].full_name = text
    village.name = text
    db.session.flush()
    login(officer)
    for name in ("wrong-id", "missing-basic"):
        answer = client.get(f"/quality/{name}.xlsx")
        assert answer.status_code == 200
        assert_text_only(answer.data, text, f"Mẹ: {text}", f"{text} Lò")


def test_the_duplicates(client, login, officer, register_child, village2, db):  # noqa: F811
    for child in (register_child(), register_child("Lo Van Thanh", place=village2)):
        child.caregivers[0].full_name = FORMULA  # typed before the rules refused it
    village2.name = FORMULA
    db.session.flush()
    login(officer)
    answer = client.get("/quality/duplicates/export.xlsx")
    assert answer.status_code == 200
    assert_text_only(answer.data, FORMULA, f"Mẹ: {FORMULA}")


def test_a_character_no_xlsx_can_hold_is_dropped(client, login, officer, add_child, db):
    child = add_child("Lò Văn Một", raw_personal_id="0143")
    child.caregivers[0].full_name = "Lường\x07 Thị Xuân"  # legacy data: once a 500
    db.session.flush()
    login(officer)
    answer = client.get("/quality/wrong-id.xlsx")
    assert answer.status_code == 200
    assert_text_only(answer.data, "Mẹ: Lường Thị Xuân")
