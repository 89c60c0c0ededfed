"""The identity fields the police see and may correct — and nothing else of a child.

A batch item keeps them as sent (``VerificationItem.sent``); the police pages and files are
drawn from that copy only, never from the register, so circumstances, support, the household
or schooling cannot reach the police by any path.
"""

from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.children.record import plain

# Fields of the child the police may correct (the village is the commune's own division).
CORRECTABLE = ("full_name", "sex", "date_of_birth", "ethnicity_code", "address")
CAREGIVER_CORRECTABLE = ("full_name", "personal_id")
# Labels from the record's table, in their compact form (the police's pages and notes).
LABELS = {name: child_record.heading(child_record.child_path(name))
          for name in ("personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code",
                       "village_code", "address")}
CAREGIVER_LABELS = {name: child_record.label(f"caregivers.{name}").lower()
                    for name in CAREGIVER_CORRECTABLE}


def sent_fields(child: Child) -> dict:
    """The child's identity fields now, as a batch stores them (JSON: dates as ISO text)."""
    return {
        "full_name": child.full_name, "sex": child.sex,
        "date_of_birth": plain(child.date_of_birth), "ethnicity_code": child.ethnicity_code,
        "village_code": child.village_code, "address": child.address or "",
        "personal_id": child.personal_id,
        "caregivers": [{"relation": c.relation, "full_name": c.full_name,
                        "personal_id": c.personal_id} for c in child.caregivers],
    }


def flat(fields: dict) -> dict:
    """``{"full_name": …, "caregivers.0.personal_id": …}``: one key per value."""
    out = {key: value for key, value in fields.items() if key != "caregivers"}
    for i, caregiver in enumerate(fields.get("caregivers") or []):
        for name in CAREGIVER_CORRECTABLE:
            out[f"caregivers.{i}.{name}"] = caregiver.get(name)
    return out


def label(key: str, sent: dict | None = None) -> str:
    """A flat key as a person reads it: "Họ và tên", "Mẹ: số định danh"."""
    if key.startswith("caregivers."):
        _, index, name = key.split(".")
        rows = (sent or {}).get("caregivers") or []
        relation = rows[int(index)]["relation"] if int(index) < len(rows) else None
        return f"{relation_label(relation)}: {CAREGIVER_LABELS.get(name, name)}"
    return LABELS.get(key, key)


def relation_label(code: str | None) -> str:
    return catalogue.label("caregiver_relation", code) if code else "Người nuôi dưỡng"


def shown(key: str, value) -> str:
    """A value as a person reads it: codes by their label, dates as dd/mm/yyyy."""
    if value in (None, ""):
        return "—"
    if key == "sex":
        return catalogue.label("sex", value)
    if key == "ethnicity_code":
        return catalogue.label("ethnicity", value)
    if key == "date_of_birth":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def after(sent: dict, corrections: dict | None) -> dict:
    """The identity fields as the police found them: ``sent`` with the corrections."""
    out = dict(sent)
    out["caregivers"] = [dict(c) for c in sent.get("caregivers") or []]
    for key, value in (corrections or {}).items():
        if key.startswith("caregivers."):
            _, index, name = key.split(".")
            if int(index) < len(out["caregivers"]):
                out["caregivers"][int(index)][name] = value
        else:
            out[key] = value
    return out
