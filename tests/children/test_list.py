"""The register list: scope, search, filters, status, sorting, keyset pages, htmx, no names
in URLs."""

import base64
import json
import re
from urllib.parse import quote

from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import services
from tests.children.pages import count, days_ago, names, personal_id
from tests.factories import COMMUNE_B


def test_officer_lists_only_its_commune(make, login, listing, add_child, officer):
    add_child("Lò Văn Thanh")
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    add_child("Lê Thị Xa", place=make.village(COMMUNE_B), actor=officer_b)
    login(officer)
    html = listing()
    assert names(html) == ["Lò Văn Thanh"] and count(html) == 1


def test_search_ignores_diacritics_and_case_and_finds_id_prefix(login, listing, add_child,
                                                               officer):
    born = days_ago(3000)
    add_child("Nguyễn Văn An", born=born, pid=personal_id(born))
    add_child("Đặng Thị Hoa", sex="2")
    add_child("Lò Văn Thanh")
    login(officer)
    assert names(listing(q="nguyen van an")) == ["Nguyễn Văn An"]
    assert names(listing(q="dang")) == ["Đặng Thị Hoa"]
    assert names(listing(q="DANG")) == ["Đặng Thị Hoa"]
    assert names(listing(q="  VĂN   an ")) == ["Nguyễn Văn An"]
    assert names(listing(q=personal_id(born)[:6])) == ["Nguyễn Văn An"]
    assert names(listing(q="999")) == []
    assert "Không có trẻ nào phù hợp." in listing(q="không ai")


def test_filters(login, listing, add_child, officer, village2):
    born = days_ago(800)  # two years old
    add_child("Lò Văn Hai", born=born, pid=personal_id(born))
    add_child("Lò Thị Bốn", sex="2", born=days_ago(4 * 365 + 30), place=village2,
              circumstances=[{"code": "DB04", "since": days_ago(100),
                              "detail": {"disability_type": "KT01",
                                         "disability_level": "MD02"}}])
    add_child("Lò Văn Mười", born=days_ago(10 * 365), circumstances=[
        {"code": "NC01", "since": days_ago(50), "detail": {"risk_reason": "LD05"}}])
    login(officer)
    assert names(listing(village=village2.code)) == ["Lò Thị Bốn"]
    assert names(listing(sex="2")) == ["Lò Thị Bốn"]
    assert names(listing(age_group="0-2")) == ["Lò Văn Hai"]
    assert names(listing(age_group="3-5")) == ["Lò Thị Bốn"]
    assert names(listing(circumstance="DB04")) == ["Lò Thị Bốn"]
    assert names(listing(circumstance="DB")) == ["Lò Thị Bốn"]
    assert names(listing(circumstance="NC")) == ["Lò Văn Mười"]
    assert names(listing(has_id="yes")) == ["Lò Văn Hai"]
    assert names(listing(has_id="no")) == ["Lò Thị Bốn", "Lò Văn Mười"]
    html = listing(sex="1", has_id="no")
    assert names(html) == ["Lò Văn Mười"] and count(html) == 1


def test_status_active_over_age_and_closed(app, db, login, listing, add_child, officer):
    add_child("Lò Văn An")
    # Captured a month ago at 15, turned 16 six days ago.
    add_child("Lò Văn Lớn", born=days_ago(16 * 365 + 10), capture_date=days_ago(30))
    closed = add_child("Lò Thị Đi", sex="2")
    with app.test_request_context():
        services.close_child(officer, closed, "moved_away", days_ago(1))
        db.session.flush()
    login(officer)
    assert names(listing()) == ["Lò Văn An"]
    over_age = listing(status="over_age")
    assert names(over_age) == ["Lò Văn Lớn"]
    assert '<span class="badge">Đã đủ 16 tuổi</span>' in over_age
    assert names(listing(status="closed")) == ["Lò Thị Đi"]
    assert sorted(names(listing(status="all"))) == ["Lò Thị Đi", "Lò Văn An", "Lò Văn Lớn"]


def test_sorting_by_name_and_birth_date(login, listing, add_child, officer):
    add_child("Nguyễn Văn An", born=days_ago(3000))
    add_child("Đặng Thị Hoa", sex="2", born=days_ago(1000))
    add_child("Lò Văn Thanh", born=days_ago(5000))
    login(officer)
    assert names(listing(sort="name")) == ["Đặng Thị Hoa", "Lò Văn Thanh", "Nguyễn Văn An"]
    assert names(listing(sort="born")) == ["Lò Văn Thanh", "Nguyễn Văn An", "Đặng Thị Hoa"]


GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc"]


def test_keyset_pages(login, listing, add_child, officer):
    for surname in ("Lò", "Cầm", "Quàng", "Lường", "Tòng"):
        for given in GIVEN:
            add_child(f"{surname} Văn {given}", born=days_ago(1000 + len(given)))
    login(officer)
    first = listing(q="văn", sort="born")
    assert count(first) == 55 and len(names(first)) == 50
    more = re.search(r'<form method="post" action="/children/"[^>]*>(.*?)</form>', first, re.S)
    assert more and "Xem tiếp" in more.group(1)
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', more.group(1)))
    assert fields["q"] == "văn" and fields["sort"] == "born" and fields["after"]
    second = listing(**{k: v for k, v in fields.items() if k != "csrf_token"})
    assert count(second) == 55 and len(names(second)) == 5
    assert "Xem tiếp" not in second
    assert len(set(names(first)) | set(names(second))) == 55


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_bad_after_value_does_not_crash(login, listing, add_child, officer):
    add_child("Lò Văn Thanh")
    login(officer)
    for after in ("%%%not-base64", _cursor({"a": 1}), _cursor(["a"]), _cursor(["a", "zz"]),
                  _cursor(["a", 5]), _cursor([None, None]), _cursor(["x", [1]])):
        listing(after=after)
        listing(after=after, sort="born")


def test_htmx_gets_only_the_results_fragment(login, listing, add_child, officer):
    add_child("Lò Văn Thanh")
    login(officer)
    html = listing(headers={"HX-Request": "true"}, q="thanh").strip()
    assert re.match(r'<section [^>]*id="results"', html)
    assert html.endswith("</section>") and "<html" not in html and 'id="filters"' not in html
    assert names(html) == ["Lò Văn Thanh"]


def test_searched_name_never_in_a_url(client, db, login, listing, add_child, officer):
    for given in GIVEN:  # enough for a "Xem tiếp" button
        for middle in ("Văn", "Minh", "Quốc", "Đức", "Gia"):
            add_child(f"Nguyễn {middle} {given}")
    login(officer)
    get = client.get("/children/")
    assert get.status_code == 200 and count(get.get_data(as_text=True)) == 55
    html = listing(q="Nguyễn")
    assert re.search(r'<form id="filters" method="post"', html)
    assert re.search(r'<form method="post" action="/children/"', html)  # the "Xem tiếp" form
    urls = re.findall(r'(?:href|action|hx-post|hx-get|src)="([^"]*)"', html)
    assert urls
    for url in urls:
        for form in ("Nguyễn", quote("Nguyễn"), "nguyen", "Nguy"):
            assert form.lower() not in url.lower()
    assert 'method="get"' not in html.lower()
    listed = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "children_listed")).all()
    assert listed and all("nguy" not in str(e.detail).lower() for e in listed)
