"""Re-check (phúc tra) services: a reproducible random sample, the outcome of each record, the
discrepancy rates, and the wrong records sent back to the collectors' phones."""

import random
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.collection import services as collection
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.quality import recheck
from fieldapp.quality.models import RecheckSample
from tests.quality.conftest import BORN, days_ago

# ----- the size of a sample, and the draw itself (no database) -----


@pytest.mark.parametrize(("population", "how", "amount", "expected"), [
    (7, "number", 3, (3, None)),
    (7, "number", 7, (7, None)),
    (7, "number", 20, (7, None)),  # more than there are: every record
    (30, "percent", 5, (2, 5)),  # 1.5 rounded up
    (10, "percent", 1, (1, 1)),  # never an empty sample
    (3, "percent", 34, (2, 34)),  # 1.02 rounded up
    (10, "percent", 100, (10, 100)),
    (1, "number", 1, (1, None)),
])
def test_the_size_is_a_number_or_a_percentage_rounded_up(population, how, amount, expected):
    assert recheck.sample_size(population, how, amount) == expected


@pytest.mark.parametrize(("population", "how", "amount", "field", "message"), [
    (10, "number", 0, "amount", "Phải lớn hơn 0."),
    (10, "number", -3, "amount", "Phải lớn hơn 0."),
    (10, "percent", 0, "amount", "Phải lớn hơn 0."),
    (10, "percent", -5, "amount", "Phải lớn hơn 0."),
    (10, "percent", 101, "amount", "Tỷ lệ tối đa là 100%."),
    (10, "ratio", 5, "how", "Chọn theo số hồ sơ hoặc theo tỷ lệ phần trăm."),
    (0, "number", 5, "village", "Thôn/bản (hoặc xã) này chưa có hồ sơ trẻ em đang quản lý."),
    (0, "percent", 50, "village", "Thôn/bản (hoặc xã) này chưa có hồ sơ trẻ em đang quản lý."),
])
def test_sizes_refused_in_vietnamese(population, how, amount, field, message):
    with pytest.raises(ValidationFailed) as refused:
        recheck.sample_size(population, how, amount)
    assert refused.value.errors == {field: [message]}


@pytest.mark.parametrize(("text", "value"), [("12", 12), (" 5 ", 5), ("-1", -1)])
def test_the_amount_typed_is_read_as_a_whole_number(text, value):
    assert recheck.read_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "2,5", "10%", None])
def test_an_amount_that_is_no_whole_number_is_refused(text):
    with pytest.raises(ValidationFailed) as refused:
        recheck.read_amount(text)
    assert refused.value.errors == {"amount": ["Nhập một số nguyên, ví dụ 10."]}


def test_the_same_seed_over_the_same_ids_draws_the_same_in_any_order():
    ids = [uuid.uuid4() for _ in range(200)]
    shuffled = random.Random(1).sample(ids, len(ids))
    first = recheck.choose(ids, 20, "phuc-tra-2026")
    assert recheck.choose(shuffled, 20, "phuc-tra-2026") == first
    assert len(set(first)) == 20 and set(first) <= set(ids)
    assert set(recheck.choose(ids, 20, "another-seed")) != set(first)  # 1 in C(200, 20)


# ----- drawing from the register -----


@pytest.fixture()
def run(app, db):
    """``run(service, *args, **kwargs)``: a re-check service in a request context, flushed."""

    def call(name, *args, **kwargs):
        with app.test_request_context():
            out = getattr(recheck, name)(*args, **kwargs)
            db.session.flush()
        return out

    return call


NAMES = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam",
         "Phúc", "Quang")


@pytest.fixture()
def twelve(add_child, village):
    return [add_child(f"Lò Văn {name}", place=village) for name in NAMES]


def drawn(sample: RecheckSample) -> list:
    return [item.child_id for item in sample.items]


def test_drawing_again_with_the_seed_gives_the_same_children(run, officer, village, twelve):
    first = run("draw_sample", officer, village, "number", 5, seed="phuc-tra-2026")
    again = run("draw_sample", officer, village, "number", 5, seed="phuc-tra-2026")
    other = run("draw_sample", officer, village, "number", 5, seed="a-different-seed")
    assert drawn(first) == drawn(again)
    assert drawn(first) != drawn(other)  # ordered 5 of 12: 1 chance in 95,040
    assert (first.seed, first.population, first.size, first.percent) == (
        "phuc-tra-2026", 12, 5, None)
    assert (first.village_code, first.commune_code) == (village.code, village.commune_code)
    assert [i.position for i in first.items] == [1, 2, 3, 4, 5]
    assert set(drawn(first)) <= {c.id for c in twelve}


