"""One child's whole record, for a family's request for its data (Law 91/2025, DOMAIN §9):
the document the JSON and the PDF (``children.record_pdf``) of **Xuất hồ sơ của trẻ** hold.

The JSON shape (``FORMAT`` version 1; keys in English like the sync API's snapshot, values as
stored — codes, ISO dates, UTC times — each code beside its Vietnamese ``*_label``)::

    {"format": "fieldapp.child_record", "format_version": 1,
     "exported_at": "…Z", "exported_by": username,
     "commune": {"code", "name", "province"},
     "labels": {snapshot path: Vietnamese label, …}   # children.record.FIELDS
     "child": {"id", "version", "status", "status_label", "created_at", "updated_at",
               "personal_id", "full_name", "sex", "sex_label", "date_of_birth",
               "ethnicity_code", "ethnicity_label", "nationality", "nationality_label",
               "village", "village_label", "current_residence", "address",
               "schooling_status", "schooling_status_label", "school_left_level",
               "school_left_level_label", "school_left_on"},
     "household": {"id", "village", "head_name", "address", "poverty_status",
                   "poverty_status_label"},
     "caregivers": [{"relation", "relation_label", "full_name", "personal_id", "phone"}],
     "circumstances": [{"id", "code", "label", "block", "restricted", "masked", "current",
                        "since", "until", "detail", "detail_labels", "note",
                        "confirmed_on"}],
     "supports": [{"id", "code", "code_label", "date", "provider", "amount", "note"}],
     "consents": [{"id", "person", "person_label", "person_name", "purpose",   # newest first
                   "purpose_label", "purpose_other", "given", "given_on", "note",
                   "recorded_at", "recorded_by", "withdrawn_on", "withdrawn_by"}],
     "closure": null | {"reason", "reason_label", "date", "note", "merged_into"},
     "history": [{"version", "at", "by", "source", "source_label", "note", "record",
                  "changes": [{"field", "label", "old", "new",      # newest first;
                               "old_label", "new_label"}]}],     # labels: coded fields
     "access": [{"at", "by", "action", "action_label"}]}              # newest first

Circumstances and supports are read through ``children.queries`` as the exporting user may
see them (only the commune officer exports, who sees the restricted groups in full).
"""

import json
from datetime import UTC, datetime

from fieldapp import people
from fieldapp.audit.services import ACTION_LABELS
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import consents, queries, record
from fieldapp.children.models import CLOSE_REASONS, SOURCES, Child
from fieldapp.clock import VIETNAM
from fieldapp.extensions import db
from fieldapp.places.models import Commune

FORMAT = "fieldapp.child_record"
CODED = {"sex": "sex", "ethnicity_code": "ethnicity", "nationality": "nationality",
         "schooling_status": "schooling_status", "school_left_level": "school_level"}


def document(child: Child, actor, now: datetime | None = None) -> dict:
    """The whole record of ``child`` as ``actor`` may see it, JSON-able (see the module)."""
    now = now or datetime.now(UTC)
    merged = queries.merged_records(child)
    return {
        "format": FORMAT, "format_version": 1, "exported_at": _time(now),
        "exported_by": actor.username, "commune": _commune(child.commune_code),
        "labels": {field.path: field.label for field in record.FIELDS},
        "child": _child(child), "household": _household(child.household),
        "caregivers": [{"relation": c.relation,
                        "relation_label": catalogue.label("caregiver_relation", c.relation),
                        "full_name": c.full_name, "personal_id": c.personal_id,
                        "phone": c.phone} for c in child.caregivers],
        "circumstances": [_circumstance(c, row) for c, row in zip(
            child.circumstances, queries.circumstances(child, actor), strict=True)],
        "supports": [{**record.of_support(s),
                      "code_label": catalogue.label("support_form", s.form)}
                     for s in queries.supports(child, actor)],
        "consents": _consents(child),
        "closure": _closure(child),
        "history": [_change(change) for change in
                    queries.joined_history(child, merged, limit=None)],
        "access": [{"at": _time(e.at), "by": e.username, "action": e.action,
                    "action_label": ACTION_LABELS.get(e.action, e.action)}
                   for e in queries.accesses(child)],
    }


