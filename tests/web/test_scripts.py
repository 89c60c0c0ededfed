"""What scripts a page loads: htmx (17 KB on a phone's first visit) only where the page uses
it, declared per page and held in step with the templates' hx- attributes."""

import re
from pathlib import Path

import pytest

from fieldapp import roles

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTMX = re.compile(r'<script src="/static/js/htmx-[^"]*\.js[^"]*"')
INCLUDES = re.compile(r'{%-?\s*(?:include|import|from)\s+"([^"]+)"')


def _uses_htmx(name: str, seen: frozenset = frozenset()) -> bool:
    """Whether template ``name`` or anything it includes or imports has an hx- attribute."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return "hx-" in text or any(
        _uses_htmx(other, seen | {name}) for other in INCLUDES.findall(text) if other not in seen)


PAGES = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
               if '{% extends "base.html" %}' in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PAGES)
def test_a_page_loads_htmx_exactly_when_it_uses_it(name):
    says_no = "{% set htmx = false %}" in (TEMPLATES / name).read_text(encoding="utf-8")
    if _uses_htmx(name):
        assert not says_no, f"{name} has hx- attributes: it needs htmx"
    else:
        assert says_no, f"{name} uses no htmx: say {{% set htmx = false %}} at its top"


def test_the_login_page_loads_no_script(client):
    page = client.get("/login").get_data(as_text=True)
    assert "<script" not in page and "htmx-config" not in page


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD])
def test_a_field_worker_home_and_capture_page_load_no_htmx(client, make, login, role):
    login(make.user(role))
    for path in ("/", "/collect"):
        page = client.get(path).get_data(as_text=True)
        assert not HTMX.search(page) and "js/app.js" not in page, path
        assert "/static/js/offline.js" in page  # the worker and the logout guard still load


@pytest.mark.parametrize("path", ["/villages/", "/children/", "/review", "/audit/"])
def test_pages_with_hx_attributes_load_htmx(client, make, login, path):
    make.village()
    login(make.user(roles.COMMUNE_OFFICER))
    page = client.get(path).get_data(as_text=True)
    assert "hx-" in page and HTMX.search(page) and "js/app.js" in page
