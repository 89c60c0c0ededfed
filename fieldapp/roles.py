"""The roles of DOMAIN §2 and what kind of place each is scoped to."""

COLLABORATOR = "collaborator"
VILLAGE_HEAD = "village_head"
COMMUNE_OFFICER = "commune_officer"
POLICE = "police"
COMMUNE_LEADER = "commune_leader"
PROVINCE_VIEWER = "province_viewer"
ADMIN = "admin"

LABELS = {
    COLLABORATOR: "Cộng tác viên trẻ em thôn",
    VILLAGE_HEAD: "Trưởng thôn / bản / tiểu khu",
    COMMUNE_OFFICER: "Công chức làm công tác trẻ em xã",
    POLICE: "Công an xã",
    COMMUNE_LEADER: "Lãnh đạo UBND xã",
    PROVINCE_VIEWER: "Sở Y tế",
    ADMIN: "Quản trị hệ thống",
}
ALL = tuple(LABELS)
FIELD = (COLLABORATOR, VILLAGE_HEAD)
COMMUNE = (COMMUNE_OFFICER, POLICE, COMMUNE_LEADER)
OFFICE = COMMUNE + (PROVINCE_VIEWER, ADMIN)


def place_kind(role: str) -> str | None:
    """``village``, ``commune``, ``province`` or ``None`` (admin: the whole system)."""
    if role in FIELD:
        return "village"
    if role in COMMUNE:
        return "commune"
    if role == PROVINCE_VIEWER:
        return "province"
    return None
