"""Text no database can keep (NUL and the other control characters) and text too long are
refused by every form, with a message next to the field, never a 500 (issue 12, findings 5
and 6). Tab, line feed and carriage return stay allowed."""

import importlib
import inspect
import pkgutil

import pytest
import wtforms
from sqlalchemy import select

import fieldapp
from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.forms import CheckedMeta
from fieldapp.places.models import Village
from tests.children.pages import count, error_of, form_values
from tests.conftest import csrf_token

REFUSED = "Có ký tự không hợp lệ."
UNSTORABLE = ["\x00", "\x01", "\x0b", "\x1b", "\x1f", "\ufffe"]


@pytest.mark.parametrize("bad", UNSTORABLE)
def test_the_child_form_refuses_a_control_character_next_to_the_field(
        client, db, login, officer, add_child, bad):
    child = add_child("Lò Văn Thanh", address="Tổ 1")
    login(officer)
    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    values["address"] = f"Tổ{bad}9"
    for headers in ({}, {"HX-Request": "true"}):
        answer = client.post(f"/children/{child.id}/edit", data=values, headers=headers)
        assert answer.status_code == 422
        assert error_of(answer.get_data(as_text=True), "address") == REFUSED
    db.session.refresh(child)
    assert (child.address, child.version) == ("Tổ 1", 1)


def test_tab_and_line_breaks_are_not_refused(client, db, login, officer, add_child):
    child = add_child("Lò Văn Thanh", address="Tổ 1")
    login(officer)
    values = form_values(client.get(f"/children/{child.id}/edit").get_data(as_text=True),
                         "child-form")
    values["address"] = "Tổ\t9\r\n"
    assert client.post(f"/children/{child.id}/edit", data=values).status_code == 302
    db.session.refresh(child)
    assert child.address == "Tổ 9"  # the register keeps single spaces


@pytest.mark.parametrize("bad", ["\x00", "\x1b"])
def test_a_village_name_with_a_control_character_is_refused(client, db, login, officer, bad):
    login(officer)
    token = csrf_token(client, "/villages/")
    answer = client.post("/villages/", data={"csrf_token": token, "name": f"Bản{bad}Mới"})
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True), "name") == REFUSED
    assert db.session.scalars(select(Village).where(Village.name.like("Bản%Mới"))).first() \
        is None


def test_an_account_name_with_a_nul_is_refused(client, db, make, login, officer):
    village = make.village()
    login(officer)
    token = csrf_token(client, "/accounts/new")
    answer = client.post("/accounts/new", data={
        "csrf_token": token, "username": "ctv.nul", "full_name": "Lò\x00Văn Mới",
        "role": roles.COLLABORATOR, "village_codes": [village.code]})
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True), "full_name") == REFUSED
    assert db.session.scalars(select(User).where(User.username == "ctv.nul")).first() is None


def test_a_name_too_long_is_told_in_vietnamese(client, db, make, login, officer):
    login(officer)
    token = csrf_token(client, "/accounts/new")
    answer = client.post("/accounts/new", data={
        "csrf_token": token, "username": "u" * 51, "full_name": "L" * 101,
        "role": roles.COLLABORATOR})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert error_of(html, "username") == "Tối đa 50 ký tự."
    assert error_of(html, "full_name") == "Tối đa 100 ký tự."


def test_a_text_field_without_a_limit_of_its_own_gets_one(client, db, make, login):
    login(make.user(roles.ADMIN))
    token = csrf_token(client, "/accounts/new")
    answer = client.post("/accounts/new", data={
        "csrf_token": token, "username": "ctv.dai", "role": roles.COLLABORATOR,
        "place_codes": "0" * 1001})
    assert answer.status_code == 422
    assert error_of(answer.get_data(as_text=True), "place_codes") == "Tối đa 1000 ký tự."


@pytest.mark.parametrize(("q", "message"), [
    pytest.param("Lò\x00", REFUSED, id="NUL"),
    pytest.param("Lò\x1f", REFUSED, id="unit separator"),
    pytest.param("Lò" * 25_001, "Tối đa 100 ký tự.", id="50 kB"),
    pytest.param("a" * 101, "Tối đa 100 ký tự.", id="101 characters"),
])
def test_a_search_that_cannot_be_run_is_a_message_not_a_500(
        client, login, officer, add_child, listing, q, message):
    add_child("Lò Văn Thanh")
    login(officer)
    html = listing(q=q, expect=422)
    assert error_of(html, "q") == message
    assert count(html) == 0
    fragment = listing(q=q, expect=422, headers={"HX-Request": "true"})
    assert f"Tìm theo tên hoặc số định danh: {message}" in fragment


def test_a_search_of_a_hundred_characters_runs(client, login, officer, add_child, listing):
    add_child("Lò Văn Thanh")
    login(officer)
    assert count(listing(q="Lò Văn Thanh")) == 1
    assert count(listing(q="x" * 100)) == 0


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(fieldapp.__path__, "fieldapp."):
        importlib.import_module(module.name)
    found = set()
    for name, module in list(__import__("sys").modules.items()):
        if not name.startswith("fieldapp"):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, wtforms.Form) and cls.__module__.startswith("fieldapp"):
                found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_of_the_app_checks_its_text():
    """A new form that derives from flask_wtf's or wtforms' own class would skip the rule."""
    classes = _form_classes()
    assert len(classes) > 20
    unchecked = [f"{c.__module__}.{c.__qualname__}" for c in classes
                 if not any(issubclass(base.__dict__["Meta"], CheckedMeta)
                            for base in c.__mro__ if "Meta" in base.__dict__)]
    assert unchecked == []
