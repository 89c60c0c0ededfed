"""Words of issue 14.7: "Sổ theo dõi trẻ em" is the household's paper book, never the app's
register; the police are named by the commune's own type, not a fixed "Công an xã".

The book itself is printed (issue 14 §3.2): it is named so only by its full name or by the
button that prints it, which are taken out before looking."""

from pathlib import Path

import pytest

from tests.web.conftest import PAGES

ROOT = Path(__file__).resolve().parent.parent.parent
BOOK = "sổ theo dõi"
# The paper book named as itself: its full name, and the button (and audit action) printing it.
BOOK_NAMES = ("sổ theo dõi trẻ em trong hộ gia đình", "in sổ theo dõi")


def _misnamed(text: str) -> bool:
    text = text.lower()
    for name in BOOK_NAMES:
        text = text.replace(name, "")
    return BOOK in text


def texts():
    for folder, pattern in (("templates", "*.html"), ("fieldapp", "*.py"), ("static/js", "*.js")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def test_no_source_calls_the_register_the_paper_book():
    assert [str(path) for path, text in texts() if _misnamed(text)] == []


@pytest.mark.parametrize(("path", "role"), PAGES.items())
def test_no_page_calls_the_register_the_paper_book(page, path, role):
    assert not _misnamed(page(path, role).get_data(as_text=True))


@pytest.mark.parametrize("text", ["Sổ theo dõi", "xem sổ theo dõi trẻ em",
                                  "In sổ theo dõi · sổ theo dõi của xã"])
def test_the_register_called_the_book_is_still_found(text):
    assert _misnamed(text)
