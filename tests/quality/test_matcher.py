"""The duplicate matcher: which pairs must and must not match (Vietnamese names with and
without diacritics), and the commune scan (blocks, NotDuplicate, closed and merged records)."""

from datetime import date

import pytest

from fieldapp.children import services
from fieldapp.children.search import fold
from fieldapp.children import matching as similarity
from fieldapp.quality import matcher
from fieldapp.quality.models import NotDuplicate

TODAY = date.today()
BORN = date(TODAY.year - 6, 5, 3)  # 3 May: the day and month can be swapped
MOTHER = "Lường Thị Xuân"


def facts(name="Lò Văn Thanh", *, born=BORN, sex="1", village="03808-001", household="h1",
          pid=None, carers=(MOTHER,), key=None):
    return similarity.Facts(key or name, name, fold(name), sex, born, village, household, pid,
                         tuple(fold(c) for c in carers))


NUMBER = f"0142{BORN.year % 100:02d}001234"
THANH = facts(pid=NUMBER)
CASES = [  # the other record of "Lò Văn Thanh" (born BORN, Bản 1, mother Lường Thị Xuân,
    # with an ID number: the other record has none unless said)
    pytest.param(facts(), True, id="same-record"),
    pytest.param(facts("Lo Van Thanh"), True, id="no-diacritics"),
    pytest.param(facts("LÒ  VĂN THANH"), True, id="upper-case-spaces"),
    pytest.param(facts("Thanh Lò Văn"), True, id="given-name-first"),
    pytest.param(facts("Lò Thanh"), True, id="middle-name-left-out"),
    pytest.param(facts("Lò Đức Thanh"), True, id="other-middle-name"),
    pytest.param(facts("Lò Thị Thanh"), True, id="van-thi-weighed-lightly"),
    pytest.param(facts("Lo Thi Thanh", household="h2"), True, id="thi-no-diacritics"),
    pytest.param(facts(born=BORN.replace(day=5, month=3)), True, id="day-month-swapped"),
    pytest.param(facts(born=BORN.replace(day=20)), True, id="same-month-year"),
    pytest.param(facts(village="03808-002"), True, id="other-village-same-day"),
    pytest.param(facts("Quàng Thị Nga", sex="2", pid=NUMBER), True, id="same-id-number"),
    pytest.param(facts(born=BORN.replace(year=BORN.year - 1)), False,
                 id="same-name-other-birth-year"),
    pytest.param(facts("Lò Văn Chanh"), False, id="twin-brother-close-name"),
    pytest.param(facts("Lò Văn Bình"), False, id="twin-brother"),
    pytest.param(facts("Lò Thị Thanh", sex="2"), False, id="twin-sister-van-thi"),
    pytest.param(facts(sex="2"), False, id="other-sex"),
    pytest.param(facts("Lường Văn Thanh"), False, id="other-family-name"),
    pytest.param(facts(pid="014220009999"), False, id="two-other-id-numbers"),
    pytest.param(facts(born=BORN.replace(month=11), carers=("Hà Thị Lan",), household="h2"),
                 False, id="same-year-only-other-mother"),
]


@pytest.mark.parametrize("other, probable", CASES)
def test_pairs_that_must_and_must_not_match(other, probable):
    verdict = similarity.score(THANH, other)
    assert verdict.probable is probable, (verdict.score, verdict.reasons)
    assert similarity.score(other, THANH).score == verdict.score  # either way round


