"""A phone's death from injury in the officer's review panel (issue 14): the cause is shown,
and approving it closes the record with K02 and that cause."""

from fieldapp.children.models import Child
from tests.factories import PASSWORD
from tests.review.reviewer import packet_update
from tests.review.test_panel import HTMX, token_of


def test_a_death_from_injury_shows_its_cause_and_approves_as_k02(client, login, officer, api,
                                                                 submit, add_child, db):
    login(officer, PASSWORD)
    child = add_child()
    s, = submit(packet_update(api, child, {"data.closure": {
        "reason": "died", "date": None, "note": None, "injury": True, "cause": "NN01"}}))
    html = client.get(f"/review/{s.id}", headers=HTMX).get_data(as_text=True)
    assert "Nguyên nhân tai nạn thương tích" in html and "Đuối nước" in html
    answer = client.post(f"/review/{s.id}/approve", headers=HTMX,
                         data={"csrf_token": token_of(html)})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    db.session.expire_all()
    child = db.session.get(Child, child.id)
    assert child.closed_reason == "died"
    assert [(c.code, c.detail) for c in child.circumstances] == [
        ("K02", {"injury_cause": "NN01"})]
