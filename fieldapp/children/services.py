"""The one way a child or household is created or changed (officer edits now; approved
submissions and police verification later). Services flush; the view commits."""

import uuid
from datetime import date

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.auth import roles
from fieldapp.catalogue import services as catalogue
from fieldapp.children import record as child_record
from fieldapp.children.models import (
    CLOSE_REASONS,
    Caregiver,
    Child,
    ChildChange,
    Circumstance,
    Household,
    SupportRecord,
)
from fieldapp.children.search import fold
from fieldapp.children.validators import (
    Result,
    sixteenth_birthday,
    validate_circumstance,
    validate_household,
    validate_record,
    validate_support,
)
from fieldapp.db import utcnow
from fieldapp.errors import Forbidden, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village


class Source:
    """Through what a change came, and its reference (a submission id, a batch id)."""

    def __init__(self, kind: str = "officer_edit", ref: str | None = None, note=None):
        self.kind, self.ref, self.note = kind, ref, note


OFFICER_EDIT = Source()


def _refuse(result: Result) -> None:
    if result.errors:
        raise ValidationFailed("Hồ sơ trẻ em chưa hợp lệ.", result.errors)


def _village(actor, code: str | None, path: str) -> Village:
    try:
        village = access.get_or_404(Village, code, actor)
    except NotFound:
        village = None
    if village is None or not village.active:
        raise ValidationFailed(errors={path: ["Thôn/bản không thuộc địa bàn của bạn."]})
    return village


def _household(actor, record: dict, village: Village, key=None) -> Household:
    if record.get("household_id"):
        try:
            return access.get_or_404(Household, record["household_id"], actor)
        except NotFound:
            raise ValidationFailed(
                errors={"household_id": ["Hộ gia đình không thuộc địa bàn của bạn."]}
            ) from None
    data = dict(record.get("household") or {})
    data.setdefault("village_code", village.code)
    return create_household(actor, data, key=key)


def _clean_household(actor, data: dict, village_code: str | None = None):
    """Check who may write and what; the village defaults to ``village_code``."""
    access.require(actor, "children.edit")
    result = Result()
    clean = validate_household(data, result, catalogue)
    if result.errors:
        raise ValidationFailed("Hộ gia đình chưa hợp lệ.", result.errors)
    village = _village(actor, clean["village_code"] or village_code, "household.village_code")
    return clean, village


def create_household(actor, data: dict, *, key: uuid.UUID | None = None) -> Household:
    """Create a household in a village of the actor's places.

    :param key: its id when made elsewhere (a phone's ``household.ref``, shared by siblings).
    """
    clean, village = _clean_household(actor, data)
    household = Household(
        id=key or uuid.uuid4(),
        village_code=village.code, commune_code=village.commune_code,
        head_name=clean["head_name"], address=clean["address"],
        poverty_status=clean["poverty_status"],
    )
    db.session.add(household)
    db.session.flush()
    audit(actor, "household_created", "household", household.id,
          commune_code=household.commune_code)
    return household


def update_household(actor, household: Household, data: dict) -> None:
    """Change a household's head, address, village or poverty status."""
    clean, village = _clean_household(actor, data, household.village_code)
    household.head_name, household.address = clean["head_name"], clean["address"]
    household.poverty_status, household.village_code = clean["poverty_status"], village.code
    household.updated_at = utcnow()
    audit(actor, "household_updated", "household", household.id,
          commune_code=household.commune_code)


def create_child(actor, record: dict, *, capture_date: date | None = None,
                 source: Source = OFFICER_EDIT, household_key: uuid.UUID | None = None,
                 validated: Result | None = None) -> Child:
    """Create a child with household, caregivers, circumstances and support from a record.

    :param record: sections ``child``, ``household`` (new) or ``household_id`` (existing),
        ``caregivers``, ``circumstances``, ``support`` (see validators).
    :param household_key: the id of the new household, when made elsewhere (a phone).
    :param validated: ``validate_record(record)`` on ``capture_date``, when the caller has
        already judged the record (a review approval); judged here otherwise.
    """
    _allowed(actor, source)
    result = validated if validated is not None else validate_record(
        record, capture_date=capture_date or date.today())
    _refuse(result)
    clean = result.clean
    village = _village(actor, clean["child"]["village_code"], "child.village_code")
    household = _household(actor, record, village, household_key)
    with db.session.no_autoflush:
        child = Child(version=1)
        _apply_child(child, clean["child"], village)
        child.caregivers = [Caregiver(position=i, **c) for i, c in enumerate(clean["caregivers"])]
        child.circumstances = [Circumstance(**c) for c in clean["circumstances"]]
        child.support = [_support(s) for s in clean["support"]]
        child.household = household
        db.session.add(child)
    db.session.flush()
    _write_history(actor, child, {}, source)
    audit(actor, "child_created", "child", child.id, commune_code=child.commune_code,
          detail={"source": source.kind})
    return child


def update_child(actor, child: Child, record: dict, *, capture_date: date | None = None,
                 source: Source = OFFICER_EDIT) -> list[dict]:
    """Replace a child's own fields and caregivers (and household, when given).

    Circumstances and support change through their own services. Returns the changes.
    """
    _writable(actor, child, source)
    data = dict(record)
    data["circumstances"] = [_circumstance_data(c) for c in child.circumstances]
    result = validate_record(data, capture_date=capture_date or date.today())
    _refuse(result)
    before = child_record.flat(child)
    village = _village(actor, result.clean["child"]["village_code"], "child.village_code")
    if record.get("household_id") or record.get("household"):
        child.household = _household(actor, record, village)
    _apply_child(child, result.clean["child"], village)
    _replace_caregivers(child, result.clean["caregivers"])
    db.session.flush()  # a new household is only a relationship until then: no household_id
    return _changed(actor, child, before, source)


