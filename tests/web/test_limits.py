"""Every request has a size: a body over the app's cap is a 413 before it is read, a query
string holding unstorable text or a value too long is a 400 (issue 12, findings 5 and 6)."""

import pytest

from fieldapp import roles
from tests.conftest import csrf_token


def test_a_30_mb_post_to_login_is_a_vietnamese_413(client):
    answer = client.post("/login", data=b"username=" + b"a" * 30_000_000,
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 413 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "<h1>Dữ liệu quá lớn</h1>" in page and "hãy chọn tệp nhỏ hơn" in page


def _upload(client, size: int):
    """POST /collect/import with a file of ``size`` bytes, the body built here: the test
    client's own multipart builder leaves a temporary file open for a large one."""
    token = csrf_token(client, "/collect/import")
    body = (f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--b\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\n'
            "Content-Type: application/json\r\n\r\n").encode() + b"x" * size + b"\r\n--b--\r\n"
    return client.post("/collect/import", data=body, content_type="multipart/form-data; boundary=b")


@pytest.mark.parametrize(("size", "status", "shown"), [
    (6_000_001, 413, "<h1>Dữ liệu quá lớn</h1>"),
    (5_000_001, 422, "Tệp quá lớn (tối đa 5 MB)."),  # the import's own message, not a 413
])
def test_the_cap_fits_the_largest_file_the_app_takes(client, make, login, size, status, shown):
    login(make.user(roles.COMMUNE_OFFICER))
    answer = _upload(client, size)
    assert answer.status_code == status
    assert shown in answer.get_data(as_text=True)


@pytest.mark.parametrize(("query", "status"), [
    ("village=03808-001%00", 400), ("village=%1B", 400), ("village=" + "x" * 501, 400),
    ("village=" + "x" * 500, 200), ("village=T%C3%B4%09", 200),
])
def test_query_strings_are_checked_before_any_page(client, make, login, query, status):
    login(make.user(roles.COMMUNE_OFFICER))
    answer = client.get(f"/children/households?{query}")
    assert answer.status_code == status
    if status == 400:
        body = answer.get_data(as_text=True)
        assert "<h1>Yêu cầu không hợp lệ</h1>" in body
        assert "Địa chỉ có tham số không hợp lệ" in body


@pytest.mark.parametrize("path", ["/villages/03808-0%0001/rename", "/accounts/1%00",
                                  "/children/%00", "/api/v1/review/submissions/%1B"])
def test_a_path_naming_something_with_a_control_character_names_nothing(
        client, make, login, path):
    login(make.user(roles.COMMUNE_OFFICER))
    assert client.get(path).status_code == 404
