"""A valid submission as a phone sends it, and copies of it with a few paths changed."""

import copy
import uuid
from datetime import date, timedelta

from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.db import utcnow

TODAY = date.today()
BORN = TODAY - timedelta(days=7 * 365)  # a child of about seven
REPORTED = "Thấy trẻ bị bố đánh bằng roi ở sân nhà, trên lưng có nhiều vết bầm."


def child_id_number(born: date = BORN, sex: str = "1", tail: str = "001234") -> str:
    """A well-formed number: Sơn La (014), century/sex digit, birth year, six digits."""
    return f"014{ {'1': '2', '2': '3'}[sex]}{born.year % 100:02d}{tail}"


def make_item(village_code: str, **top) -> dict:
    """A valid new-child submission for ``village_code``; ``top`` replaces top-level keys."""
    item = {
        "uuid": str(uuid.uuid4()), "kind": "child", "captured_at": utcnow().isoformat(),
        "child_id": None, "base_version": None, "corrects": None,
        "data": {
            "household": {"id": None, "ref": str(uuid.uuid4()), "head_name": "Lò Văn Pọm",
                          "address": "Tổ 2", "village": village_code, "poverty_status": "poor"},
            "child": {"personal_id": child_id_number(), "full_name": "Lò Văn Thanh", "sex": "1",
                      "date_of_birth": BORN.isoformat(), "ethnicity_code": "03",
                      "nationality": "VN", "village": village_code, "current_residence": "",
                      "address": "Nhà sàn cạnh suối", "schooling_status": "HT03"},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân",
                            "personal_id": None, "phone": "0912345678"}],
            "circumstances": [],
            "supports": [],
        },
    }
    item.update(top)
    return item


def make_report(village_code: str, **data) -> dict:
    """A valid protection report (issue 16 §3) about a child not in the register, of
    ``village_code``; ``data`` replaces keys of its data."""
    return {
        "uuid": str(uuid.uuid4()), "kind": "protection_report",
        "captured_at": (utcnow() - timedelta(minutes=30)).isoformat(),
        "child_id": None, "base_version": None, "corrects": None,
        "data": {"child_id": None,
                 "child": {"full_name": "Lò Thị Nhỏ", "sex": "2", "date_of_birth": None,
                           "estimated_age": 7, "village": village_code},
                 "situation": REPORTED, "seen_at": "2026-12-06T17:45", "location": "Sân nhà",
                 "urgent": True, "reporter_phone": "0912 345 678", **data},
    }


def changed(item: dict, changes: dict) -> dict:
    """A copy of ``item`` with dotted paths set: ``{"data.child.sex": "2"}``,
    ``{"caregivers.0.phone": "123"}``."""
    out = copy.deepcopy(item)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = copy.deepcopy(value)
    return out


def update_of(child: Child, collector, changes: dict) -> dict:
    """An update of ``child`` as the collector's phone would send it from its packet."""
    copy = child_record.of_child(child, register.circumstances(child, collector),
                             register.supports(child, collector))
    item = {"uuid": str(uuid.uuid4()), "kind": "child", "captured_at": utcnow().isoformat(),
            "child_id": str(child.id), "base_version": child.version, "corrects": None,
            "data": {"household": child_record.of_household(child.household),
                     "child": copy["child"], "caregivers": copy["caregivers"],
                     "circumstances": copy["circumstances"], "supports": copy["supports"]}}
    return changed(item, changes)
