"""A second commune of province 14 (the test commune's), found in the loaded national list:
COMMUNE_B is in province 48, and the province's dashboard needs two communes side by side."""

import pytest
from sqlalchemy import select

from fieldapp import roles
from fieldapp.places.models import Commune
from tests.factories import COMMUNE_A


def other_commune(db, province: str = "14") -> Commune:
    return db.session.scalars(select(Commune).where(
        Commune.province_code == province, Commune.code != COMMUNE_A
    ).order_by(Commune.code)).first()


@pytest.fixture()
def neighbour(db, make):
    """Another commune of province 14: one village and its officer (commune, village, officer)."""
    commune = other_commune(db)
    place = make.village(commune.code, name="Bản Hua Trai")
    return commune, place, make.user(roles.COMMUNE_OFFICER, [commune.code])
