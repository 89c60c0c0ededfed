"""A valid snapshot as the phone sends it, and the pieces the phone-rule cases change.

Villages and households are written as placeholders (``{own}``, ``{household}``): the server
gets the test's real ones, the phone fixed stand-ins (only whether the user has them counts).
"""

from datetime import date, datetime

from fieldapp.clock import VIETNAM

CAPTURE = date(2025, 6, 1)  # in the past: "future" is after the capture day on both sides
CAPTURED_AT = "2025-06-01T09:00:00+07:00"
NOW = datetime(2025, 6, 1, 10, 0, tzinfo=VIETNAM)

OWN, OTHER = "{own}", "{other}"  # the collaborator's village; one of the commune, not theirs
HOUSEHOLD, FOREIGN = "{household}", "{foreign}"  # a household of each
PHONE_NAMES = {OWN: "03808-001", OTHER: "03808-002",
               HOUSEHOLD: "5f0b6a52-2d1e-4c43-9d55-0a6f4b1c2e01",
               FOREIGN: "5f0b6a52-2d1e-4c43-9d55-0a6f4b1c2e02"}
UNKNOWN_HOUSEHOLD = "0b9e7d7c-51f4-4f7e-8c5a-6b1f0b7a9c33"

MOTHER = {"relation": "mother", "full_name": "Lò Thị Hoa", "personal_id": "014185012345",
          "phone": "0912345678"}
CHILD = {"personal_id": "014215012345", "full_name": "Lò Văn An", "sex": "1",
         "date_of_birth": "2015-03-04", "ethnicity_code": "03", "nationality": "VN",
         "village": OWN, "current_residence": None, "address": "Tổ 3",
         "schooling_status": "HT03"}
BASE = {
    "household": {"id": None, "ref": "d3c1c0de-7a52-4b8e-9c1f-2e6f0a4b5c6d",
                  "head_name": "Lò Văn Bình", "address": "Tổ 3", "village": OWN,
                  "poverty_status": "none"},
    "child": CHILD,
    "caregivers": [MOTHER],
    "circumstances": [],
    "supports": [],
}
# A restricted group the collaborator may not see, as the packet gives it.
MASKED = {"id": "a4d3f9e2-1b7c-4e8a-9f60-3c2b1a0d9e8f", "masked": True,
          "since": "2023-01-01", "until": None}


def circumstance(code: str | None = "DB01", **fields) -> dict:
    return {"id": None, "code": code, "since": "2024-01-01", "until": None, "detail": {},
            "note": None, **fields}


def support(**fields) -> dict:
    return {"id": None, "code": "TG01", "date": "2025-05-01", "provider": "Trạm y tế xã",
            "amount": "500000", "note": None, **fields}


def filled(value, names: dict[str, str]):
    """``value`` with every placeholder inside its texts replaced by its name."""
    if isinstance(value, dict):
        return {key: filled(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [filled(item, names) for item in value]
    if isinstance(value, str):
        for placeholder, name in names.items():
            value = value.replace(placeholder, name)
    return value