def test_a_percentage_is_recorded_and_rounded_up(run, officer, village, twelve):
    sample = run("draw_sample", officer, village, "percent", 10)
    assert (sample.size, sample.percent, sample.population) == (2, 10, 12)
    everyone = run("draw_sample", officer, village, "percent", 100)
    assert sorted(drawn(everyone)) == sorted(c.id for c in twelve)


def test_the_seed_is_random_unless_given(run, officer, village, twelve):
    one = run("draw_sample", officer, village, "number", 3)
    two = run("draw_sample", officer, village, "number", 3, seed="   ")
    assert len(one.seed) == 16 and int(one.seed, 16) >= 0
    assert one.seed != two.seed
    spaced = run("draw_sample", officer, village, "number", 3, seed=" abc 123 ")
    assert spaced.seed == "abc123"
    with pytest.raises(ValidationFailed) as refused:
        run("draw_sample", officer, village, "number", 3, seed="x" * 65)
    assert refused.value.errors == {"seed": ["Tối đa 64 ký tự, không có khoảng trắng."]}


def test_the_population_is_the_active_records_of_the_place(run, add_child, officer, village,
                                                           village2, far_village, db):
    here = add_child("Lò Văn Một")
    there = add_child("Lò Văn Hai", place=village2)
    add_child("Lò Văn Ba", place=far_village)  # another commune
    add_child("Lò Văn Bốn", closed_on=days_ago(3), closed_reason="moved_away")
    add_child("Lò Văn Năm", date_of_birth=BORN.replace(year=BORN.year - 10))  # 17 now
    village_only = run("draw_sample", officer, village, "number", 10)
    assert drawn(village_only) == [here.id] and village_only.population == 1
    commune = run("draw_sample", officer, None, "number", 10)
    assert sorted(drawn(commune)) == sorted([here.id, there.id])
    assert commune.village_code is None and commune.population == 2
    item = next(i for i in commune.items if i.child_id == there.id)
    assert (item.child_version, item.village_code) == (there.version, village2.code)


def test_an_empty_place_or_a_village_of_another_commune_draws_nothing(run, officer, village,
                                                                      far_village, db):
    with pytest.raises(ValidationFailed) as refused:
        run("draw_sample", officer, village, "number", 3)
    assert refused.value.detail == "Không có hồ sơ nào đang quản lý để phúc tra."
    with pytest.raises(NotFound):
        run("draw_sample", officer, far_village, "number", 3)
    assert db.session.scalars(select(RecheckSample)).all() == []


def approved(db, child, user, at, state="approved") -> Submission:
    """A submission about ``child`` by ``user`` decided at ``at`` (straight onto the row)."""
    data = {"child": {"full_name": child.full_name}}
    s = Submission(id=uuid.uuid4(), kind="child", user_id=user.id,
                   commune_code=child.commune_code, village_code=child.village_code,
                   child_id=child.id, captured_at=at, received_at=at, updated_at=at,
                   state=state, content_hash="x" * 64, data=data, decided_at=at)
    db.session.add(s)
    db.session.flush()
    return s


@pytest.fixture()
def collaborators(make, village):
    return [make.user(roles.COLLABORATOR, [village]) for _ in range(3)]


def test_each_record_keeps_its_last_approved_collector(run, db, add_child, officer, village,
                                                       collaborators):
    first, second, third = collaborators
    child, orphan = add_child("Lò Văn Một"), add_child("Lò Văn Hai")
    now = utcnow()
    approved(db, child, first, now - timedelta(days=30))
    approved(db, child, second, now - timedelta(days=10))
    approved(db, child, third, now - timedelta(days=1), state="received")  # not approved
    approved(db, child, third, now - timedelta(days=2), state="returned")
    sample = run("draw_sample", officer, village, "number", 2)
    collectors = {i.child_id: i.collector_id for i in sample.items}
    assert collectors == {child.id: second.id, orphan.id: None}


