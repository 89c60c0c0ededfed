"""Quality-list fixtures: an officer of commune A with two villages, a village of commune B,
and children made through the register's services, then given the faults legacy data has
(the services refuse them, so a test writes them straight onto the row)."""

from datetime import date, timedelta

import pytest

from fieldapp.auth import roles
from fieldapp.children import services
from fieldapp.children.search import fold
from tests.factories import COMMUNE_B

TODAY = date.today()
BORN = date(TODAY.year - 7, 3, 15)  # a child of about seven


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def personal_id(born: date = BORN, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return f"014{ {'1': '2', '2': '3'}[sex]}{born.year % 100:02d}{tail}"


@pytest.fixture()
def village(make):
    return make.village(name="Bản Nà Sàng")


@pytest.fixture()
def village2(make, village):
    return make.village(name="Bản Pá Múa")


@pytest.fixture()
def far_village(make):
    return make.village(COMMUNE_B, name="Thôn Trung An")


@pytest.fixture()
def officer(make):
    return make.user(roles.COMMUNE_OFFICER)


@pytest.fixture()
def far_officer(make):
    return make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])


@pytest.fixture()
def add_child(app, db, officer, far_officer, village):
    """``add_child(name, born=, sex=, pid=, place=, circumstances=, **raw)``: a valid child
    made by the officer of its commune; ``raw`` then sets columns as they are, unchecked
    (``raw_name`` the name, ``raw_sex`` the sex, ``no_caregiver=True`` removes the
    caregivers)."""

    def build(full_name="Lò Văn Thanh", *, born=BORN, sex="1", pid=None, place=None,
              circumstances=(), **raw):
        place = place or village
        record = {
            "child": {"full_name": full_name, "sex": sex, "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": place.code, "personal_id": pid},
            "household": {"head_name": "Lò Văn Pọm", "address": "Tổ 2"},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}],
            "circumstances": list(circumstances),
        }
        actor = far_officer if place.commune_code == COMMUNE_B else officer
        with app.test_request_context():
            child = services.create_child(actor, record, capture_date=TODAY)
            db.session.flush()
        if "raw_name" in raw:  # a name the rules refuse (digits, empty)
            child.full_name = raw.pop("raw_name")
            child.name_key = fold(child.full_name)
        if raw.pop("no_caregiver", False):
            child.caregivers = []
        for name, value in raw.items():
            setattr(child, name.removeprefix("raw_"), value)
        db.session.flush()
        return child

    return build
