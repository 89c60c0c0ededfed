"""Words of issue 14.7: "Sổ theo dõi trẻ em" is the household's paper book, never the app's
register; the police are named by the commune's own type, not a fixed "Công an xã"."""

from pathlib import Path

import pytest

from tests.web.conftest import PAGES

ROOT = Path(__file__).resolve().parent.parent.parent
BOOK = "sổ theo dõi"


def texts():
    for folder, pattern in (("templates", "*.html"), ("fieldapp", "*.py"), ("static/js", "*.js")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def test_no_source_calls_the_register_the_paper_book():
    assert [str(path) for path, text in texts() if BOOK in text.lower()] == []


@pytest.mark.parametrize(("path", "role"), PAGES.items())
def test_no_page_calls_the_register_the_paper_book(page, path, role):
    assert BOOK not in page(path, role).get_data(as_text=True).lower()
