"""``GET /api/v1/reports/indicators`` (issue 15 §1): who may ask for which place, the answer's
shape, and what the province is never told."""

from datetime import timedelta

import pytest

from fieldapp import roles
from tests.factories import COMMUNE_A, COMMUNE_B
from tests.reports.conftest import EXPECTED, T

pytestmark = pytest.mark.usefixtures("small_register")
URL = "/api/v1/reports/indicators"


def test_the_officer_gets_the_commune_s_indicators_at_a_day(api_as, officer):
    answer = api_as(officer).get(f"{URL}?date={T.isoformat()}")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["place"]["code"] == COMMUNE_A and body["place"]["name"]
    assert body["date"] == T.isoformat()
    got = {i["key"]: i for i in body["indicators"]}
    for key, (value, _) in EXPECTED.items():
        assert got[key]["value"] == value, key
    abused = got["abused"]
    assert abused["code"] == "0101" and abused["unit"] == "children"
    assert abused["suppressed"] is False
    assert abused["breakdowns"]["form"] == {"DB08": 1, "DB13": 1}
    assert set(abused["breakdowns"]) == {"sex", "age_group", "ethnicity", "place", "form"}
    assert got["with_personal_id"]["share"] == 0.25
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", [roles.COMMUNE_LEADER, roles.ADMIN])
def test_the_leader_and_the_admin_read_the_commune(api_as, make, role):
    user = make.user(role)
    answer = api_as(user).get(f"{URL}?place={COMMUNE_A}&date={T.isoformat()}")
    assert answer.status_code == 200
    assert {i["key"]: i["value"] for i in answer.json["indicators"]}["abused"] == 2


@pytest.mark.parametrize("role", [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE])
def test_other_roles_are_refused(api_as, make, role):
    assert api_as(make.user(role)).get(f"{URL}?place={COMMUNE_A}").status_code == 403


def test_a_place_out_of_scope_is_not_found(api_as, officer, far_officer, make):
    assert api_as(far_officer).get(f"{URL}?place={COMMUNE_A}").status_code == 404
    assert api_as(officer).get(f"{URL}?place=14").status_code == 404
    viewer = make.user(roles.PROVINCE_VIEWER, ["14"])
    assert api_as(viewer).get(f"{URL}?place={COMMUNE_B}").status_code == 404
    assert api_as(viewer).get(f"{URL}?place=48").status_code == 404
    assert api_as(viewer).get(f"{URL}?place=9x").status_code == 404


@pytest.mark.parametrize("query, field", [("date=2026-13-01", "date"), ("date=2999-01-01", "date"),
                                          ("date=hôm-nay", "date")])
def test_a_bad_date_is_a_problem_naming_the_field(api_as, officer, query, field):
    answer = api_as(officer).get(f"{URL}?{query}")
    assert answer.status_code == 400
    assert answer.json["title"] and answer.json["detail"] and field in answer.json["errors"]


def test_the_province_sees_its_communes_never_a_small_restricted_number(api_as, make):
    viewer = make.user(roles.PROVINCE_VIEWER, ["14"])
    body = api_as(viewer).get(f"{URL}?date={T.isoformat()}").json
    assert body["place"]["code"] == "14"
    got = {i["key"]: i for i in body["indicators"]}
    assert got["child_population"]["breakdowns"]["place"] == {COMMUNE_A: 8}
    assert got["abused"]["value"] is None and got["abused"]["suppressed"] is True
    assert got["abused"]["share"] is None
    assert set(got["abused"]["breakdowns"]["form"].values()) == {None}
    assert got["special_circumstances"]["value"] == 2  # not a restricted indicator
    assert got["special_circumstances"]["breakdowns"]["group"] == {
        "DB01": 1, "DB04": 1, "DB08": None}  # DB08 is restricted
    commune = api_as(viewer).get(f"{URL}?place={COMMUNE_A}&date={T.isoformat()}").json
    for indicator in commune["indicators"]:
        assert "place" not in indicator["breakdowns"]  # no village below the commune


def test_the_api_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/reports/indicators"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"place", "date"}
    assert "Indicators" in document["components"]["schemas"]


def test_one_hidden_commune_cannot_be_recovered_from_the_province_total(api_as, db, make,
                                                                        officer, village):
    """Abused children: 2 in the test commune (hidden) and 5 in another commune of the
    province; the total 7 less 5 would give the 2 back, so the 5 is hidden too ("ẩn")."""
    from sqlalchemy import select

    from fieldapp.places.models import Commune
    from tests.reports.conftest import C, years

    other = db.session.scalars(select(Commune.code).where(
        Commune.province_code == "14", Commune.code != COMMUNE_A).limit(1)).one()
    place = make.village(other, name="Bản Khác")
    colleague = make.user(roles.COMMUNE_OFFICER, [other])
    for number in range(5):
        make.child(colleague, place, f"Lò Văn Số {'ABCDE'[number]}", born=years(8 + number),
                   capture_date=C, circumstances=[{"code": "DB12", "since": C - timedelta(9)}])
    db.session.commit()
    viewer = make.user(roles.PROVINCE_VIEWER, ["14"])
    abused = {i["key"]: i for i in api_as(viewer).get(
        f"{URL}?date={T.isoformat()}").json["indicators"]}["abused"]
    assert abused["value"] == 7
    assert abused["breakdowns"]["place"] == {COMMUNE_A: None, other: None}
    assert abused["breakdowns"]["sex"] == {"1": None, "2": None}  # 5 boys, 2 girls
