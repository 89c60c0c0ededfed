"""Scripts and styles as a phone downloads them: minified, named by their content, kept by the
browser a year under their current name and revalidated under any other."""

import re
from pathlib import Path

import brotli
import pytest

from fieldapp import roles
from fieldapp.assets import YEAR

STATIC = Path(__file__).resolve().parents[2] / "static"
WRITTEN = (STATIC / "js/offline.js").read_text("utf-8")
BROTLI = {"Accept-Encoding": "gzip, br"}


def test_pages_name_their_styles_by_content_and_the_browser_keeps_them(client):
    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(url) as current:
        assert current.status_code == 200 and current.headers["Cache-Control"] == YEAR
    with client.get("/static/css/app.css?v=0123456789ab") as old:  # a page from before a deploy
        assert old.headers["Cache-Control"] == "no-cache" and old.data == current.data
    with client.get("/static/css/app.css") as plain:
        assert plain.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(("name", "kept"), [("css/app.css", ".menu>summary"),
                                            ("js/offline.js", "function register()")])
def test_styles_and_scripts_are_served_minified(client, name, kept):
    written = (STATIC / name).read_text(encoding="utf-8")
    with client.get(f"/static/{name}") as answer:
        served = answer.get_data(as_text=True)
    assert kept in served and len(served) < 0.85 * len(written)
    assert "/*" not in served and "\n  " not in served


def test_minifying_can_be_turned_off(client, other_app):
    with client.get("/static/js/offline.js", headers=BROTLI) as minified:  # cached compressed
        assert len(brotli.decompress(minified.data)) < 0.85 * len(WRITTEN)
    app = other_app(MINIFY=False)
    with app.test_client() as plain, plain.get("/static/js/offline.js") as answer:
        assert answer.get_data(as_text=True) == WRITTEN
    with app.test_client() as plain, plain.get("/static/js/offline.js", headers=BROTLI) as answer:
        assert brotli.decompress(answer.data).decode() == WRITTEN  # its own, not the other's
    with app.test_client() as client, client.get("/capture.js") as answer:
        assert "/*!" not in answer.get_data(as_text=True)


def test_joined_scripts_are_named_by_content_too(client, make, login):
    login(make.user(roles.COLLABORATOR))
    page = client.get("/collect").get_data(as_text=True)
    for path in ("/sw-shared.js", "/capture.js"):
        url = re.search(rf'src="({re.escape(path)}\?v=[0-9a-f]{{12}})"', page).group(1)
        with client.get(url) as answer:
            assert answer.headers["Cache-Control"] == YEAR
        with client.get(path) as answer:
            assert answer.headers["Cache-Control"] == "no-cache"


def test_a_revalidated_versioned_file_is_still_kept_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/icons/icon\.svg\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(url) as first:
        etag = first.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.headers["Cache-Control"] == YEAR
        assert "Cookie" not in again.vary
