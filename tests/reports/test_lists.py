"""The named lists (issue 15 §2) against a hand-counted small register, for October 2026
(01/10–31/10) and its quarter: who is in each list, the period's boundaries, the village
filter, the columns, the masking of restricted groups."""

from datetime import date

import pytest

from fieldapp.catalogue import services as catalogue
from fieldapp.reports import lists

OCT = lists.parse_period("2026-10")
Q4 = lists.parse_period("2026-Q4")
BORN = date(2019, 3, 1)


@pytest.fixture()
def register(add_child, village, village2):
    """Hand-made: who is in which list for October 2026.

    an: DB01 since 01/09, TG02 on 15/10 → special (supported).
    binh: DB03 until 30/09 (the day before October) → in no list for October.
    chi: NC01 since 31/10 (October's last day) → special; not DB, so not unsupported.
    dung: DB05 (restricted) since 01/01, no support, village2 → special and unsupported.
    em: DB01 since 01/01, TG05 from 01/05 still open → special, supported (ongoing form).
    gia: DB01 since 01/01, TG02 on 30/09 (before October) → special and unsupported.
    hoa: DB01, closed on 15/09 → in no list. khoa: dropped out of THCS on 20/10;
    lan: dropped out of TH on 10/05/2026.
    """
    c = lambda code, since, until=None: {"code": code, "since": since, "until": until}  # noqa: E731
    s = lambda form, day: {"form": form, "date": day}  # noqa: E731
    return {
        "an": add_child("Lò Văn An", born=BORN, circumstances=[c("DB01", "2026-09-01")],
                        support=[s("TG02", "2026-10-15")]),
        "binh": add_child("Cầm Thị Bình", born=BORN, sex="2",
                          circumstances=[c("DB03", "2026-01-01", "2026-09-30")]),
        "chi": add_child("Quàng Văn Chi", born=BORN, circumstances=[
            {**c("NC01", "2026-10-31"), "detail": {"risk_reason": "LD05"}}]),
        "dung": add_child("Lường Thị Dung", born=BORN, sex="2", place=village2,
                          circumstances=[c("DB05", "2026-01-01")]),
        "em": add_child("Tòng Văn Em", born=BORN, circumstances=[c("DB01", "2026-01-01")],
                        support=[s("TG05", "2026-05-01")]),
        "gia": add_child("Hà Văn Gia", born=BORN, circumstances=[c("DB01", "2026-01-01")],
                         support=[s("TG02", "2026-09-30")]),
        "hoa": add_child("Lò Thị Hoa", born=BORN, sex="2", circumstances=[c("DB01", "2026-01-01")],
                         closed_on=date(2026, 9, 15), closed_reason="moved_away"),
        "khoa": add_child("Lò Văn Khoa", born=date(2012, 5, 1), fields={
            "schooling_status": "HT07", "school_left_level": "THCS",
            "school_left_on": "2026-10-20"}),
        "lan": add_child("Lò Thị Lan", born=date(2015, 5, 1), sex="2", fields={
            "schooling_status": "HT07", "school_left_level": "TH",
            "school_left_on": "2026-05-10"}),
    }


def _names(officer, name, period=OCT, village="", left=False):
    return [r.child.full_name for r in lists.rows(officer, name, period, village, left)]


def test_periods_are_months_and_quarters():
    assert (OCT.start, OCT.end, OCT.label) == (date(2026, 10, 1), date(2026, 10, 31),
                                               "Tháng 10/2026")
    assert (Q4.start, Q4.end, Q4.label) == (date(2026, 10, 1), date(2026, 12, 31), "Quý IV/2026")
    assert lists.parse_period("2024-02").end == date(2024, 2, 29)
    assert [lists.parse_period(t) for t in ("2026-13", "2026-Q5", "11/2026", "", "1999-01")] \
        == [None] * 5
    recent = lists.recent_periods(date(2026, 1, 15))
    assert [p.key for p in recent[:2]] == ["2026-01", "2025-12"]
    assert [p.key for p in recent[-4:]] == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]