def add_circumstance(actor, child: Child, data: dict, *, source: Source = OFFICER_EDIT):
    """Put a child in a group from ``since`` (today by default), with the group's details."""
    _writable(actor, child, source)
    result = Result()
    clean = validate_circumstance(data, "circumstance", date.today(), result, catalogue)
    if any(c.code == clean["code"] and c.until is None for c in child.circumstances):
        result.error("circumstance.code", "Trẻ đang thuộc nhóm hoàn cảnh này.")
    _refuse(result)
    before = child_record.flat(child)
    child.circumstances.append(Circumstance(**clean))
    return _changed(actor, child, before, source)


def end_circumstance(actor, circumstance: Circumstance, until: date | None,
                     *, source: Source = OFFICER_EDIT):
    """Close a group membership on ``until`` (today by default); its history stays."""
    child = circumstance.child
    _writable(actor, child, source)
    until = until or date.today()
    if circumstance.until is not None:
        raise ValidationFailed(errors={"until": ["Hoàn cảnh này đã kết thúc."]})
    if until < circumstance.since or until > date.today():
        raise ValidationFailed(
            errors={"until": ["Đến ngày phải từ ngày bắt đầu đến hôm nay."]}
        )
    before = child_record.flat(child)
    circumstance.until = until
    return _changed(actor, child, before, source)


def record_support(actor, child: Child, data: dict, *, source: Source = OFFICER_EDIT):
    """Record support received (form, date, provider, amount in VND, note)."""
    _writable(actor, child, source)
    result = Result()
    clean = validate_support(data, "support", date.today(), result, catalogue)
    _refuse(result)
    before = child_record.flat(child)
    child.support.append(_support(clean))
    return _changed(actor, child, before, source)


def close_child(actor, child: Child, reason: str, on: date | None, note: str = "",
                *, source: Source = OFFICER_EDIT, merged_into: Child | None = None):
    """Close a record (moved away, died, merged): it stays, read-only, with its history."""
    _writable(actor, child, source)
    errors = {}
    if reason not in CLOSE_REASONS:
        errors["reason"] = ["Chọn lý do đóng hồ sơ."]
    on = on or date.today()
    if on > date.today() or on < child.date_of_birth:
        errors["closed_on"] = ["Ngày đóng hồ sơ phải từ ngày sinh đến hôm nay."]
    if errors:
        raise ValidationFailed("Chưa đóng được hồ sơ.", errors)
    before = child_record.flat(child)
    child.closed_on, child.closed_reason = on, reason
    child.closed_note = (note or "").strip()[:500] or None
    child.merged_into_id = merged_into.id if merged_into else None
    return _changed(actor, child, before, source)


def _allowed(actor, source: Source) -> None:
    """Officer edits and approvals need the commune officer; police verification the police."""
    if actor is None and source.kind == "system":
        return
    if source.kind == "police":
        if getattr(actor, "role", None) != roles.POLICE:
            raise Forbidden("Chỉ công an xã ghi kết quả xác thực.")
        return
    access.require(actor, "children.edit")


def _writable(actor, child: Child, source: Source) -> None:
    _allowed(actor, source)
    if child.closed_on is not None:
        raise ValidationFailed("Hồ sơ đã đóng, chỉ xem được.", {"child": ["Hồ sơ đã đóng."]})
    if is_over_age(child):
        raise ValidationFailed("Trẻ đã đủ 16 tuổi, hồ sơ chỉ xem được.",
                               {"child": ["Đã đủ 16 tuổi."]})


def is_over_age(child: Child, on: date | None = None) -> bool:
    return sixteenth_birthday(child.date_of_birth) <= (on or date.today())


def _apply_child(child: Child, clean: dict, village: Village) -> None:
    for name in ("personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code",
                 "nationality", "current_residence", "address", "schooling_status"):
        setattr(child, name, clean[name])
    child.name_key = fold(clean["full_name"])
    child.village_code = village.code
    child.commune_code = village.commune_code
    child.province_code = village.commune.province_code


def _replace_caregivers(child: Child, rows: list[dict]) -> None:
    """Update caregivers in place by position, so unchanged ones make no history."""
    for i, data in enumerate(rows):
        if i < len(child.caregivers):
            for name, value in data.items():
                setattr(child.caregivers[i], name, value)
        else:
            child.caregivers.append(Caregiver(position=i, **data))
    del child.caregivers[len(rows):]


def _support(clean: dict) -> SupportRecord:
    data = dict(clean)
    data["given_on"] = data.pop("date")
    return SupportRecord(**data)


def _circumstance_data(c: Circumstance) -> dict:
    return {"code": c.code, "detail": c.detail, "since": c.since, "until": c.until,
            "note": c.note}


def _changed(actor, child: Child, before: dict, source: Source) -> list[dict]:
    after = child_record.flat(child)
    changes = child_record.diff(before, after)
    if changes:
        child.version += 1  # one version per change, however many fields it touched
        child.updated_at = utcnow()
        db.session.flush()
        _write_history(actor, child, before, source, changes)
        audit(actor, "child_updated", "child", child.id, commune_code=child.commune_code,
              detail={"source": source.kind, "version": child.version})
    return changes


def _write_history(actor, child: Child, before: dict, source: Source,
                   changes: list[dict] | None = None) -> None:
    if changes is None:
        changes = child_record.diff(before, child_record.flat(child))
    db.session.add(ChildChange(
        child_id=child.id, version=child.version, user_id=getattr(actor, "id", None),
        username=getattr(actor, "username", "hệ thống"), source=source.kind,
        source_ref=source.ref, note=source.note, changes=changes,
    ))
