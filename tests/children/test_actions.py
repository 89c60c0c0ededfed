"""The child page's small actions (officer): add and end a circumstance, record support,
close the record; and the household pages."""

import re

from tests.children.pages import TODAY, days_ago, error_of, form_values


def _page(client, child) -> str:
    return client.get(f"/children/{child.id}").get_data(as_text=True)


def test_add_circumstance_needs_its_details(client, db, login, officer, add_child):
    child = add_child()
    login(officer)
    values = form_values(_page(client, child), "add-circumstance")
    values["add-item-code"] = "DB04"
    refused = client.post(f"/children/{child.id}/circumstances", data=values)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert error_of(html, "add-item-disability_type") == "Chọn dạng khuyết tật."
    assert error_of(html, "add-item-disability_level") == "Chọn mức độ khuyết tật."
    assert "<details open>" in html  # the form stays open with its errors
    db.session.refresh(child)
    assert child.circumstances == [] and child.version == 1

    values.update({"add-item-disability_type": "KT03", "add-item-disability_level": "MD01",
                   "add-item-since": days_ago(10).isoformat()})
    response = client.post(f"/children/{child.id}/circumstances", data=values)
    assert response.status_code == 302
    page = _page(client, child)
    assert "DB04 · Khuyết tật" in page and "(Nhìn, Đặc biệt nặng)" in page
    assert f"từ {days_ago(10):%d/%m/%Y}" in page and "Phiên bản 2" in page


def test_end_circumstance(client, db, login, officer, add_child):
    child = add_child(circumstances=[{"code": "DB01", "since": days_ago(60)}])
    login(officer)
    circumstance = child.circumstances[0]
    page = _page(client, child)
    form = re.search(r'<form method="post" action="(/children/[^"]+/end)"', page)
    token = form_values(page, form.group(1))["csrf_token"]
    response = client.post(form.group(1), data={"csrf_token": token,
                                                "until": days_ago(1).isoformat()})
    assert response.status_code == 302
    db.session.refresh(circumstance)
    assert circumstance.until == days_ago(1)
    page = _page(client, child)
    assert f"từ {days_ago(60):%d/%m/%Y} đến {days_ago(1):%d/%m/%Y}" in page
    assert '<div class="item inactive">' in page and "/end" not in page
    assert f"<li>Hoàn cảnh 1 · Đến ngày: — → {days_ago(1):%d/%m/%Y}</li>" in page


def test_record_support_with_dotted_amount(client, db, login, officer, add_child):
    child = add_child()
    login(officer)
    values = form_values(_page(client, child), "record-support")
    values.update({"support-item-form": "TG05", "support-item-date": TODAY.isoformat(),
                   "support-item-provider": "UBND xã", "support-item-amount_vnd": "500.000"})
    assert client.post(f"/children/{child.id}/support", data=values).status_code == 302
    db.session.refresh(child)
    assert [(s.form, s.amount_vnd) for s in child.support] == [("TG05", 500000)]
    assert "Trợ giúp thường xuyên" in _page(client, child)
    assert "500.000 đồng" in _page(client, child)

    values["support-item-amount_vnd"] = "năm trăm"
    refused = client.post(f"/children/{child.id}/support", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "support-item-amount_vnd") == (
        "Số tiền (đồng) phải là số nguyên không âm.")


def test_closed_record_is_read_only(client, db, login, officer, add_child):
    child = add_child()
    login(officer)
    edit_values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                              "child-form")
    page = _page(client, child)
    add_values = form_values(page, "add-circumstance")
    values = form_values(page, "close-child")
    values.update({"close-reason": "moved_away", "close-closed_on": TODAY.isoformat()})
    assert client.post(f"/children/{child.id}/close", data=values).status_code == 302
    db.session.refresh(child)
    assert (child.closed_on, child.closed_reason, child.version) == (TODAY, "moved_away", 2)
    page = _page(client, child)
    assert "Hồ sơ đã đóng" in page and "chuyển đi nơi khác" in page
    assert f'href="/children/{child.id}/edit"' not in page and "Cập nhật" not in page
    assert 'id="add-circumstance"' not in page and 'id="close-child"' not in page

    edit_values["address"] = "Tổ 8"
    refused = client.post(f"/children/{child.id}/edit", data=edit_values)
    assert refused.status_code == 422 and "Hồ sơ đã đóng" in refused.get_data(as_text=True)
    add_values["add-item-code"] = "DB01"
    assert client.post(f"/children/{child.id}/circumstances", data=add_values).status_code == 422
    db.session.refresh(child)
    assert (child.address, child.version, child.circumstances) == ("", 2, [])


def test_household_pages(client, db, login, officer, village, village2):
    login(officer)
    values = form_values(client.get("/children/households/new").get_data(as_text=True),
                         "household-form")
    refused = client.post("/children/households/new", data=values)
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "head_name") == "Họ tên chủ hộ: vui lòng nhập."

    values.update({"head_name": "Hà Văn Khoa", "address": "Tổ 5", "village_code": village2.code,
                   "poverty_status": "poor"})
    response = client.post("/children/households/new", data=values)
    assert response.status_code == 302
    path = response.headers["Location"]
    assert re.fullmatch(r"/children/households/[0-9a-f-]{36}", path)
    page = client.get(path).get_data(as_text=True)
    assert "Hộ gia đình: Hà Văn Khoa" in page and "Chưa có trẻ nào." in page

    values = form_values(page, "household-form")
    assert (values["head_name"], values["village_code"]) == ("Hà Văn Khoa", village2.code)
    values.update({"head_name": "Hà Thị Lả", "poverty_status": "near_poor"})
    assert client.post(path, data=values).status_code == 302
    listed = client.get(f"/children/households?village={village2.code}").get_data(as_text=True)
    assert "Hà Thị Lả" in listed and "Cận nghèo" in listed and "1 hộ" in listed
    other = client.get(f"/children/households?village={village.code}").get_data(as_text=True)
    assert "Hà Thị Lả" not in other and "0 hộ" in other
