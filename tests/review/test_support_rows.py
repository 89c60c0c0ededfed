"""Support a collector was never shown is not theirs to rewrite: the packet carries no note
(and no support of a child in a restricted group), so approving their update keeps what the
register holds."""

from fieldapp.children.models import SupportRecord
from tests.review.reviewer import packet_update

NOTE = "Nhận tại nhà văn hóa"


def test_an_update_from_the_packet_keeps_the_support_note(api, submit, decide, db, add_child):
    child = add_child(support=[{"form": "TG02", "date": "2024-02-01", "provider": "Trường",
                                "note": NOTE}])
    update = packet_update(api, child, {"data.child.full_name": "Lò Văn Thành"})
    assert update["data"]["supports"][0]["note"] == ""  # the phone was never shown it
    s, = submit(update)
    decide("approve_submission", s)
    db.session.refresh(child)
    assert child.full_name == "Lò Văn Thành"
    assert [(g.form, g.provider, g.note) for g in child.support] == [("TG02", "Trường", NOTE)]


def test_a_hidden_support_named_by_its_id_is_left_as_it_is(api, submit, decide, db, add_child):
    child = add_child(circumstances=[{"code": "DB12", "since": "2024-01-01"}],
                      support=[{"form": "TG06", "date": "2024-02-01", "provider": "Trung tâm",
                                "note": "Chỉ cán bộ xã biết"}])
    [hidden] = child.support
    update = packet_update(api, child)
    assert update["data"]["supports"] == []
    update["data"]["supports"] = [{"id": str(hidden.id), "code": "TG01", "date": "2024-03-01",
                                   "provider": "Khác", "amount": None, "note": ""}]
    s, = submit(update)
    decide("approve_submission", s)
    db.session.expire_all()
    row = db.session.get(SupportRecord, hidden.id)
    assert (row.form, row.provider, row.note) == ("TG06", "Trung tâm", "Chỉ cán bộ xã biết")
