"""Nhập danh sách trẻ em từ tệp: a messy real-looking workbook previewed (each problem at its
row and column, the probable duplicates), confirmed (exactly the good rows, with households,
caregivers, circumstances and the history note, in one transaction, once), the officer's
choices, and who may do it."""

import hashlib
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEntry
from fieldapp.children import batch
from fieldapp.children.models import Child, ChildChange, ChildImport, Household
from fieldapp.db import utcnow
from fieldapp.errors import ValidationFailed
from tests.children.import_sheets import (
    DUPLICATE_IN_FILE,
    DUPLICATE_OF_REGISTER,
    ERRORS,
    GOOD,
    REGISTER_TWIN,
    fingerprint,
    messy_workbook,
    upload,
    upload_id,
    workbook,
)
from tests.conftest import csrf_token


@pytest.fixture()
def register_twin(add_child, village):
    """The register child the messy workbook's row 14 repeats."""
    return add_child(REGISTER_TWIN["full_name"], born=REGISTER_TWIN["born"].isoformat())


@pytest.fixture()
def previewed(client, login, officer, village, village2, register_twin):
    """The messy workbook uploaded by the officer: its upload id and preview page."""
    login(officer)
    key = upload_id(upload(client, messy_workbook()))
    page = client.get(f"/children/import/{key}")
    assert page.status_code == 200
    return key, page.get_data(as_text=True)


def children(db) -> dict[str, Child]:
    return {c.full_name: c for c in db.session.scalars(select(Child))}


def confirm(client, key: str, html: str, **extra):
    token = csrf_token(client, f"/children/import/{key}")
    return client.post(f"/children/import/{key}/confirm",
                       data={"csrf_token": token, "fingerprint": fingerprint(html), **extra})


