"""Error answers: Vietnamese pages with no traceback, JSON problems under /api/, CSRF."""

import pytest

from fieldapp import roles

LEAKS = ("Traceback", "werkzeug", "File \"", "Not Found", "Forbidden", "Internal Server Error")


def assert_clean(body: str) -> None:
    for leak in LEAKS:
        assert leak not in body


@pytest.mark.parametrize(
    ("path", "role", "status", "title"),
    [
        ("/nowhere", None, 404, "Không tìm thấy"),
        ("/nowhere", roles.COMMUNE_OFFICER, 404, "Không tìm thấy"),
        ("/villages/21004-999/rename", roles.COMMUNE_OFFICER, 404, "Không tìm thấy"),
        ("/villages/", roles.COLLABORATOR, 403, "Không có quyền"),
        ("/audit/", roles.POLICE, 403, "Không có quyền"),
    ],
)
def test_error_pages_are_vietnamese(page, path, role, status, title):
    answer = page(path, role)
    body = answer.get_data(as_text=True)
    assert answer.status_code == status and answer.mimetype == "text/html"
    assert f"<h1>{title}</h1>" in body and '<html lang="vi">' in body
    assert_clean(body)


def test_unexpected_error_is_a_vietnamese_500(app, client, monkeypatch, caplog):
    def boom():
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setitem(app.view_functions, "auth.login", boom)
    answer = client.get("/login")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 500
    assert "<h1>Lỗi hệ thống</h1>" in body and "Đã có lỗi xảy ra" in body
    assert "secret-internal-detail" not in body and "RuntimeError" not in body
    assert_clean(body)
    assert "RuntimeError" in caplog.text  # its type, never its message (see test_error_log.py)
    assert "secret-internal-detail" not in caplog.text


@pytest.mark.parametrize("role", [None, roles.COMMUNE_OFFICER])
def test_api_404_is_a_json_problem(page, role):
    answer = page("/api/v1/no-such-thing", role)
    assert answer.status_code == 404
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert set(problem) == {"title", "detail", "errors"}
    assert problem["title"] == "Không tìm thấy"


@pytest.mark.parametrize(
    ("path", "role", "data"),
    [
        ("/login", None, {"username": "x", "password": "y"}),
        ("/villages/", roles.COMMUNE_OFFICER, {"name": "Bản Không Token"}),
        ("/logout", roles.COMMUNE_OFFICER, {}),
    ],
)
def test_post_without_csrf_token_is_refused(client, make, login, path, role, data):
    if role:
        login(make.user(role))
    for token in (None, "forged-token"):
        sent = data if token is None else {**data, "csrf_token": token}
        answer = client.post(path, data=sent)
        body = answer.get_data(as_text=True)
        assert answer.status_code == 400
        assert "<h1>Yêu cầu không hợp lệ</h1>" in body
        assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in body
        assert_clean(body)
    if role:
        assert client.get("/").status_code == 200  # still logged in: logout was refused too
