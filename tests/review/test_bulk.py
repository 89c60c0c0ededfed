"""Approving many at once: only clean new children go through, each of the others is left
waiting with its reasons, and one refused blocks none of the rest."""

import uuid

from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.children.models import Child, Household
from fieldapp.collection import services as collection
from fieldapp.collection.models import Submission
from fieldapp.review import compare, duplicates
from fieldapp.review.bulk import clean_reasons
from fieldapp.review.services import capture_day
from tests.factories import PASSWORD
from tests.review.reviewer import packet_update
from tests.submissions import changed, make_item

UPDATE = "Phiếu cập nhật: cần xem từng trường."
INVALID = "Chưa hợp lệ theo quy định hiện hành."
DUPLICATE = "Có thể trùng với trẻ đã có trong sổ."
WAITING = "Có thể trùng với phiếu khác đang chờ duyệt."
CONFLICT = "Có xung đột nội dung."
OWN = "Phiếu của chính bạn."
DECIDED = "Đã được xử lý."


def named(item, name: str, sex: str = "1") -> dict:
    return changed(item(), {"data.child.full_name": name, "data.child.sex": sex,
                            "data.child.personal_id": None})


def children(db) -> int:
    return db.session.scalar(select(func.count(Child.id)))


def test_clean_new_children_are_approved(submit, decide, db, item):
    a, b = submit(named(item, "Lò Văn Thanh"), named(item, "Lò Thị Mai", "2"))
    made, skipped = decide("bulk_approve", [a, b])
    assert skipped == {}
    assert [c.full_name for c in made] == ["Lò Văn Thanh", "Lò Thị Mai"]
    assert (a.state, b.state) == ("approved", "approved")
    assert (a.child_id, b.child_id) == (made[0].id, made[1].id)
    assert children(db) == 2


def test_each_unclean_one_is_left_waiting_with_its_reason(api, app, submit, decide, db, item,
                                                          add_child, officer, village):
    known = add_child("Quàng Văn Pó")
    clean, update, invalid, duplicate, conflicted, returned = submit(
        named(item, "Lò Văn Thanh"), packet_update(api, known, {"data.child.address": "Tổ 4"}),
        named(item, "Lò Thị Mai", "2"), named(item, "Quàng Văn Pó"),
        named(item, "Cầm Văn Hặc"), named(item, "Tòng Thị Ún", "2"))
    invalid.data = changed(invalid.data, {"child.full_name": "Mai 2"})  # today's rules refuse
    [resent] = api.submit(changed(named(item, "Cầm Văn Hặc"), {"uuid": str(conflicted.id)}))
    assert resent["status"] == "conflict"
    decide("return_submission", returned, "Thiếu ngày sinh của mẹ")
    mine = changed(make_item(village.code), {"data.child.full_name": "Sồng A Dế",
                                             "data.child.personal_id": None})
    with app.test_request_context():
        collection.receive(officer, [mine])
    own = db.session.get(Submission, uuid.UUID(mine["uuid"]))
    db.session.flush()
    db.session.expire_all()
    batch = [clean, update, invalid, duplicate, conflicted, returned, own]
    made, skipped = decide("bulk_approve", batch)
    assert [c.full_name for c in made] == ["Lò Văn Thanh"]
    assert skipped == {update.id: [UPDATE], invalid.id: [INVALID], duplicate.id: [DUPLICATE],
                       conflicted.id: [CONFLICT], returned.id: [DECIDED], own.id: [OWN]}
    for s in batch[1:]:
        db.session.refresh(s)
    assert [s.state for s in batch] == ["approved"] + ["received"] * 4 + ["returned",
                                                                          "received"]
    assert children(db) == 2 and known.version == 1


def test_reasons_add_up(submit, decide, db, item, add_child, officer):
    add_child("Lò Văn Thanh")
    s, = submit(named(item, "Lò Văn Thanh"))
    decide("reject_submission", s, "Trùng")
    db.session.refresh(s)
    comparison = compare.compare(s, None, capture_day(s))
    matches = duplicates.find(officer.commune_code, [duplicates.proposal(s.id, s.data)])
    assert clean_reasons(s, comparison, matches[s.id], officer) == [DECIDED, DUPLICATE]