def test_special_circumstances_and_at_risk(register, officer):
    # By village (Nà Sàng first), then name as written: Dung lives in village2.
    assert _names(officer, "special") == [
        "Hà Văn Gia", "Lò Văn An", "Quàng Văn Chi", "Tòng Văn Em", "Lường Thị Dung"]
    rows = {r.child.full_name: r.cells for r in lists.rows(officer, "special", OCT)}
    assert rows["Lò Văn An"] == (f"DB01 · {catalogue.label('circumstance', 'DB01')}",
                                 "01/09/2026", f"TG02 · {catalogue.label('support_form', 'TG02')}")
    assert rows["Tòng Văn Em"][2].startswith("TG05 · ")  # an ongoing allowance still open
    assert rows["Hà Văn Gia"][2] == ""  # given on 30/09: before the period


def test_the_period_boundaries(register, officer):
    september = lists.parse_period("2026-09")
    # Bình's DB03 ended on 30/09: in September's list, not October's; Chi's NC01 began on
    # 31/10: in October's list, not September's; Hoa, closed on 15/09, in
    # neither (closed by their end), but in August's.
    assert "Cầm Thị Bình" in _names(officer, "special", september)
    assert "Quàng Văn Chi" not in _names(officer, "special", september)
    assert "Lò Thị Hoa" not in _names(officer, "special", september)
    assert "Lò Thị Hoa" not in _names(officer, "special", lists.parse_period("2026-Q3"))
    assert "Lò Thị Hoa" in _names(officer, "special", lists.parse_period("2026-08"))
    assert "Cầm Thị Bình" not in _names(officer, "special")


def test_special_circumstances_without_support(register, officer):
    # An (TG02 in October), Em (TG05 open) are supported; Chi is NC; Gia's support was
    # before October; Dung never had any.
    assert _names(officer, "unsupported") == ["Hà Văn Gia", "Lường Thị Dung"]
    # In Q3 (01/07–30/09) Gia's support of 30/09 counts; An's DB01 began in September with
    # no support then; Bình's DB03 still ran; Hoa, closed on 15/09, is closed by its end.
    assert _names(officer, "unsupported", lists.parse_period("2026-Q3")) == [
        "Cầm Thị Bình", "Lò Văn An", "Lường Thị Dung"]


def test_dropouts(register, officer):
    assert _names(officer, "dropouts") == ["Lò Thị Lan", "Lò Văn Khoa"]
    rows = {r.child.full_name: r.cells for r in lists.rows(officer, "dropouts", OCT)}
    assert rows["Lò Văn Khoa"] == ("Trung học cơ sở", date(2026, 10, 20))
    assert _names(officer, "dropouts", left=True) == ["Lò Văn Khoa"]


def test_the_village_filter(register, officer, village, village2):
    assert _names(officer, "special", village=village2.code) == ["Lường Thị Dung"]
    assert "Lường Thị Dung" not in _names(officer, "special", village=village.code)


def test_restricted_groups_masked_when_the_reader_may_not_see_them(register, officer,
                                                                  monkeypatch):
    monkeypatch.setattr("fieldapp.access.sees_restricted", lambda user: False)
    rows = {r.child.full_name: r.cells for r in lists.rows(officer, "special", OCT)}
    assert rows["Lường Thị Dung"][0] == catalogue.RESTRICTED_LABEL
    assert "DB05" not in str(rows)
    assert rows["Lò Văn An"][0].startswith("DB01 · ")


def test_a_leader_of_another_commune_gets_nothing_of_this_one(register, make):
    from fieldapp import roles
    from tests.factories import COMMUNE_B

    leader = make.user(roles.COMMUNE_LEADER, [COMMUNE_B])
    assert all(_names(leader, name) == [] for name in lists.LISTS)
