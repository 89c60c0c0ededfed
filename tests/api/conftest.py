"""Sync-API fixtures: a commune with two villages (and one of another commune), a collaborator
of the first, bearer tokens, a valid submission to start from, and children in the register.

Requests go through the real ``/api/v1`` endpoints, with CSRF on for session requests."""


import pytest

from fieldapp import roles
from fieldapp.auth import tokens
from fieldapp.auth.models import ApiToken
from fieldapp.children import services as register
from tests.factories import COMMUNE_B
from tests.submissions import BORN, make_item

NOT_YOURS = "Thôn/bản không thuộc địa bàn của bạn."
PROBLEM = "application/problem+json"


class Api:
    """The test client with a caller's ``Authorization`` header on every request."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, headers

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers={**self.headers, **kwargs.pop("headers", {})},
                               **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers={**self.headers, **kwargs.pop("headers", {})},
                                **kwargs)

    def delete(self, path: str, **kwargs):
        return self.client.delete(path, headers={**self.headers, **kwargs.pop("headers", {})},
                                  **kwargs)

    def submit(self, *items, expect: int = 200) -> list[dict]:
        """Post ``items`` as one batch; the per-item results."""
        answer = self.post("/api/v1/submissions", json={"submissions": list(items)})
        assert answer.status_code == expect, answer.get_data(as_text=True)
        return answer.get_json()["results"]


@pytest.fixture()
def village(make):
    return make.village(name="Bản Nà Sàng")


@pytest.fixture()
def village2(make, village):
    return make.village(name="Bản Pá Múa")


@pytest.fixture()
def far_village(make):
    return make.village(COMMUNE_B, name="Thôn Trung An")


@pytest.fixture()
def collector(make, village):
    return make.user(roles.COLLABORATOR, [village])


@pytest.fixture()
def officer(make):
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def issue(db):
    """``issue(user)``: a new token of ``user`` and its ``Authorization`` header."""

    def make_token(user, device: str = "Điện thoại thử") -> tuple[ApiToken, dict]:
        token, secret = tokens.issue(user, device)
        db.session.flush()
        return token, {"Authorization": f"Bearer {secret}"}

    return make_token


@pytest.fixture()
def api_as(client, issue):
    """``api_as(user)``: an :class:`Api` calling with a fresh token of ``user``."""
    return lambda user: Api(client, issue(user)[1])


@pytest.fixture()
def api(api_as, collector):
    """The collaborator of ``village``, with a bearer token."""
    return api_as(collector)


@pytest.fixture()
def item(village):
    """``item(**top)``: a valid new-child submission for ``village``."""
    return lambda **top: make_item(village.code, **top)


@pytest.fixture()
def add_child(app, db, officer, village):
    """``add_child(name, **fields)``: a register child made by the officer's service."""

    def build(full_name="Lò Văn Thanh", *, place=None, born=BORN, sex="1", circumstances=(),
              support=(), capture_date=None, actor=None):
        record = {
            "child": {"full_name": full_name, "sex": sex, "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": (place or village).code},
            "household": {"head_name": "Lò Văn Pọm", "address": "Tổ 2"},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}],
            "circumstances": list(circumstances),
            "support": list(support),
        }
        with app.test_request_context():
            child = register.create_child(actor or officer, record, capture_date=capture_date)
            db.session.flush()
        return child

    return build


@pytest.fixture()
def officer_does(app, db, officer):
    """``officer_does(service_name, *args, **kwargs)``: run a register service as the officer
    (in a request context: code lists are cached per request)."""

    def run(name: str, *args, **kwargs):
        with app.test_request_context():
            out = getattr(register, name)(officer, *args, **kwargs)
            db.session.flush()
        return out

    return run


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
