from fieldapp.children.models import Child
from tests.submissions import changed


def test_new_child_then_update(submit, decide, item, db, add_child, officer_does):
    s, = submit(item())
    child = decide("approve_submission", s)
    assert s.state == "approved" and child.full_name == "Lò Văn Thanh"
    assert str(child.household_id) == s.data["household"]["ref"]
    sib, = submit(changed(item(), {"data.child.full_name": "Lò Thị Mai", "data.child.sex": "2",
                                   "data.household.ref": s.data["household"]["ref"],
                                   "data.child.personal_id": None}))
    c2 = decide("approve_submission", sib)
    assert c2.household_id == child.household_id
