"""Invented test data: communes from the loaded national list, villages and users."""

import itertools

from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.auth.passwords import hash_password
from fieldapp.places.models import Commune, Village

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
