"""A submission received before the edge refused unstorable text (fieldapp/text.py) cannot
be approved — no register could keep it — but is refused with the field named, and can be
returned to its collector (issue 12, finding 5)."""

import pytest
from sqlalchemy.orm.attributes import flag_modified

from tests.api.problems import assert_problem
from tests.review.reviewer import children, decisions, submission


@pytest.mark.parametrize("bad", ["\x00", "\x1b"])
def test_unstorable_text_already_stored_is_refused_at_approval(db, submit, item, reviewer, bad):
    s, = submit(item())
    s.data["child"]["address"] = f"Tổ{bad}4"  # as an older server let it in
    flag_modified(s, "data")
    db.session.flush()
    problem = assert_problem(reviewer.decide(s.id, {"action": "approve"}), 422)
    assert problem["errors"] == {"child.address": ["Có ký tự không hợp lệ."]}
    s = submission(db, s)
    assert (s.state, children(db), decisions(db, s)) == ("received", 0, [])
    back = reviewer.decide(s.id, {"action": "return", "note": "Gõ lại địa chỉ."})
    assert back.status_code == 200
    assert submission(db, s).state == "returned"
