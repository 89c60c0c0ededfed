"""Quality-list fixtures: an officer of commune A with two villages, a village of commune B,
and children made through the register's services, then given the faults legacy data has
(the services refuse them, so a test writes them straight onto the row)."""

from datetime import date, timedelta

import pytest

from fieldapp import roles
from fieldapp.children import services
from fieldapp.children.search import fold
from tests.api import conftest as sync_api
from tests.factories import COMMUNE_B
from tests.submissions import child_id_number

TODAY = date.today()
BORN = date(TODAY.year - 7, 3, 15)  # a child of about seven


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def personal_id(born: date = BORN, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return child_id_number(born, sex, tail)


# The sync API's places and officer, shared: pytest finds a fixture by its name here.
village, village2, far_village = sync_api.village, sync_api.village2, sync_api.far_village
officer = sync_api.officer


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