def as_json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


def filename(child: Child, now: datetime, extension: str) -> str:
    """``ho-so-tre-<first 8 of the id>-<yyyymmdd, Vietnam's day>.<extension>``: no name."""
    return f"ho-so-tre-{str(child.id)[:8]}-{now.astimezone(VIETNAM):%Y%m%d}.{extension}"


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored naive in UTC (SQLite)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _commune(code: str) -> dict:
    commune = db.session.get(Commune, code)
    return {"code": code, "name": commune.name if commune else code,
            "province": commune.province.name if commune and commune.province else ""}


def _child(child: Child) -> dict:
    status = queries.status(child)
    out = {"id": str(child.id), "version": child.version, "status": status,
           "status_label": queries.STATUS_LABELS[status],
           "created_at": _time(child.created_at), "updated_at": _time(child.updated_at)}
    for name in record.CHILD_FIELDS:
        key = "village" if name == "village_code" else name
        out[key] = record.plain(getattr(child, name))
        if name in CODED:  # ethnicity_code → ethnicity_label
            value = getattr(child, name)
            label = catalogue.label(CODED[name], value) if value else None
            out[f"{key.removesuffix('_code')}_label"] = label
    out["village_label"] = child.village.name
    return out


def _household(household) -> dict:
    return {**record.of_household(household), "poverty_status_label":
            catalogue.label("poverty_status", household.poverty_status)}


def _circumstance(c, row: dict) -> dict:
    out = {"id": str(c.id), "code": row["code"], "label": row["label"], "block": row["block"],
           "restricted": catalogue.is_restricted(c.code), "masked": row["masked"],
           "current": row["open"], "since": record.plain(c.since),
           "until": record.plain(c.until), "detail": None, "detail_labels": row["details"],
           "note": row["note"], "confirmed_on": record.plain(c.confirmed_on)}
    if not row["masked"]:
        out["detail"] = record.plain(c.detail or {})
    return out


def _consents(child: Child) -> list[dict]:
    rows = consents.of_child(child)
    names = people.people(u for c in rows for u in (c.recorded_by_id, c.withdrawn_by_id))
    return [{"id": str(c.id), "person": c.person,
             "person_label": catalogue.label(consents.PERSON_LIST, c.person),
             "person_name": c.person_name, "purpose": c.purpose,
             "purpose_label": catalogue.label(consents.PURPOSE_LIST, c.purpose),
             "purpose_other": c.purpose_other, "given": c.given,
             "given_on": c.given_on.isoformat(), "note": c.note,
             "recorded_at": _time(c.recorded_at), "recorded_by": names.get(c.recorded_by_id),
             "withdrawn_on": record.plain(c.withdrawn_on),
             "withdrawn_by": names.get(c.withdrawn_by_id)} for c in rows]


def _closure(child: Child) -> dict | None:
    if child.closed_on is None:
        return None
    return {"reason": child.closed_reason,
            "reason_label": CLOSE_REASONS.get(child.closed_reason, child.closed_reason),
            "date": child.closed_on.isoformat(), "note": child.closed_note,
            "merged_into": str(child.merged_into_id) if child.merged_into_id else None}


def _change(change) -> dict:
    return {"version": change.version, "at": _time(change.at), "by": change.username,
            "source": change.source, "source_label": SOURCES.get(change.source, change.source),
            "note": change.note, "record": str(change.child_id),
            "changes": [_changed(item) for item in change.shown]}


def _changed(item: dict) -> dict:
    """One field's change, with the labels of its coded values (``old_label``, ``new_label``)."""
    out = {**item, "label": record.flat_label(item["field"])}
    field = record.flat_field(item["field"])
    if field is not None and field.codes:
        for side in ("old", "new"):
            value = item[side]
            out[f"{side}_label"] = catalogue.label(field.codes, value) if value else None
    return out


def note_exported(actor, child: Child, kind: str, address: str | None = None) -> None:
    """Audit one export of the record (``kind``: ``pdf`` or ``json``; no personal data)."""
    audit(actor, "child_exported", "child", child.id, commune_code=child.commune_code,
          address=address, detail={"format": kind})
