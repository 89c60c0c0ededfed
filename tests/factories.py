"""Invented test data: communes from the loaded national list, villages, users and children."""

import itertools

from flask import current_app

from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.auth.passwords import hash_password
from fieldapp.children import services as register
from fieldapp.children.models import Child
from fieldapp.children.search import fold
from fieldapp.places.models import Commune, Village
from tests.submissions import BORN

PASSWORD = "test-pass-2026"
_HASH: dict[str, str] = {}
_counter = itertools.count(1)

# Two communes of two provinces, from the real national list.
COMMUNE_A = "03808"  # Xã Mường La, Sơn La (14)
COMMUNE_B = "21004"  # Xã Tam Mỹ, Đà Nẵng (48)


class Factory:
    def __init__(self, db):
        self.db = db

    def village(self, commune: str = COMMUNE_A, name: str | None = None, active=True) -> Village:
        existing = self.db.session.query(Village).filter_by(commune_code=commune).count()
        code = f"{commune}-{existing + 1:03d}"
        village = Village(
            code=code, commune_code=commune, name=name or f"Bản Thử {code}", active=active
        )
        self.db.session.add(village)
        self.db.session.flush()
        return village

    def user(
        self,
        role: str,
        places: list | None = None,
        *,
        username: str | None = None,
        password: str = PASSWORD,
        must_change: bool = False,
        active: bool = True,
    ) -> User:
        """A user with ``role``; places default to a village or commune of COMMUNE_A."""
        if password not in _HASH:
            _HASH[password] = hash_password(password)
        user = User(
            username=username or f"{role.replace('_', '')}{next(_counter)}",
            role=role,
            password_hash=_HASH[password],
            must_change_password=must_change,
            active=active,
        )
        self._place(user, places)
        self.db.session.add(user)
        self.db.session.flush()
        return user

    def child(
        self,
        actor: User,
        village: Village,
        full_name: str = "Lò Văn Thanh",
        *,
        born=BORN,
        sex: str = "1",
        pid: str | None = None,
        circumstances=(),
        support=(),
        household_id=None,
        caregivers: list | None = None,
        capture_date=None,
        poverty: str = "none",
        fields: dict | None = None,
        **columns,
    ) -> Child:
        """A valid child of ``village`` made by ``actor`` through ``services.create_child``.

        ``fields`` are more fields of the record's child part; ``household_id`` joins a
        household instead of making one, ``poverty`` is the new household's poverty status
        (``poor`` and ``near_poor`` put the child in NC02 from ``capture_date``). ``columns``
        then set columns as they are, unchecked, as legacy data holds them: ``raw_name`` the
        name (and its search key), ``raw_<column>`` or ``<column>`` any column,
        ``no_caregiver=True`` removes the caregivers.
        """
        record = {
            "child": {"full_name": full_name, "sex": sex, "date_of_birth": born,
                      "ethnicity_code": "03", "village_code": village.code, "personal_id": pid,
                      **(fields or {})},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]
            if caregivers is None else caregivers,
            "circumstances": list(circumstances),
            "support": list(support),
        }
        if household_id:
            record["household_id"] = household_id
        else:
            record["household"] = {"head_name": "Lò Văn Pọm", "address": "Tổ 2",
                                   "poverty_status": poverty}
        with current_app.test_request_context():  # code lists are cached per request
            child = register.create_child(actor, record, capture_date=capture_date)
            self.db.session.flush()
        if columns:
            self._set_columns(child, columns)
        return child

    def _set_columns(self, child: Child, columns: dict) -> None:
        if "raw_name" in columns:  # a name the rules refuse (digits, empty)
            child.full_name = columns.pop("raw_name")
            child.name_key = fold(child.full_name)
        if columns.pop("no_caregiver", False):
            child.caregivers = []
        for name, value in columns.items():
            setattr(child, name.removeprefix("raw_"), value)
        self.db.session.flush()

    def _place(self, user: User, places) -> None:
        kind = roles.place_kind(user.role)
        if kind == "village":
            villages = places or [self.village()]
            user.villages = villages
            user.commune_code = villages[0].commune_code
            user.province_code = self.db.session.get(Commune, user.commune_code).province_code
        elif kind == "commune":
            code = (places or [COMMUNE_A])[0]
            user.commune_code = code
            user.province_code = self.db.session.get(Commune, code).province_code
        elif kind == "province":
            user.province_code = (places or ["14"])[0]
