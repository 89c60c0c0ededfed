from fieldapp import roles


def test_officer_logs_in_and_sees_home(client, make, login):
    officer = make.user(roles.COMMUNE_OFFICER)
    login(officer)
    page = client.get("/").get_data(as_text=True)
    assert "Thôn/bản" in page and "Nhật ký truy cập" in page
