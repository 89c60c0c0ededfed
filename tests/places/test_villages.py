"""The villages page: add, rename, deactivate and reactivate, each audited (DOMAIN §3)."""

import unicodedata

import pytest

from tests.factories import COMMUNE_B

DUPLICATE = "Xã đã có thôn/bản với tên này."


def test_codes_are_given_in_order(client, add, villages):
    for name in ("Bản Một", "Bản Hai", "Tiểu khu 3"):
        answer = add(name)
        assert answer.status_code == 302 and answer.headers["Location"] == "/villages/"
    assert {code: v.name for code, v in villages().items()} == {
        "03808-001": "Bản Một", "03808-002": "Bản Hai", "03808-003": "Tiểu khu 3",
    }
    assert "Đã thêm Tiểu khu 3 (mã 03808-003)." in client.get("/villages/").get_data(as_text=True)


def test_next_code_follows_the_highest_even_if_deactivated(make, add, post, villages):
    make.village(COMMUNE_B)  # another commune's numbering does not count
    for name in ("Bản Một", "Bản Hai", "Bản Ba"):
        add(name)
    assert post("/villages/03808-003/active").status_code == 302
    add("Bản Bốn")
    assert list(villages()) == ["03808-001", "03808-002", "03808-003", "03808-004"]
    assert villages()["03808-003"].active is False


def test_rename(add, post, villages):
    add("Bản Cũ")
    assert post("/villages/03808-001/rename", name="Bản Mới").status_code == 302
    assert villages()["03808-001"].name == "Bản Mới"


@pytest.mark.parametrize(
    ("stored", "new_name"),
    [
        ("Bản Nà", "Bản Nà"),
        ("Bản Nà", "bản nà"),
        ("Bản Nà", "  Bản   Nà "),
        ("BẢN NÀ", "Bản Nà"),  # case folded beyond ASCII, on SQLite too
        ("Bản Nà", "BẢN NÀ"),
    ],
)
def test_duplicate_name_in_the_commune_is_refused(add, post, villages, stored, new_name):
    add(stored)
    add("Bản Pá")
    answer = post("/villages/03808-002/rename", name=new_name)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'<p class="error" id="name-error">{DUPLICATE}</p>' in page
    assert 'aria-invalid="true"' in page
    assert villages()["03808-002"].name == "Bản Pá"
    assert add(new_name).status_code == 422
    assert len(villages()) == 2


def test_same_name_in_another_commune_is_allowed(make, add, post, villages):
    make.village(COMMUNE_B, name="Bản Nà")
    assert add("Bản Nà").status_code == 302
    add("Bản Pá")
    assert post("/villages/03808-002/rename", name="Bản Pá").status_code == 302  # itself
    assert [v.name for v in villages().values()] == ["Bản Nà", "Bản Pá"]


def test_deactivate_and_reactivate(client, add, post, villages):
    add("Bản Một")
    post("/villages/03808-001/active")
    assert villages()["03808-001"].active is False
    assert 'class="inactive"' in client.get("/villages/").get_data(as_text=True)
    post("/villages/03808-001/active")
    assert villages()["03808-001"].active is True


def test_names_are_nfc_with_single_spaces(add, villages):
    decomposed = unicodedata.normalize("NFD", "  Bản \t Mường   Chùm ")
    assert add(decomposed).status_code == 302
    name = villages()["03808-001"].name
    assert name == "Bản Mường Chùm" and unicodedata.is_normalized("NFC", name)
    assert add(unicodedata.normalize("NFD", "Bản Mường Chùm")).status_code == 422


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Vui lòng nhập tên thôn/bản."),
        ("   ", "Vui lòng nhập tên thôn/bản."),
        ("A", "Tên thôn/bản có từ 2 đến 100 ký tự."),
        ("  A  ", "Tên thôn/bản có từ 2 đến 100 ký tự."),
        ("x" * 101, "Tên thôn/bản có từ 2 đến 100 ký tự."),
    ],
)
def test_invalid_name_answers_422_page_or_fragment(add, villages, name, message):
    page = add(name)
    assert page.status_code == 422
    assert "<html" in page.get_data(as_text=True) and message in page.get_data(as_text=True)
    fragment = add(name, htmx=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and "HX-Request" in fragment.vary
    assert body.lstrip().startswith('<form id="village-form"') and "<html" not in body
    assert message in body
    assert villages() == {}


def test_rename_errors_answer_the_rename_fragment_to_htmx(add, post):
    add("Bản Một")
    answer = post("/villages/03808-001/rename", htmx=True, name="")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert body.lstrip().startswith('<form id="rename-form"') and "<html" not in body


def test_htmx_success_redirects_with_a_header(add):
    answer = add("Bản Một", htmx=True)
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == "/villages/"


def test_every_change_is_audited_with_the_commune(officer, add, post, village_entries):
    add("Bản Một")
    post("/villages/03808-001/rename", name="Bản Mới")
    post("/villages/03808-001/active")
    post("/villages/03808-001/active")
    entries = village_entries()
    assert [e.action for e in entries] == [
        "village_created", "village_renamed", "village_deactivated", "village_reactivated",
    ]
    for entry in entries:
        assert (entry.object_id, entry.commune_code) == ("03808-001", "03808")
        assert (entry.user_id, entry.username) == (officer.id, officer.username)


def test_refused_change_writes_no_audit_entry(add, post, village_entries):
    add("Bản Một")
    add("Bản Hai")
    post("/villages/03808-002/rename", name="Bản Một")
    add("")
    assert [e.action for e in village_entries()] == ["village_created", "village_created"]