def test_one_refused_at_approval_blocks_none_of_the_others(api_as, make, submit, decide, db,
                                                           item, village2):
    first, = submit(named(item, "Lò Văn Thanh"))
    neighbour = make.user(roles.COLLABORATOR, [village2])
    far = changed(make_item(village2.code), {"data.child.full_name": "Hà Văn Tủa"})  # no twin
    assert api_as(neighbour).submit(far)[0]["status"] == "accepted"
    last, = submit(named(item, "Lò Thị Mai", "2"))
    village2.active = False  # after receipt: the approval itself refuses it
    db.session.flush()
    refused = db.session.get(Submission, uuid.UUID(far["uuid"]))
    made, skipped = decide("bulk_approve", [first, refused, last])
    assert [c.full_name for c in made] == ["Lò Văn Thanh", "Lò Thị Mai"]
    assert list(skipped) == [refused.id] and skipped[refused.id]
    db.session.refresh(refused)
    assert (refused.state, refused.child_id) == ("received", None)
    household = uuid.UUID(far["data"]["household"]["ref"])
    assert db.session.get(Household, household) is None
    assert (first.state, last.state) == ("approved", "approved")


def test_the_same_child_twice_in_one_batch_is_approved_blindly_neither_time(
        submit, decide, db, item):
    # Was "approved once" (the first of the two, the second then a duplicate of it): a waiting
    # twin now keeps a submission out as a register duplicate does; the officer decides.
    a, b = submit(named(item, "Lò Văn Thanh"), named(item, "Lo Van Thanh"))
    made, skipped = decide("bulk_approve", [a, b])
    assert made == [] and skipped == {a.id: [WAITING], b.id: [WAITING]}
    assert children(db) == 0


def test_a_waiting_twin_outside_the_batch_keeps_it_out_too(api_as, make, submit, decide, db,
                                                          item, village):
    other_collector = make.user(roles.COLLABORATOR, [village])
    twin = named(item, "Lo Van Thanh")
    assert api_as(other_collector).submit(twin)[0]["status"] == "accepted"
    a, = submit(named(item, "Lò Văn Thanh"))
    made, skipped = decide("bulk_approve", [a])
    assert made == [] and skipped == {a.id: [WAITING]} and children(db) == 0


def test_the_bulk_page_ticks_neither_twin(client, login, officer, submit, item):
    a, b = submit(named(item, "Lò Văn Thanh"), named(item, "Lo Van Thanh"))
    login(officer, PASSWORD)
    html = client.get("/review/bulk").get_data(as_text=True)
    assert html.count(WAITING) == 2
    assert f'value="{a.id}" checked' not in html and f'value="{b.id}" checked' not in html


def test_another_communes_submission_is_left_out(api_as, make, submit, decide, db, item,
                                                 far_village):
    outsider = make.user(roles.COLLABORATOR, [far_village])
    theirs = make_item(far_village.code)
    assert api_as(outsider).submit(theirs)[0]["status"] == "accepted"
    foreign = db.session.get(Submission, uuid.UUID(theirs["uuid"]))
    ours, = submit(item())
    made, skipped = decide("bulk_approve", [foreign, ours])
    assert [c.id for c in made] == [ours.child_id] and list(skipped) == [foreign.id]
    db.session.refresh(foreign)
    assert foreign.state == "received"


def test_bulk_approval_applies_the_household_and_death_rules(submit, decide, db, item):
    """Issue 14 through children.batch: NC02 from the household (a phone's NC02 row is left
    out), and a K02 makes the record closed as died on its date."""
    poor, dead = submit(
        changed(named(item, "Lò Văn Thanh"), {"data.circumstances": [
            {"code": "NC02", "since": "2024-01-01"}]}),
        changed(named(item, "Lò Thị Mai", "2"), {"data.household.poverty_status": "none",
                                                 "data.circumstances": [
            {"code": "K02", "since": "2025-01-02", "detail": {"injury_cause": "NN01"}}]}))
    made, skipped = decide("bulk_approve", [poor, dead])
    assert skipped == {}
    first, second = made
    assert [(c.code, c.since) for c in first.circumstances] == [("NC02", capture_day(poor))]
    assert (second.closed_reason, str(second.closed_on)) == ("died", "2025-01-02")
    assert [c.code for c in second.circumstances] == ["K02"]