def test_reasons_are_vietnamese_and_say_why():
    assert similarity.score(THANH, facts()).reasons == [
        "Cùng họ tên", "Cùng ngày sinh", "Cùng thôn/bản", "Cùng hộ gia đình",
        "Cùng tên người nuôi dưỡng"]
    assert similarity.score(THANH, facts()).score == 100
    assert similarity.score(THANH, facts(pid=NUMBER)).reasons[0] == "Trùng số định danh"
    assert similarity.score(THANH, facts("Lo Van Thanh")).reasons[0] == (
        "Cùng họ tên (khác dấu, chữ hoa)")
    assert similarity.score(THANH, facts("Thanh Lò Văn")).reasons[0] == "Cùng họ tên, khác thứ tự"
    assert similarity.score(THANH, facts("Lò Thị Thanh")).reasons[0] == (
        "Chỉ khác tên đệm (Văn/Thị)")
    assert similarity.score(THANH, facts("Lò Thanh")).reasons[0] == "Chỉ khác tên đệm (Văn/—)"
    other = similarity.score(THANH, facts(sex="2", village="03808-002", pid="014220009999",
                                       born=BORN.replace(year=BORN.year - 2)))
    assert {"Khác giới tính", "Khác thôn/bản", "Khác số định danh", "Khác năm sinh"} <= set(
        other.reasons)
    assert other.score < 20


def test_middle_names_weigh_less_than_given_names():
    same = similarity.score(THANH, facts()).score
    middle = similarity.score(THANH, facts("Lò Thị Thanh")).score
    given = similarity.score(THANH, facts("Lò Văn Chanh")).score
    assert same > middle >= similarity.PROBABLE > given
    # "Minh" is a middle name in "Nguyễn Minh Đức" but the given name in "Lê Văn Minh".
    assert similarity.score(facts("Nguyễn Minh Đức"), facts("Nguyễn Hữu Đức")).probable
    assert not similarity.score(facts("Lê Văn Minh"), facts("Lê Văn Đức")).probable


def test_van_with_its_diacritics_is_a_given_name():
    ngoc = similarity.score(facts("Lò Thị Ngọc Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    van = similarity.score(facts("Lò Thị Vân Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    bare = similarity.score(facts("Lo Thi Van Anh", sex="2"), facts("Lò Thị Anh", sex="2"))
    assert ngoc.reasons[0] == "Chỉ khác tên đệm (Ngọc/—)" and ngoc.score == bare.score
    assert van.reasons[0] == "Tên gần giống (80%)" and van.score < ngoc.score


def test_weaker_birth_dates_need_the_rest_to_agree():
    swapped = BORN.replace(day=5, month=3)
    assert similarity.score(THANH, facts(born=swapped)).probable
    assert not similarity.score(THANH, facts(born=swapped, village="03808-002", carers=())).probable
    same_year = BORN.replace(month=12)
    assert similarity.score(THANH, facts(born=same_year)).score == similarity.PROBABLE
    assert not similarity.score(THANH, facts("Lò Thanh", born=same_year)).probable


def test_another_village_scores_lower_but_still_matches():
    here = similarity.score(THANH, facts()).score
    there = similarity.score(THANH, facts(village="03808-002"))
    assert there.probable and there.score < here
    assert "Khác thôn/bản" in there.reasons


# ---- the scan, on the register ----------------------------------------------------------


@pytest.fixture()
def register_child(app, db, officer, village):
    """``register_child(name, born=, sex=, place=, pid=, mother=, household_id=, actor=,
    circumstances=, support=)`` through the register's services."""

    def build(full_name="Lò Văn Thanh", *, born=BORN, sex="1", place=None, pid=None,
              mother=MOTHER, household_id=None, actor=None, circumstances=(), support=(),
              **child):
        record = {
            "child": {"full_name": full_name, "sex": sex, "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": (place or village).code,
                      "personal_id": pid, **child},
            "caregivers": [{"relation": "mother", "full_name": mother}],
            "circumstances": list(circumstances), "support": list(support),
        }
        if household_id:
            record["household_id"] = household_id
        else:
            record["household"] = {"head_name": "Lò Văn Pọm", "address": "Tổ 2"}
        with app.test_request_context():
            made = services.create_child(actor or officer, record, capture_date=TODAY)
            db.session.flush()
        return made

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
    from fieldapp.auth import roles
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
    verdict = similarity.score(a, b)
    assert verdict.score == 100 and "Cùng tên người nuôi dưỡng" in verdict.reasons
    assert matcher.count("03808") == 1