# ----- recording the outcome -----


@pytest.fixture()
def one(run, add_child, officer, village):
    """A sample of one record (with a restricted circumstance), and its item."""
    child = add_child("Lò Văn Thanh", circumstances=[
        {"code": "DB05", "since": days_ago(100)}, {"code": "DB01", "since": days_ago(50)}])
    sample = run("draw_sample", officer, village, "number", 1)
    return sample, sample.items[0], child


def test_a_right_record_sends_nothing_back(run, db, officer, one):
    sample, item, child = one
    assert run("record_item", officer, item, "right", [], "  ") == []
    assert (item.outcome, item.wrong_fields, item.note, item.submission_id) == (
        "right", None, None, None)
    assert item.checked_by_id == officer.id and item.checked_at is not None
    assert sample.finished_at is not None  # every record of the sample is checked
    assert db.session.scalars(select(Submission)).all() == []


def test_a_wrong_record_goes_back_to_its_collector_as_the_phone_sees_it(
        run, db, officer, one, collaborators):
    sample, item, child = one
    collector = collaborators[0]
    item.collector_id = collector.id
    sent = run("record_item", officer, item, "wrong",
               ["child.date_of_birth", "child.full_name"], " Tên  mẹ\tghi sai ")
    assert item.wrong_fields == ["child.full_name", "child.date_of_birth"]  # the list's order
    assert item.note == "Tên mẹ ghi sai"
    [s] = sent
    assert item.submission_id == s.id
    assert (s.user_id, s.state, s.kind, s.child_id) == (collector.id, "returned", "child",
                                                        child.id)
    assert s.note == "Phúc tra: sai Họ và tên, Ngày sinh — Tên mẹ ghi sai"
    assert s.base_version == s.register_version == child.version and s.stale is False
    assert (s.commune_code, s.village_code) == (child.commune_code, child.village_code)
    assert s.decided_by_id == officer.id and s.corrects_id is None
    seen = child_record.of_child(child, register.circumstances(child, collector),
                             register.supports(child, collector))
    assert s.data["child"] == seen["child"]
    assert s.data["household"] == child_record.of_household(child.household)
    restricted = [c for c in s.data["circumstances"] if c.get("masked")]
    assert len(restricted) == 1 and "code" not in restricted[0]  # DB05 stays hidden
    assert s.content_hash == collection.content_hash({
        "kind": "child", "captured_at": s.captured_at.isoformat(), "child_id": str(child.id),
        "base_version": child.version, "corrects": None, "data": s.data})


def test_without_a_collector_every_field_user_of_the_village_gets_it(
        run, db, make, officer, one, collaborators, village2):
    sample, item, child = one
    head = make.user(roles.VILLAGE_HEAD, [child.village])
    make.user(roles.COLLABORATOR, [child.village], active=False)
    make.user(roles.COLLABORATOR, [village2])
    gone = make.user(roles.COLLABORATOR, [village2])  # no longer works in the child's village
    item.collector_id = gone.id
    sent = run("record_item", officer, item, "wrong", ["caregivers"], "")
    assert sorted(s.user_id for s in sent) == sorted([*(u.id for u in collaborators), head.id])
    assert item.submission_id == min(sent, key=lambda s: s.user_id).id
    assert {s.note for s in sent} == {"Phúc tra: sai Người nuôi dưỡng."}


def test_a_village_with_no_collector_records_the_outcome_only(run, db, officer, one):
    sample, item, child = one
    assert run("record_item", officer, item, "wrong", ["child.sex"]) == []
    assert item.outcome == "wrong" and item.submission_id is None


@pytest.mark.parametrize(("outcome", "fields", "note", "errors"), [
    ("", [], "", {"outcome": ["Chọn Đúng hoặc Sai."]}),
    ("maybe", [], "", {"outcome": ["Chọn Đúng hoặc Sai."]}),
    ("wrong", [], "Sai tên", {"fields": ["Hồ sơ sai: chọn ít nhất một trường sai."]}),
    ("right", ["child.sex"], "", {"fields": ["Hồ sơ đúng thì không chọn trường sai."]}),
    ("wrong", ["child.colour"], "", {"fields": ["Có trường không có trong danh sách."]}),
    ("wrong", ["child.sex"], "x" * 1001, {"note": ["Tối đa 1000 ký tự."]}),
])
def test_an_outcome_refused(run, officer, one, outcome, fields, note, errors):
    sample, item, child = one
    with pytest.raises(ValidationFailed) as refused:
        run("record_item", officer, item, outcome, fields, note)
    assert refused.value.errors == errors
    assert item.outcome is None


