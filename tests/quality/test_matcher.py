"""The commune scan of the register's probable duplicates (blocks, NotDuplicate, closed and
merged records); the scorer's table of pairs is ``tests/children/test_matching.py``."""

from datetime import date

import pytest

from fieldapp.children import matching, services
from fieldapp.quality import matcher
from fieldapp.quality.models import NotDuplicate
from tests.children.test_matching import BORN, MOTHER, TODAY

__all__ = ["BORN", "TODAY"]  # shared with the other quality tests


# ---- the scan, on the register ----------------------------------------------------------


@pytest.fixture()
def register_child(add_child):
    """``add_child`` with the matching table's birth date and a mother named ``mother``."""

    def build(full_name="Lò Văn Thanh", *, born=BORN, mother=MOTHER, **fields):
        caregivers = [{"relation": "mother", "full_name": mother}]
        return add_child(full_name, born=born, caregivers=caregivers, capture_date=TODAY,
                         **fields)

    return build


def pairs_of(commune="03808", **kwargs) -> set[frozenset]:
    return {frozenset((p.a.id, p.b.id)) for p in matcher.scan(commune, **kwargs)}


def test_scan_finds_the_pairs_best_first(register_child, village2):
    thanh = register_child()
    again = register_child("Lo Van Thanh")
    moved = register_child("Lò Thanh", place=village2)
    swapped = register_child(born=BORN.replace(day=5, month=3), mother="Hà Thị Lan")
    register_child("Lò Văn Thanh", born=BORN.replace(year=BORN.year - 1))  # a namesake
    register_child("Lò Văn Chanh", household_id=thanh.household_id)  # his twin
    register_child("Cầm Thị Hoa", sex="2")
    pairs = matcher.scan("03808")
    assert [frozenset((p.a.id, p.b.id)) for p in pairs][:1] == [frozenset((thanh.id, again.id))]
    assert {frozenset((p.a.id, p.b.id)) for p in pairs} == {
        frozenset((thanh.id, again.id)), frozenset((thanh.id, moved.id)),
        frozenset((again.id, moved.id)), frozenset((thanh.id, swapped.id)),
        frozenset((again.id, swapped.id))}
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert all(p.a.id < p.b.id for p in pairs)  # as NotDuplicate stores them
    assert pairs[0].score == 100 and "Cùng tên người nuôi dưỡng" in pairs[0].reasons


def test_scan_blocks_find_other_villages_and_id_numbers(register_child, village2):
    a = register_child(pid="014220001234", born=date(2020, 1, 10))
    b = register_child("Quàng Thị Nga", sex="2", place=village2, born=date(2019, 7, 1))
    b.personal_id = a.personal_id  # a number typed on the wrong child (the rules refuse it)
    c = register_child("Lò Văn Thanh", place=village2, born=date(2020, 1, 10))
    d = register_child("Lò Văn Thanh Hải", born=date(2020, 1, 10))  # one word more
    assert pairs_of() == {frozenset((a.id, b.id)), frozenset((a.id, c.id)),
                          frozenset((a.id, d.id)), frozenset((c.id, d.id))}


def test_village_filter(register_child, village, village2):
    a, b = register_child(), register_child(place=village2)
    c, d = register_child("Cầm Thị Hoa", sex="2"), register_child("Cầm Thị Hoa", sex="2")
    assert pairs_of(village_code=village2.code) == {frozenset((a.id, b.id))}
    assert frozenset((c.id, d.id)) in pairs_of(village_code=village.code)


def test_dismissed_closed_merged_and_over_age_records_are_left_out(app, db, officer,
                                                                   register_child):
    a, b = register_child(), register_child()
    c, d = register_child("Cầm Thị Hoa", sex="2"), register_child("Cầm Thị Hoa", sex="2")
    e, f = register_child("Hà Văn Tủa"), register_child("Hà Văn Tủa")
    g, h = register_child("Vì Văn Sử"), register_child("Vì Văn Sử")
    assert {frozenset((a.id, b.id)), frozenset((c.id, d.id)), frozenset((e.id, f.id)),
            frozenset((g.id, h.id))} <= pairs_of()
    first, second = sorted((a.id, b.id))
    db.session.add(NotDuplicate(child_a_id=first, child_b_id=second, commune_code="03808",
                                decided_by_id=officer.id))
    with app.test_request_context():
        services.close_child(officer, d, "moved_away", TODAY)
        services.close_child(officer, f, "merged", TODAY, merged_into=e)
    h.date_of_birth = date(TODAY.year - 17, 1, 1)  # 16 since: read-only, out of the lists
    g.date_of_birth = h.date_of_birth
    db.session.flush()
    assert pairs_of() == set()


def test_other_communes_children_are_never_paired(make, register_child, far_village):
    from fieldapp import roles
    from tests.factories import COMMUNE_B

    far = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    here = register_child()
    there = register_child(place=far_village, actor=far)
    there2 = register_child(place=far_village, actor=far)
    assert pairs_of() == set()
    assert pairs_of(COMMUNE_B) == {frozenset((there.id, there2.id))}
    assert here.id not in {p.a.id for p in matcher.scan(COMMUNE_B)}


def test_score_takes_register_children(register_child):
    a = register_child()
    b = register_child("Lo Van Thanh", mother="Luong Thi Xuan")
    verdict = matching.score(a, b)
    assert verdict.score == 100 and "Cùng tên người nuôi dưỡng" in verdict.reasons
    assert matcher.count("03808") == 1
