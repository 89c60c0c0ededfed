"""What every answer of the API layer shares: a JSON problem for a refusal.

The callers (``api``, ``api_as``, ``issue``) and the commune are fixtures of tests/conftest.py;
requests go through the real ``/api/v1`` endpoints, with CSRF on for session requests."""


NOT_YOURS = "Thôn/bản không thuộc địa bàn của bạn."
PROBLEM = "application/problem+json"


def assert_problem(answer, status: int, detail: str | None = None) -> dict:
    """A JSON problem of ``status``: the media type, and title, detail and errors present."""
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == PROBLEM
    body = answer.get_json()
    assert {"title", "detail", "errors"} <= set(body) <= {"title", "detail", "errors", "code"}
    assert isinstance(body["errors"], dict) and body["title"]
    if detail is not None:
        assert body["detail"] == detail
    return body
