"""An imported file is judged by the same text rule as the sync API (fieldapp/text.py): an
item holding NUL or a lone surrogate is "invalid" and the others are stored; a file nested
too deep, or naming its author with such a character, is refused with a message, never a 500
(issue 12, findings 5 and 6)."""

import json

import pytest
from sqlalchemy import select

from fieldapp.collection.models import Submission
from tests.collection.test_import import _upload, export_file, new_child


@pytest.mark.parametrize("bad", ["\x00", "\ud800"])
def test_an_item_with_unstorable_text_is_invalid_and_the_rest_stored(
        client, db, login, officer, collector, village, bad):
    good, wrong = new_child(village.code, "Lò Thị Một"), new_child(village.code, f"Lò{bad}Hai")
    login(officer)
    content = json.dumps({**json.loads(export_file(collector, [])),
                          "submissions": [good, wrong]}).encode()  # ASCII: \ud800 escaped
    answer = _upload(client, content)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Đã nhận, chờ duyệt: 1" in html and "Chưa hợp lệ: 1" in html
    assert "Có ký tự không hợp lệ." in html and "Lò\ufffdHai" in html
    assert [s.data["child"]["full_name"] for s in db.session.scalars(select(Submission))] == [
        "Lò Thị Một"]


@pytest.mark.parametrize("content", [
    b"[" * 4000 + b"]" * 4000,
    b'{"format": "fieldapp-outbox", "submissions": [], "user": ' + b"[" * 30 + b"]" * 30 + b"}",
])
def test_a_file_nested_too_deep_is_unreadable(client, login, officer, content):
    login(officer)
    answer = _upload(client, content)
    assert answer.status_code == 422
    assert "Tệp không đọc được" in answer.get_data(as_text=True)


def test_an_author_named_with_a_nul_is_no_account(client, login, officer, collector):
    login(officer)
    body = json.loads(export_file(collector, []))
    body["user"]["username"] = collector.username + "\x00"
    answer = _upload(client, json.dumps(body).encode())
    assert answer.status_code == 422
    assert "Tệp không thuộc tài khoản" in answer.get_data(as_text=True)