def test_an_outcome_is_recorded_once(run, officer, one):
    sample, item, child = one
    run("record_item", officer, item, "right")
    with pytest.raises(recheck.AlreadyRecorded):
        run("record_item", officer, item, "wrong", ["child.sex"])
    assert item.outcome == "right"


def test_another_communes_officer_cannot_record(run, far_officer, one):
    sample, item, child = one
    with pytest.raises(NotFound):
        run("record_item", far_officer, item, "right")
    with pytest.raises(NotFound):
        recheck.get_sample(far_officer, sample.id)


# ----- rates and audit -----


def test_rates_per_village_and_per_collector(run, db, add_child, officer, village, village2,
                                             make, collaborators):
    a, b = collaborators[:2]
    kids = {name: add_child(name, place=place) for name, place in (
        ("Lò Văn Một", village), ("Lò Văn Hai", village), ("Lò Văn Ba", village),
        ("Lò Văn Bốn", village2))}
    now = utcnow()
    approved(db, kids["Lò Văn Một"], a, now)
    approved(db, kids["Lò Văn Hai"], a, now)
    approved(db, kids["Lò Văn Ba"], b, now)
    sample = run("draw_sample", officer, None, "number", 4)
    by_child = {i.child_id: i for i in sample.items}
    outcomes = {"Lò Văn Một": "wrong", "Lò Văn Hai": "right", "Lò Văn Bốn": "wrong"}
    for name, outcome in outcomes.items():  # "Lò Văn Ba" not checked yet
        run("record_item", officer, by_child[kids[name].id], outcome,
            ["child.full_name"] if outcome == "wrong" else [])
    assert sample.finished_at is None
    rates = run("rates", officer, sample)
    assert {r["key"]: (r["drawn"], r["checked"], r["wrong"], r["rate"])
            for r in rates["village"]} == {village.code: (3, 2, 1, 0.5),
                                           village2.code: (1, 1, 1, 1.0)}
    assert {r["key"]: (r["drawn"], r["checked"], r["wrong"], r["rate"])
            for r in rates["collector"]} == {a.id: (2, 2, 1, 0.5), b.id: (1, 0, 0, None),
                                             None: (1, 1, 1, 1.0)}
    run("draw_sample", officer, village, "number", 1)  # nothing checked in it
    overall = run("rates", officer)
    assert {r["key"]: r["drawn"] for r in overall["village"]} == {village.code: 4,
                                                                  village2.code: 1}
    listed = run("samples", officer)
    assert [(r["checked"], r["wrong"]) for r in listed] == [(0, 0), (3, 2)]


def test_draws_and_outcomes_are_audited(run, db, officer, one, collaborators):
    sample, item, child = one
    item.collector_id = collaborators[0].id
    [s] = run("record_item", officer, item, "wrong", ["child.sex"], "Bé gái")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == officer.id,
                                                          AuditEntry.action.like("%re%"))
                                 .order_by(AuditEntry.id)).all()
    drawn_entry = next(e for e in entries if e.action == "recheck_drawn")
    assert (drawn_entry.object_type, drawn_entry.object_id) == ("recheck_sample", str(sample.id))
    assert drawn_entry.detail == {"village": sample.village_code, "size": 1, "percent": None,
                                  "population": 1, "seed": sample.seed}
    recorded = next(e for e in entries if e.action == "recheck_recorded")
    assert recorded.detail == {"child": str(child.id), "outcome": "wrong",
                               "fields": ["child.sex"], "submissions": [str(s.id)]}
    assert recorded.commune_code == child.commune_code
    returned = next(e for e in entries if e.action == "submission_returned")
    assert returned.object_id == str(s.id)
    assert returned.detail == {"recheck": str(sample.id), "child": str(child.id)}
    assert "Bé gái" not in str([e.detail for e in entries])  # no notes in the log
