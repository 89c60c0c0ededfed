"""Page hygiene under the CSP: no inline script, every field labelled, every page described."""

from html.parser import HTMLParser

import pytest

from fieldapp import roles
from tests.web.conftest import PAGES


class Markup(HTMLParser):
    """Collects scripts, inline event handlers, form controls and label targets."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.script_bodies: list[str] = []
        self.handlers: list[str] = []
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.description: str | None = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = True
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def parse(answer) -> Markup:
    markup = Markup()
    markup.feed(answer.get_data(as_text=True))
    return markup


@pytest.mark.parametrize(("path", "role"), PAGES.items())
def test_no_inline_script_or_handler(page, path, role):
    markup = parse(page(path, role))
    assert all(script.get("src") for script in markup.scripts)  # /login has none at all
    assert markup.script_bodies == [] and markup.handlers == []


@pytest.mark.parametrize(("path", "role"), PAGES.items())
def test_every_page_says_what_it_is_for_search_and_share_previews(page, path, role):
    description = parse(page(path, role)).description
    assert description and len(description) >= 20, f"no meta description on {path}"


LABELLED = [
    ("/login", None),
    ("/account/password", roles.COMMUNE_OFFICER),
    ("/villages/", roles.COMMUNE_OFFICER),
    ("/villages/03808-001/rename", roles.COMMUNE_OFFICER),
    ("/accounts/new", roles.COMMUNE_OFFICER),
    ("/accounts/new", roles.ADMIN),
    ("/audit/", roles.COMMUNE_OFFICER),
    ("/audit/", roles.ADMIN),
]


@pytest.mark.parametrize(("path", "role"), LABELLED)
def test_every_field_has_a_label(page, path, role):
    markup = parse(page(path, role))
    assert markup.controls, f"no fields on {path}"
    for control in markup.controls:
        assert control.get("id") in markup.label_for, f"unlabelled {control} on {path}"