def problem_rows(html: str) -> list[tuple[str, str, str]]:
    """(row, column, text) of the problems table."""
    section = html[html.index('id="import-problems"'):]
    section = section[:section.index("</table>")]
    out = []
    for cells in re.findall(r"<tr[^>]*>\s*(<td.*?)</tr>", section, re.S):
        values = [re.sub(r"<[^>]+>", "", v).strip()
                  for v in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
        out.append((values[0], values[1], values[3]))
    return out


def test_the_preview_shows_each_problem_at_its_row_and_column_and_writes_nothing(
        previewed, db):
    key, html = previewed
    found = problem_rows(html)
    errors = {(row, column.split(" ")[0]) for row, column, text in found if text.startswith("Lỗi")}
    assert errors == {(str(row), column) for row, column in ERRORS.items()}
    assert not {int(row) for row, _ in errors} & GOOD
    assert ("11", "G · Số định danh", "Lỗi Số định danh cá nhân: chữ số thứ 4 là 3, không "
            "khớp giới tính và thế kỷ sinh (phải là 2).") in found
    assert ("12", "B · Họ và tên", "Lỗi Họ và tên: vui lòng nhập.") in found
    assert any(row == "13" and column.startswith("C ·") and "đủ 16 tuổi" in text
               for row, column, text in found)
    assert ("10", "C · Ngày sinh", "Cảnh báo Chỉ có năm 2015: ghi ngày sinh 01/01/2015, cần "
            "bổ sung ngày sinh đúng.") in found
    duplicates = html[html.index('id="import-duplicates"'):html.index('id="import-confirm"')]
    assert f'value="{DUPLICATE_OF_REGISTER}"' in duplicates
    assert "đã có trong danh sách" in duplicates
    assert f'value="{DUPLICATE_IN_FILE}"' in duplicates and "Dòng 7: Lò Văn An" in duplicates
    assert "Sẽ nhập <strong>4</strong> trẻ em vào <strong>3</strong> hộ gia đình mới" in html
    counts = html[html.index('id="import-counts"'):html.index("</ul>", html.index("import-counts"))]
    assert "Dòng trẻ em đã đọc: <strong>9</strong>" in counts
    assert "Dòng có lỗi (không nhập): <strong>3</strong>" in counts
    assert "Có thể trùng: <strong>2</strong>" in counts
    assert "Giới tính / Nam" in html and "Họ tên cha/mẹ / Mẹ" in html  # the two-row header
    assert set(children(db)) == {REGISTER_TWIN["full_name"]}  # nothing written
    assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 1


def test_confirming_writes_exactly_the_good_rows_with_households_and_history(
        client, previewed, db, village, village2, officer):
    key, html = previewed
    uploaded = hashlib.sha256(db.session.scalars(select(ChildImport)).one().content).hexdigest()
    answer = confirm(client, key, html)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/children/")
    made = children(db)
    assert set(made) == {REGISTER_TWIN["full_name"], "Lò Văn An", "Lò Thị Bình",
                         "Giàng A Páo", "Cầm Thị Hoa"}
    an, binh, pao, hoa = (made[n] for n in ("Lò Văn An", "Lò Thị Bình", "Giàng A Páo",
                                            "Cầm Thị Hoa"))
    assert an.household_id == binh.household_id  # one household: the same head, one village
    assert len({an.household_id, pao.household_id, hoa.household_id}) == 3
    assert an.household.head_name == "Lò Văn Pọm" and an.village_code == village.code
    assert pao.household.head_name == "Giàng A Chư" and pao.village_code == village2.code
    assert hoa.village_code == village2.code  # the block's heading row names the village
    assert hoa.household.head_name == "Cầm Thị Lan"  # no Chủ hộ: the mother
    assert [(c.relation, c.full_name) for c in an.caregivers] == [
        ("father", "Lò Văn Pọm"), ("mother", "Lường Thị Xuân")]
    assert (an.sex, an.date_of_birth, an.ethnicity_code, an.personal_id) == (
        "1", date(2016, 3, 4), "03", "014216000111")
    assert (binh.sex, binh.date_of_birth) == ("2", date(2018, 6, 15))
    assert [(c.code, c.detail) for c in binh.circumstances] == [
        ("DB04", {"disability_type": "KT01", "disability_level": "MD02"})]
    assert (pao.date_of_birth, pao.ethnicity_code) == (date(2015, 1, 1), "08")
    assert (hoa.sex, hoa.date_of_birth, hoa.ethnicity_code) == ("2", date(2017, 9, 22), "29")
    changes = {c.child_id: c for c in db.session.scalars(select(ChildChange))}
    assert changes[an.id].source == "import" and changes[an.id].note == (
        "Nhập từ tệp danh-sach.xlsx")
    assert changes[pao.id].note == ("Nhập từ tệp danh-sach.xlsx; ngày sinh trong tệp chỉ có "
                                    "năm 2015, ghi 01/01/2015")
    entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "children_imported")))
    assert len(entries) == 1
    detail = entries[0].detail
    assert detail["sha256"] == uploaded
    assert (detail["children"], detail["households"], detail["rows"], detail["errors"],
            detail["duplicates_left_out"]) == (4, 3, 9, 3, 2)
    assert not any(name in str(detail) for name in made)
    assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 0
    page = client.get(f"/children/{an.id}").get_data(as_text=True)
    assert "Nhập từ tệp danh-sach.xlsx" in page


def test_a_duplicate_the_officer_ticks_is_imported(client, previewed, db):
    key, html = previewed
    answer = confirm(client, key, html, include=str(DUPLICATE_OF_REGISTER))
    assert answer.status_code == 303
    names = [c.full_name for c in db.session.scalars(select(Child))]
    assert names.count(REGISTER_TWIN["full_name"]) == 2 and names.count("Lò Văn An") == 1


def test_confirming_again_imports_nothing_more(client, previewed, db):
    key, html = previewed
    token = csrf_token(client, f"/children/import/{key}")
    data = {"csrf_token": token, "fingerprint": fingerprint(html)}
    first = client.post(f"/children/import/{key}/confirm", data=data)
    assert first.status_code == 303
    count = db.session.scalar(select(func.count()).select_from(Child))
    again = client.post(f"/children/import/{key}/confirm", data=data)  # double click, back
    assert again.status_code == 303 and again.headers["Location"].endswith("/children/import")
    assert "đã được nhập hoặc đã hủy" in client.get("/children/import").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Child)) == count
    assert client.get(f"/children/import/{key}").status_code == 404


