"""Invented demo data: Xã Mường La (province 14, commune 03808), its villages and accounts.

No real person is named here; village names are invented.
"""

from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.auth.accounts import create_user
from fieldapp.auth.models import User
from fieldapp.cases.demo import seed_cases
from fieldapp.demo_register import seed_register
from fieldapp.demo_submissions import seed_submissions
from fieldapp.devices.demo import seed_devices
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Village
from fieldapp.places.services import create_village, load_places
from fieldapp.verification.demo import seed_batch

DEMO_PASSWORD = "demo-2026"
COMMUNE = "03808"
VILLAGES = ["Bản Nà Lốc", "Bản Pá Hốc", "Tiểu khu Mường Chùm", "Bản Huổi Sâu"]
ACCOUNTS = [
    ("canbo", roles.COMMUNE_OFFICER, [COMMUNE], "Lò Thị Thử"),
    ("truongban1", roles.VILLAGE_HEAD, ["03808-001"], "Cầm Văn Thử"),
    ("ctv2", roles.COLLABORATOR, ["03808-002", "03808-003"], "Quàng Thị Thử"),
    ("congan", roles.POLICE, [COMMUNE], "Lường Văn Thử"),
    ("chutich", roles.COMMUNE_LEADER, [COMMUNE], "Hà Văn Thử"),
    ("sodyte", roles.PROVINCE_VIEWER, ["14"], "Nguyễn Thị Thử"),
    ("admin", roles.ADMIN, [], "Quản trị Thử"),
]


def seed() -> list[User]:
    """Create the demo commune's villages and accounts, only in a database with no accounts.

    :returns: the accounts created (empty when the database already had some).
    """
    if db.session.scalar(select(func.count(User.id))):
        return []
    if db.session.get(Commune, COMMUNE) is None:
        load_places()
    existing = db.session.scalar(
        select(func.count(Village.code)).where(Village.commune_code == COMMUNE)
    )
    for name in VILLAGES[existing:]:
        create_village(None, COMMUNE, name)
    created = []
    for username, role, places, full_name in ACCOUNTS:
        try:
            user, _ = create_user(None, username=username, role=role, places=places,
                                  full_name=full_name, password=DEMO_PASSWORD)
        except DomainError as error:  # pragma: no cover - demo data is fixed
            raise RuntimeError(f"demo account {username}: {error.errors}") from error
        user.must_change_password = False
        created.append(user)
    children = seed_register(created[0])
    seed_submissions(created[0], created[2], children)
    seed_batch(created[0], children)
    seed_devices(created[1], created[2])
    seed_cases(created[0], created[4], children)
    return created
