"""The record as the phone sends it (a *snapshot*), and the register's own record dict.

A snapshot uses the sync API's names (``child.village``, ``supports.0.code``,
``supports.0.amount``, ``household.id``); the register's validators use theirs
(``child.village_code``, ``support.0.form``, ``support.0.amount_vnd``, ``household_id``).
Everything here translates between the two, so that the phone, the API and the register
speak of the same field by the same path.
"""

import hashlib
import json

from fieldapp.children.formdata import CHILD_FIELDS  # the register's own; village_code here
from fieldapp.children.history import plain

CAREGIVER_FIELDS = ("relation", "full_name", "personal_id", "phone")
SUPPORT_NAMES = {"form": "code", "amount_vnd": "amount"}  # register name → snapshot name


def to_record(data: dict) -> tuple[dict, list[int]]:
    """The register's record for a snapshot, and for each record circumstance its snapshot
    position (masked circumstances are not the collector's to change, so they are left out)."""
    child = dict(data.get("child") or {})
    household = dict(data.get("household") or {})
    record = {"child": {**{k: v for k, v in child.items() if k != "village"},
                        "village_code": child.get("village")}}
    record["household"] = {
        "head_name": household.get("head_name"), "address": household.get("address"),
        "village_code": household.get("village") or child.get("village"),
        "poverty_status": household.get("poverty_status"),
    }
    if household.get("id"):
        record["household_id"] = household["id"]
    circumstances = data.get("circumstances") or []
    positions = [i for i, c in enumerate(circumstances) if not (c or {}).get("masked")]
    record["circumstances"] = [_circumstance(circumstances[i]) for i in positions]
    record["caregivers"] = [dict(c or {}) for c in data.get("caregivers") or []]
    record["support"] = [
        {"id": s.get("id"), "form": s.get("code"), "date": s.get("date"),
         "provider": s.get("provider"), "amount_vnd": s.get("amount"), "note": s.get("note")}
        for s in (dict(s or {}) for s in data.get("supports") or [])
    ]
    return record, positions


def _circumstance(item: dict) -> dict:
    # The id names a recorded membership (an update changes it in place); None for a new one.
    return {"id": item.get("id"), "code": item.get("code"), "since": item.get("since"),
            "until": item.get("until"), "detail": item.get("detail") or {},
            "note": item.get("note")}


def api_path(path: str, positions: list[int]) -> str:
    """The snapshot path of a register path: ``support.0.form`` → ``supports.0.code``."""
    parts = path.split(".")
    head = parts[0]
    if head == "household_id":
        return "household.id"
    if head in ("child", "household") and parts[-1] == "village_code":
        return f"{head}.village"
    if head == "support":
        parts[0] = "supports"
        if len(parts) == 3:
            parts[2] = SUPPORT_NAMES.get(parts[2], parts[2])
    if head == "circumstances" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        parts[1] = str(positions[index]) if index < len(positions) else parts[1]
    return ".".join(parts)


def api_messages(messages: dict[str, list[str]], positions: list[int]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path, items in messages.items():
        out.setdefault(api_path(path, positions), []).extend(items)
    return out


def content_hash(item: dict) -> str:
    """SHA-256 of what a submission says (not how it was spaced): the UUID's content."""
    content = {key: item.get(key) for key in ("kind", "captured_at", "child_id", "base_version",
                                               "corrects", "data")}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def of_household(household) -> dict:
    return {"id": str(household.id), "village": household.village_code,
            "head_name": household.head_name, "address": household.address,
            "poverty_status": household.poverty_status}


def of_child(child, circumstances: list[dict], supports: list) -> dict:
    """A register child as the phone keeps it: id, version and its snapshot sections.

    :param circumstances: the child's circumstances as the user may see them
        (``children.present.circumstances``), masked ones without code or detail.
    :param supports: its support records as the user may see them
        (``children.present.supports``).
    """
    return {
        "id": str(child.id), "version": child.version, "household_id": str(child.household_id),
        "child": {**{name: plain(getattr(child, name)) for name in CHILD_FIELDS
                     if name != "village_code"}, "village": child.village_code},
        "caregivers": [{name: getattr(c, name) for name in CAREGIVER_FIELDS}
                       for c in child.caregivers],
        "circumstances": [_seen_circumstance(c, row)
                          for c, row in zip(child.circumstances, circumstances, strict=True)],
        "supports": [of_support(s) for s in supports],
    }


def of_support(s) -> dict:
    """A support record (the register's, or as seen) in the snapshot's names."""
    return {"id": str(s.id), "code": s.form, "date": s.given_on.isoformat(),
            "provider": s.provider, "amount": s.amount_vnd, "note": s.note}


def _seen_circumstance(c, row: dict) -> dict:
    base = {"id": str(c.id), "since": plain(c.since), "until": plain(c.until)}
    if row["masked"]:
        return {**base, "masked": True}
    return {**base, "code": c.code, "detail": plain(c.detail or {}), "note": c.note}
