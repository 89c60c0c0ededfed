"""The province sees the whole, never a child (issue 15 §3): signed in as the province's
viewer, every page and JSON answer the role reaches — home, the dashboard at several days,
the indicators of the province and of each of its communes, every link followed from them —
holds no child's name or identity number, no caregiver's and no household head's name, as the
database has them. Run on the test registers and on the demo seed."""

import html
import json
import re
from datetime import date, timedelta
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.children.models import Caregiver, Child, Household
from fieldapp.places.models import Commune
from tests.reports.conftest import C, S, T, years
from tests.reports.province import neighbour  # noqa: F401  (a fixture)

SKIP = ("/logout", "/static/", "/sw.js", "/manifest")
LIMIT = 200  # pages followed at most: the role reaches a handful


def secrets(db) -> set[str]:
    """Every child's full name and number, every caregiver's and household head's name."""
    found = set()
    for column in (Child.full_name, Child.personal_id, Caregiver.full_name, Caregiver.personal_id,
                   Household.head_name):
        found |= {value.strip() for value in db.session.scalars(select(column)) if value}
    return {value for value in found if len(value) >= 4}


def text_of(answer) -> str:
    """The answer as a reader sees it: HTML unescaped, JSON with its \\u escapes read, a
    PDF's text, an Excel file's cells."""
    if answer.mimetype == "application/pdf":
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(answer.data)).pages)
    if answer.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(BytesIO(answer.data))
        return " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                        for cell in row if cell.value is not None)
    if answer.is_json:
        return json.dumps(answer.get_json(), ensure_ascii=False)
    return html.unescape(answer.get_data(as_text=True))


def links(answer, base: str) -> list[str]:
    if answer.mimetype != "text/html":
        return []
    found = []
    for href in re.findall(r'href="([^"#]+)"', answer.get_data(as_text=True)):
        url = urljoin(base, html.unescape(href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or url.startswith(SKIP) or \
                parts.path.startswith(SKIP):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(browser, starts: list[str]) -> dict[str, str]:
    """Every page reached from ``starts`` by GET, following the site's own links."""
    seen, queue = {}, list(starts)
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        answer = browser.get(url)
        assert answer.status_code < 500, url
        seen[url] = text_of(answer)
        if answer.status_code == 200:
            queue += [link for link in links(answer, url) if link not in seen]
    return seen


def starts(db, days: list[date]) -> list[str]:
    communes = list(db.session.scalars(
        select(Commune.code).where(Commune.province_code == "14")
        .where(Commune.code.in_(select(Child.commune_code)))))
    assert communes
    urls = ["/", "/reports/province", "/api/v1/reports/indicators", "/reports"]
    for day in days:
        urls += [f"/?date={day}", f"/reports/province?date={day}",
                 f"/api/v1/reports/indicators?place=14&date={day}"]
        urls += [f"/api/v1/reports/indicators?place={code}&date={day}" for code in communes]
        urls += [f"{path}?place={code}&date={day}" for code in communes
                 for path in ("/reports", "/reports/bao-cao.pdf", "/reports/bao-cao.xlsx")]
    return urls


def assert_no_child(pages: dict[str, str], hidden: set[str]) -> None:
    assert hidden and pages
    leaks = {(url, value) for url, text in pages.items() for value in hidden if value in text}
    assert not leaks


@pytest.fixture()
def registers(db, make, small_register, neighbour):  # noqa: F811
    commune, place, officer = neighbour
    make.child(officer, place, "Hà Văn Mạnh", born=years(6), capture_date=C,
               circumstances=[{"code": "DB08", "since": T - timedelta(90)}],
               caregivers=[{"relation": "father", "full_name": "Hà Văn Quyết"}])
    db.session.commit()


def test_the_viewer_reaches_no_child_of_the_test_registers(db, registers, sign_in, make):
    make.user(roles.PROVINCE_VIEWER, ["14"], username="sodyte2")
    browser, answer = sign_in("sodyte2", "test-pass-2026")
    assert answer.status_code == 302
    pages = crawl(browser, starts(db, [date.today(), T, S, T - timedelta(days=400)]))
    assert any("Toàn tỉnh" in text for text in pages.values())
    asked = [url for url in pages if "place=0" in url and url.startswith("/api")]
    assert len(asked) == 2 * 4  # two communes, four days
    assert any(url.startswith("/reports/bao-cao.pdf") for url in pages)
    assert_no_child(pages, secrets(db))


def test_the_demo_viewer_reaches_no_child_of_the_demo(app, db, runner, monkeypatch, sign_in):
    from fieldapp.demo import DEMO_PASSWORD

    monkeypatch.setitem(app.config, "DEMO", True)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    hidden = secrets(db)
    assert len(hidden) > 10
    browser, answer = sign_in("sodyte", DEMO_PASSWORD)
    assert answer.status_code == 302
    pages = crawl(browser, starts(db, [date.today(), date.today() - timedelta(days=200)]))
    assert any("Toàn tỉnh" in text for text in pages.values())
    assert_no_child(pages, hidden)


def test_the_scan_finds_a_name_when_there_is_one():
    with pytest.raises(AssertionError):
        assert_no_child({"/": "<td>Lò Văn An</td>"}, {"Lò Văn An"})
