"""Small helpers to read the register's pages the way a browser does (forms, links, result
names), and its dates and ID numbers."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

from tests.submissions import child_id_number

TODAY = date.today()


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def personal_id(born: date, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return child_id_number(born, sex, tail)


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