def test_a_failure_part_way_writes_nothing(client, previewed, db, monkeypatch):
    key, html = previewed
    real, calls = batch._build, []

    def third_refused(item, *args):
        calls.append(item)
        if len(calls) == 3:
            raise ValidationFailed("Hồ sơ trẻ em chưa hợp lệ.", {"child.village_code": ["x"]})
        return real(item, *args)

    monkeypatch.setattr(batch, "_build", third_refused)
    answer = confirm(client, key, html)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/import/{key}")
    assert len(calls) == 4  # the others were built, and flushed, then rolled back
    assert set(children(db)) == {REGISTER_TWIN["full_name"]}
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1
    actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert "children_imported" not in actions and actions.count("child_created") == 1
    assert db.session.get(ChildImport, uuid.UUID(key)) is not None  # kept for another try
    assert "chưa nhập trẻ nào" in client.get(f"/children/import/{key}").get_data(as_text=True)


def test_a_register_changed_since_the_preview_is_shown_again_before_anything_is_written(
        client, previewed, db, add_child):
    key, html = previewed
    add_child("Giàng A Páo", born="2015-01-01", fields={"ethnicity_code": "08"})
    answer = confirm(client, key, html)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/import/{key}")
    page = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert "đã thay đổi từ lúc xem trước" in page
    assert 'value="10"' in page[page.index('id="import-duplicates"'):]
    assert "Lò Văn An" not in children(db)
    assert confirm(client, key, page).status_code == 303  # the new preview confirmed
    assert "Lò Văn An" in children(db) and list(children(db)).count("Giàng A Páo") == 1


def test_the_officer_changes_a_columns_field_and_the_preview_follows(
        client, login, officer, village, db):
    login(officer)
    body = workbook([["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn", "Người liên hệ"],
                     ["Lò Văn An", "04/03/2016", "Nam", "Thái", "Nà Sàng", "Lường Thị Xuân"]])
    key = upload_id(upload(client, body))
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert "Người nuôi dưỡng: cần ít nhất một người" in html  # column F not guessed
    token = csrf_token(client, f"/children/import/{key}")
    fields = {f"col{i}": v for i, v in enumerate(
        ["full_name", "date_of_birth", "sex", "ethnicity", "village", "mother"])}
    answer = client.post(f"/children/import/{key}/mapping",
                         data={"csrf_token": token, "village": "", **fields})
    assert answer.status_code == 303
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert 'id="import-problems"' not in html
    assert "Máy đoán: Bỏ qua" not in html and "Sẽ nhập <strong>1</strong>" in html
    # Two columns for one field are refused next to the second.
    refused = client.post(f"/children/import/{key}/mapping",
                          data={"csrf_token": token, **fields, "col5": "full_name"})
    assert refused.status_code == 422
    assert "«Họ và tên» đã ghép với cột A" in refused.get_data(as_text=True)
    assert confirm(client, key, html).status_code == 303
    child = children(db)["Lò Văn An"]
    assert [(c.relation, c.full_name) for c in child.caregivers] == [("mother", "Lường Thị Xuân")]


def test_the_default_village_serves_a_file_without_one(client, login, officer, village,
                                                        village2, db):
    login(officer)
    body = workbook([["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Họ tên mẹ"],
                     ["Lò Văn An", "04/03/2016", "Nam", "Thái", "Lường Thị Xuân"]])
    key = upload_id(upload(client, body))
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert "Thôn/bản: tệp không ghi; chọn thôn/bản mặc định ở trên." in html
    key = upload_id(upload(client, body, village=village2.code))
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert 'id="import-problems"' not in html
    confirm(client, key, html)
    assert children(db)["Lò Văn An"].village_code == village2.code


def test_discarding_deletes_the_file(client, previewed, db):
    key, _ = previewed
    token = csrf_token(client, f"/children/import/{key}")
    answer = client.post(f"/children/import/{key}/discard", data={"csrf_token": token})
    assert answer.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 0
    assert set(children(db)) == {REGISTER_TWIN["full_name"]}


def test_an_upload_a_day_old_is_gone(client, previewed, db):
    key, _ = previewed
    kept = db.session.scalars(select(ChildImport)).one()
    kept.created_at = utcnow() - timedelta(hours=25)
    db.session.flush()
    assert client.get(f"/children/import/{key}").status_code == 404
    client.get("/children/import")  # the import page purges
    assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 0


# --- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["collector", "police", "leader"])
def test_only_the_commune_officer_imports(client, login, make, collector, who):
    from fieldapp import roles

    user = {"collector": collector, "police": make.user(roles.POLICE),
            "leader": make.user(roles.COMMUNE_LEADER)}[who]
    login(user)
    assert client.get("/children/import").status_code == 403
    assert client.get("/children/import/template.xlsx").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/children/import", data={"csrf_token": token}).status_code == 403


