"""Register fixtures: an officer, two villages, a child factory through the services, and
small helpers to read pages the way a browser does (forms, links, result names)."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from fieldapp import roles
from fieldapp.children import services
from tests.conftest import csrf_token

TODAY = date.today()


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def personal_id(born: date, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return f"014{ {'1': '2', '2': '3'}[sex]}{born.year % 100:02d}{tail}"


@pytest.fixture()
def village(make):
    return make.village(name="Bản Nà Sàng")


@pytest.fixture()
def village2(make):
    return make.village(name="Bản Pá Múa")


@pytest.fixture()
def officer(make):
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def add_child(app, db, officer, village):
    """``add_child(name, **fields)`` creates a child through ``services.create_child``."""

    def build(full_name="Lò Văn Thanh", *, born=None, sex="1", place=None, pid=None,
              circumstances=(), support=(), household_id=None, caregivers=None,
              capture_date=None, actor=None, **child_fields):
        record = {
            "child": {"full_name": full_name, "sex": sex, "date_of_birth": born or days_ago(2000),
                      "ethnicity_code": "03", "village_code": (place or village).code,
                      "personal_id": pid, **child_fields},
            "caregivers": caregivers if caregivers is not None
            else [{"relation": "mother", "full_name": "Lường Thị Xuân"}],
            "circumstances": list(circumstances),
            "support": list(support),
        }
        if household_id:
            record["household_id"] = household_id
        else:
            record["household"] = {"head_name": "Lò Văn Pọm", "address": "Tổ 2"}
        with app.test_request_context():
            child = services.create_child(actor or officer, record, capture_date=capture_date)
            db.session.flush()
        return child

    return build


@pytest.fixture()
def relogin(client, login):
    """``relogin(user)``: log the current user out (through the form), then ``user`` in."""

    def switch(user):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        return login(user)

    return switch


@pytest.fixture()
def listing(client):
    """``listing(**fields)`` posts the register's filter form (CSRF token read from the page)
    and returns the HTML; call it after logging in."""
    token = {}

    def post(headers=None, expect=200, **fields):
        if "value" not in token:
            token["value"] = csrf_token(client, "/children/")
        response = client.post("/children/", data={"csrf_token": token["value"], **fields},
                               headers=headers or {})
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
        return response.get_data(as_text=True)

    return post


def names(html: str) -> list[str]:
    """The children's names in the result table, in order."""
    return re.findall(r'<td data-label="Họ và tên"><a href="/children/[0-9a-f-]{36}">([^<]+)</a>',
                      html)


def count(html: str) -> int:
    match = re.search(r'role="status">(\d+) trẻ', html)
    assert match, "no result count"
    return int(match.group(1))


def error_of(html: str, field_id: str) -> str:
    """The message shown next to a field (the ``<p class="error" id="…-error">``)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


class _Forms(HTMLParser):
    """Every form's fields with their current values, labels and ids, as a browser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict] = {}
        self.labels: set[str] = set()
        self.controls: list[dict] = []  # every input/select/textarea with its attributes
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = self.forms.setdefault(a.get("id") or a.get("action", ""), {
                "action": a.get("action"), "method": a.get("method"), "values": {}})
        elif tag == "label" and "for" in a:
            self.labels.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **a})
            values = self._form["values"] if self._form is not None else {}
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button"):
                if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                    values[name] = a.get("value", "")
            elif tag == "select":
                self._select = name
                values.setdefault(name, None)
            elif tag == "textarea":
                self._textarea = name
                values[name] = ""
        elif tag == "option" and self._select and self._form is not None:
            values = self._form["values"]
            if values.get(self._select) is None or "selected" in a:
                values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["values"][self._textarea] += data


def parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def form_values(html: str, form_id: str) -> dict:
    """The values a browser would submit from the form ``form_id`` (untouched)."""
    return dict(parse(html).forms[form_id]["values"])
