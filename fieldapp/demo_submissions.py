"""Invented field submissions waiting in the demo officer's inbox: new children (one of them
a probable duplicate), a plain update and a stale one; and a report of a child at risk sent
from the collaborator's phone, whose case waits for the officer. Names are made up."""

import uuid
from datetime import date, timedelta

from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.children.services import update_child
from fieldapp.collection import services
from fieldapp.db import utcnow


def _new(village: str, name: str, sex: str, born: date, head: str, mother: str) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "kind": "child", "captured_at": utcnow().isoformat(),
        "child_id": None, "base_version": None, "corrects": None,
        "data": {
            "household": {"id": None, "ref": str(uuid.uuid4()), "head_name": head,
                          "address": "Tổ 3", "village": village, "poverty_status": "near_poor"},
            "child": {"full_name": name, "sex": sex, "date_of_birth": born.isoformat(),
                      "ethnicity_code": "03", "nationality": "VN", "village": village,
                      "schooling_status": "HT02"},
            "caregivers": [{"relation": "mother", "full_name": mother}],
        },
    }


def _update(child: Child, author, **fields) -> dict:
    copy = child_record.of_child(child, register.circumstances(child, author),
                             register.supports(child, author))
    data = {"household": child_record.of_household(child.household), "child": copy["child"],
            "caregivers": copy["caregivers"], "circumstances": copy["circumstances"],
            "supports": copy["supports"]}
    data["child"].update(fields)
    return {"uuid": str(uuid.uuid4()), "kind": "child", "captured_at": utcnow().isoformat(),
            "child_id": str(child.id), "base_version": child.version, "corrects": None,
            "data": data}


def _report(village: str) -> dict:
    """A report of a child at risk (issue 16 §3), as the phone sends it."""
    return {
        "uuid": str(uuid.uuid4()), "kind": "protection_report",
        "captured_at": (utcnow() - timedelta(hours=1)).isoformat(),
        "child_id": None, "base_version": None, "corrects": None,
        "data": {"child_id": None,
                 "child": {"full_name": "Vì Thị Thử Nghiệm", "sex": "2", "date_of_birth": None,
                           "estimated_age": 9, "village": village},
                 "situation": "Thấy cháu ở nhà một mình nhiều ngày, không có gì ăn, người lớn "
                              "đi làm xa chưa về (nội dung thử nghiệm).",
                 "seen_at": None, "location": "Nhà riêng cuối bản", "urgent": True,
                 "reporter_phone": ""},
    }


def seed_submissions(officer, collector, children: list[Child]) -> None:
    """What ``collector`` (of villages 002 and 003) sent and the officer has not yet decided
    (children from the 26th on: the first ones carry the demo's deliberate data errors)."""
    today = date.today()
    mine = [c for c in children[25:] if c.village_code in collector.village_codes
            and c.closed_on is None and register.status(c) == "active"]
    twin = mine[0]
    items = [
        _new("03808-002", "Quàng Thị Bích", "2", today - timedelta(days=900), "Quàng Văn Dũng",
             "Lò Thị Nhung"),
        _new("03808-003", "Vì Văn Khánh", "1", today - timedelta(days=2200), "Vì Văn Hải",
             "Cầm Thị Sen"),
        _new(twin.village_code, twin.full_name, twin.sex, twin.date_of_birth,
             twin.household.head_name, twin.caregivers[-1].full_name),  # already in the book
        _update(mine[1], collector, schooling_status="HT03", address="Cạnh nhà văn hóa"),
    ]
    stale = mine[2]
    items.append(_update(stale, collector, address="Đầu bản, gần suối"))
    items.append(_report("03808-003"))
    services.receive(collector, items)
    # The officer corrects the same child's address after the collector's visit: stale.
    record = {"child": {**{k: getattr(stale, k) for k in (
        "full_name", "sex", "date_of_birth", "ethnicity_code", "nationality", "village_code",
        "current_residence", "schooling_status", "personal_id")}, "address": "Tổ 5"},
        "caregivers": [{k: getattr(c, k) for k in child_record.CAREGIVER_FIELDS}
                       for c in stale.caregivers]}
    update_child(officer, stale, record)