def test_another_officer_can_neither_see_nor_confirm_an_upload(
        client, previewed, db, make, far_officer, relogin):
    from fieldapp import roles

    key, html = previewed
    for other in (make.user(roles.COMMUNE_OFFICER), far_officer):
        relogin(other)
        assert client.get(f"/children/import/{key}").status_code == 404
        token = csrf_token(client, "/children/import")
        answer = client.post(f"/children/import/{key}/confirm",
                             data={"csrf_token": token, "fingerprint": fingerprint(html)})
        assert answer.status_code == 303  # "nothing to import": not theirs
        assert client.post(f"/children/import/{key}/mapping",
                           data={"csrf_token": token}).status_code == 404
        assert "<li class=\"item\">" not in client.get("/children/import").get_data(
            as_text=True)  # not among their pending files
    assert set(children(db)) == {REGISTER_TWIN["full_name"]}
    assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 1


def test_the_register_list_links_to_the_import(client, login, officer):
    login(officer)
    assert 'href="/children/import"' in client.get("/children/").get_data(as_text=True)


def test_the_rows_of_a_household_share_its_fields(client, login, officer, village, db):
    """The poverty status written on one sibling's row is the household's: the other's DB14
    is allowed, and both join NC02 with the household."""
    login(officer)
    body = workbook([
        ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn", "Chủ hộ", "Hộ nghèo",
         "Hoàn cảnh", "Họ tên mẹ"],
        ["Lò Văn An", "04/03/2016", "Nam", "Thái", "Nà Sàng", "Lò Văn Pọm", None, "DB14",
         "Lường Thị Xuân"],
        ["Lò Thị Bình", "05/06/2018", "Nữ", "Thái", "Nà Sàng", "Lò Văn Pọm", "Nghèo", None,
         "Lường Thị Xuân"],
    ])
    key = upload_id(upload(client, body))
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    assert 'id="import-problems"' not in html and "vào <strong>1</strong> hộ" in html
    confirm(client, key, html)
    made = children(db)
    assert made["Lò Văn An"].household_id == made["Lò Thị Bình"].household_id
    assert made["Lò Văn An"].household.poverty_status == "poor"
    assert sorted(c.code for c in made["Lò Văn An"].circumstances) == ["DB14", "NC02"]
    assert [c.code for c in made["Lò Thị Bình"].circumstances] == ["NC02"]


def test_a_dropout_is_imported_with_its_level_and_day_and_one_without_is_shown(
        client, login, officer, village, db):
    """HT07 asks the level left and the day (the register's rule): columns "Cấp học khi bỏ
    học" and "Ngày bỏ học" are read; a dropout row without them is shown at those columns."""
    login(officer)
    born = f"04/03/{date.today().year - 13}"
    body = workbook([
        ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn", "Họ tên mẹ",
         "Tình trạng học tập", "Cấp học khi bỏ học", "Ngày bỏ học"],
        ["Lò Văn An", born, "Nam", "Thái", "Nà Sàng", "Lường Thị Xuân", "HT07", "Tiểu học",
         f"9/{date.today().year - 1}"],
        ["Lò Thị Bé", born, "Nữ", "Thái", "Nà Sàng", "Lường Thị Xuân", "HT07", "", ""],
        ["Lò Văn Cư", born, "Nam", "Thái", "Nà Sàng", "Lường Thị Xuân", "HT07", "cấp 5", ""]])
    key = upload_id(upload(client, body))
    html = client.get(f"/children/import/{key}").get_data(as_text=True)
    problems = problem_rows(html)
    assert [(row, column) for row, column, _ in problems if row == "3"] == [
        ("3", "H · Cấp học khi bỏ học"), ("3", "I · Ngày bỏ học")]
    assert any(row == "4" and column.startswith("H ·") and "cấp 5" in text
               for row, column, text in problems)
    confirm(client, key, html)
    found = children(db)
    assert set(found) == {"Lò Văn An"}
    child = found["Lò Văn An"]
    assert (child.schooling_status, child.school_left_level, child.school_left_on) == (
        "HT07", "TH", date(date.today().year - 1, 9, 1))
