"""The officer's review pages through the real HTTP stack (CSRF on)."""

import re

from fieldapp.children.models import Child
from fieldapp.collection.models import Submission
from fieldapp.cursors import encode_cursor
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.submissions import changed


def _panel_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_home_counts_and_inbox(client, login, officer, submit, item, db):
    first, = submit(item())
    second, = submit(changed(item(), {"data.child.full_name": "Lò Thị Mai",
                                      "data.child.sex": "2", "data.child.personal_id": None}))
    login(officer, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "2 phiếu chờ duyệt" in home
    page = client.get("/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Lò Văn Thanh") < html.index("Lò Thị Mai")  # oldest first
    one = client.get(f"/review/{first.id}", headers={"HX-Request": "true"})
    assert one.status_code == 200
    body = one.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="review-panel"')
    token = _panel_token(body)
    refused = client.post(f"/review/{first.id}/return", data={"csrf_token": token, "note": " "},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "Vui lòng ghi điều cần sửa." in refused.get_data(as_text=True)
    done = client.post(f"/review/{first.id}/approve", data={"csrf_token": token},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200, done.get_data(as_text=True)
    text = done.get_data(as_text=True)
    assert "Đã duyệt phiếu." in text and f'id="sub-{first.id}" hx-swap-oob="delete"' in text
    assert "Lò Thị Mai" in text  # the next one opens in the panel
    db.session.expire_all()
    assert db.session.get(Submission, first.id).state == "approved"
    assert db.session.query(Child).filter_by(full_name="Lò Văn Thanh").count() == 1
    bulk = client.get("/review/bulk")
    assert bulk.status_code == 200
    assert "1 / 1 phiếu duyệt được" in bulk.get_data(as_text=True)
    token = csrf_token(client, "/review/bulk")
    client.post("/review/bulk", data={"csrf_token": token, "ids": [str(second.id)]})
    db.session.expire_all()
    assert db.session.get(Submission, second.id).state == "approved"


def test_forged_filters_and_cursors_are_ignored(client, login, officer, submit, item):
    submit(item())
    login(officer, PASSWORD)
    nil = "00000000-0000-0000-0000-000000000000"
    for query in ("collector=²", "collector=99999999999999999999",
                  "village=x' or 1=1", "kind=weird&flag=nope",
                  "cursor=" + encode_cursor(["2026-01-01T00:00:00", nil]),
                  "cursor=" + encode_cursor(["0001-01-01T00:00:00+07:00", nil]),
                  "cursor=" + encode_cursor([1, 2]), "cursor=%%%"):
        answer = client.get(f"/review?{query}")
        assert answer.status_code == 200, query
        assert "Lò Văn Thanh" in answer.get_data(as_text=True), query
    assert client.get("/review?village=%00").status_code == 400  # fieldapp/text.py


def test_decisions_read_in_the_audit_log(client, login, officer, submit, item, decide):
    s, = submit(item())
    decide("return_submission", s, "Thiếu tên mẹ")
    login(officer, PASSWORD)
    html = client.get("/audit/?object_type=submission").get_data(as_text=True)
    assert "Trả lại phiếu" in html and "Phiếu thu thập" in html and str(s.id) in html
