"""The commune officer's child form: labels, 422 with messages next to the fields (page and
htmx fragment), create, edit with history."""

import re

from fieldapp.children.models import Child
from tests.children.pages import days_ago, error_of, form_values, parse
from tests.cookies import session_text

UUID = r"[0-9a-f-]{36}"


def _new_form(client) -> tuple[str, dict]:
    html = client.get("/children/new").get_data(as_text=True)
    return html, form_values(html, "child-form")


def _valid(values: dict, village) -> dict:
    return {**values, "full_name": "nguyễn  văn an", "sex": "1",
            "date_of_birth": days_ago(2500).isoformat(), "ethnicity_code": "01",
            "village_code": village.code, "address": "Tổ 4",
            "household-head_name": "Nguyễn Văn Bình", "household-address": "Tổ 4",
            "household-poverty_status": "near_poor",
            "caregivers-0-relation": "father", "caregivers-0-full_name": "Nguyễn Văn Bình",
            "caregivers-0-phone": "0912 345 678"}


def test_new_child_form_labels_every_field(client, login, officer):
    login(officer)
    html, values = _new_form(client)
    page = parse(html)
    visible = [c for c in page.controls if c.get("type") != "hidden"]
    assert len(visible) > 30
    for control in visible:
        assert control.get("id") in page.labels, control
    for name in ("full_name", "sex", "date_of_birth", "village_code", "household_id",
                 "household-head_name", "household-poverty_status", "caregivers-2-relation",
                 "caregivers-0-full_name", "circumstances-0-code", "support-0-amount_vnd"):
        assert name in values, name
    assert values["nationality"] == "VN"


def test_nationality_is_a_whole_select_that_a_script_makes_searchable(client, login, officer):
    """Without JavaScript the select holds every nationality, Việt Nam chosen; the page loads
    static/js/choose.js, which adds a labelled search box before a select[data-search]."""
    login(officer)
    html, values = _new_form(client)
    select = re.search(r'<select[^>]*id="nationality"[^>]*>(.*?)</select>', html, re.S)
    assert 'data-search="Tìm quốc tịch"' in select.group(0)
    options = re.findall(r'<option[^>]*value="([A-Z]{2})"', select.group(1))
    assert options[:4] == ["VN", "LA", "KH", "CN"] and len(options) >= 240
    assert values["nationality"] == "VN"
    assert re.search(r'<script src="/static/js/choose\.js\?v=[0-9a-f]+" defer>', html)


def test_missing_fields_answer_422_with_messages_next_to_fields(client, db, login, officer):
    login(officer)
    _, values = _new_form(client)
    response = client.post("/children/new", data=values)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "full_name") == "Họ và tên: vui lòng nhập."
    assert error_of(html, "sex") == "Giới tính: vui lòng chọn."
    assert error_of(html, "date_of_birth") == "Ngày, tháng, năm sinh: vui lòng nhập."
    assert error_of(html, "village_code") == "Thôn, xóm, bản: vui lòng chọn."
    assert error_of(html, "household-head_name") == "Họ tên chủ hộ: vui lòng nhập."
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="full_name"', html)
    assert error_of(html, "caregivers").startswith("Người nuôi dưỡng: cần ít nhất một người")
    assert "<html" in html
    assert db.session.scalars(db.select(Child)).first() is None

    fragment = client.post("/children/new", data=values, headers={"HX-Request": "true"})
    assert fragment.status_code == 422
    text = fragment.get_data(as_text=True).strip()
    assert text.startswith('<form id="child-form"') and text.endswith("</form>")
    assert error_of(text, "full_name") == "Họ và tên: vui lòng nhập."


def test_error_in_third_caregiver_row_shows_next_to_it(client, login, officer, village):
    login(officer)
    _, values = _new_form(client)
    values = _valid(values, village)
    values.update({"caregivers-0-relation": "", "caregivers-0-full_name": "",
                   "caregivers-0-phone": "", "caregivers-2-full_name": "Lò Thị Xuân",
                   "caregivers-2-phone": "12"})
    response = client.post("/children/new", data=values)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "caregivers-2-relation") == "Quan hệ với trẻ: vui lòng chọn."
    assert error_of(html, "caregivers-2-phone") == "Số điện thoại gồm 9 đến 12 chữ số."
    assert error_of(html, "caregivers-0-relation") == ""
    assert error_of(html, "caregivers-1-relation") == ""
    assert "cần ít nhất một người" not in html
    # The values typed stay in the form.
    assert form_values(html, "child-form")["caregivers-2-full_name"] == "Lò Thị Xuân"


def test_valid_post_creates_the_child_and_redirects(client, db, login, officer, village):
    login(officer)
    _, values = _new_form(client)
    response = client.post("/children/new", data=_valid(values, village))
    assert response.status_code == 302
    assert re.fullmatch(rf"/children/{UUID}", response.headers["Location"])
    child = db.session.scalars(db.select(Child)).one()
    assert (child.full_name, child.name_key, child.version) == ("Nguyễn Văn An",
                                                                "nguyen van an", 1)
    assert child.household.head_name == "Nguyễn Văn Bình"
    assert child.household.poverty_status == "near_poor"
    assert [(c.relation, c.phone) for c in child.caregivers] == [("father", "0912345678")]
    assert "Nguyễn Văn An" not in session_text(client)  # signed, not encrypted
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm trẻ em." in page and "Cận nghèo" in page

    again = _valid(values, village)
    again["full_name"] = "Nguyễn Thị Hà"
    again["sex"] = "2"
    htmx = client.post("/children/new", data=again, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and htmx.get_data(as_text=True) == ""
    assert re.fullmatch(rf"/children/{UUID}", htmx.headers["HX-Redirect"])


def test_edit_changes_a_field_bumps_version_and_shows_history(client, db, login, officer,
                                                               add_child):
    child = add_child("Lò Văn Thanh", address="Tổ 1")
    login(officer)
    html = client.get(f"/children/{child.id}/edit").get_data(as_text=True)
    values = form_values(html, "child-form")
    assert values["full_name"] == "Lò Văn Thanh" and values["household_id"] == str(
        child.household_id)
    assert values["caregivers-0-full_name"] == "Lường Thị Xuân"

    unchanged = client.post(f"/children/{child.id}/edit", data=values)
    assert unchanged.status_code == 302
    db.session.refresh(child)
    assert child.version == 1

    values["address"] = "Tổ 9"
    response = client.post(f"/children/{child.id}/edit", data=values)
    assert response.status_code == 302 and response.headers["Location"] == f"/children/{child.id}"
    db.session.refresh(child)
    assert (child.address, child.version) == ("Tổ 9", 2)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Đã lưu thay đổi." in page and "Phiên bản 2" in page
    assert "<li>Địa chỉ chi tiết: Tổ 1 → Tổ 9</li>" in page

    values["full_name"] = ""
    refused = client.post(f"/children/{child.id}/edit", data=values,
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "full_name") == "Họ và tên: vui lòng nhập."
    db.session.refresh(child)
    assert (child.full_name, child.version) == ("Lò Văn Thanh", 2)
