"""The sync API's shapes (marshmallow): what a phone sends, and what it gets back.

The OpenAPI document is generated from these classes, and the tests check every answer
against it. Values inside ``data`` are mostly text: the register's validators, not the schema,
judge them, so that their messages are the same Vietnamese as the forms'.
"""

from marshmallow import validate

from fieldapp.clock import VIETNAM
from fieldapp.collection.models import KINDS, STATES
from fieldapp.schemas import (
    Any,
    ApiSchema,
    Bool,
    Int,
    Items,
    Mapping,
    Object,
    Text,
    UserOut,
    Uuid,
    When,
)

MAX_BATCH = 100
MAX_BYTES = 1_000_000


def _text(**kwargs):
    return Text(allow_none=True, load_default=None, **kwargs)


class HouseholdSnapshot(ApiSchema):
    id = Uuid(allow_none=True, load_default=None,
              metadata={"description": "An existing household; null for a new one."})
    ref = Uuid(allow_none=True, load_default=None, metadata={
        "description": "For a new household: a UUID made on the phone, the same in every "
                       "submission of a child of that household."})
    head_name = _text()
    address = _text()
    village = _text(metadata={"description": "Village code, e.g. 03808-002."})
    poverty_status = _text(metadata={"description": "none | near_poor | poor"})


class ChildSnapshot(ApiSchema):
    personal_id = _text()
    full_name = _text()
    sex = _text(metadata={"description": "1 Nam, 2 Nữ, 3 Chưa xác định"})
    date_of_birth = _text(metadata={"description": "YYYY-MM-DD"})
    ethnicity_code = _text()
    nationality = _text()
    village = _text()
    current_residence = _text()
    address = _text()
    schooling_status = _text()
    # Added with issue 14: only with HT07 (đã bỏ học); an older phone sends neither.
    school_left_level = _text(metadata={"description": "school_level code (TH, THCS, THPT): "
                                                      "the level a dropout (HT07) left."})
    school_left_on = _text(metadata={"description": "YYYY-MM-DD, or YYYY-MM: when the child "
                                                   "dropped out (HT07)."})


class CaregiverSnapshot(ApiSchema):
    relation = _text(metadata={"description": "father | mother | guardian | other"})
    full_name = _text()
    personal_id = _text()
    phone = _text()


class CircumstanceSnapshot(ApiSchema):
    id = Uuid(allow_none=True, load_default=None,
              metadata={"description": "An existing membership, as the packet gave it."})
    masked = Bool(load_default=False, metadata={
        "description": "A restricted group the collector may not see: passed back as given."})
    code = _text()
    since = _text()
    until = _text()
    detail = Mapping(keys=Text(), values=Text(allow_none=True), allow_none=True,
                     load_default=None)
    note = _text()


class SupportSnapshot(ApiSchema):
    id = Uuid(allow_none=True, load_default=None)
    code = _text(metadata={"description": "TG01 … TG06"})
    date = _text()
    provider = _text()
    # Judged by the register's parse_amount: a whole number, or text like "1.000.000".
    amount = Any(allow_none=True, load_default=None,
                 metadata={"description": "VND, a whole number", "type": ["integer", "string"]})
    note = _text()


class Closure(ApiSchema):
    reason = Text(required=True, validate=validate.OneOf(
        ["moved_away", "died"], error="Lý do đóng hồ sơ: chuyển đi hoặc đã mất."))
    date = _text()
    note = _text()
    # Added with issue 14; an older phone sends neither (a death, cause unknown).
    injury = Bool(allow_none=True, load_default=None, metadata={
        "description": "On a death: true if it was from an injury (then cause is needed)."})
    cause = _text(metadata={"description": "On a death from injury: an injury_cause code."})


class Snapshot(ApiSchema):
    household = Object(HouseholdSnapshot, required=True)
    child = Object(ChildSnapshot, required=True)
    caregivers = Items(Object(CaregiverSnapshot), load_default=list,
                       validate=validate.Length(max=10, error="Tối đa {max} người nuôi dưỡng."))
    circumstances = Items(Object(CircumstanceSnapshot), load_default=list,
                          validate=validate.Length(max=40, error="Tối đa {max} hoàn cảnh."))
    supports = Items(Object(SupportSnapshot), load_default=list,
                     validate=validate.Length(max=200, error="Tối đa {max} lần trợ giúp."))
    closure = Object(Closure, allow_none=True, load_default=None, metadata={
        "description": "Only on an update: the child moved away or died."})


class ReportChild(ApiSchema):
    full_name = _text()
    sex = _text(metadata={"description": "1 Nam, 2 Nữ, 3 Chưa xác định"})
    date_of_birth = _text(metadata={"description": "YYYY-MM-DD, if known"})
    estimated_age = Any(allow_none=True, load_default=None, metadata={
        "description": "Years, 0 to 17, when the birth date is not known",
        "type": ["integer", "string"]})
    village = _text(metadata={"description": "Village code, one of the reporter's villages."})


class ProtectionReport(ApiSchema):
    """The ``data`` of a submission of kind ``protection_report`` (issue 16 §3)."""

    child_id = Uuid(allow_none=True, load_default=None, metadata={
        "description": "A register child of the reporter's villages; else describe the child "
                       "in `child`. With it, `child` is the phone's copy of the name, ignored."})
    child = Object(ReportChild, allow_none=True, load_default=None)
    # Long enough for the validator to say its own limit (cases.validators.LONG).
    situation = _text(validate=validate.Length(max=20_000),
                      metadata={"description": "What was seen (required), at most 4000 "
                                               "characters."})
    seen_at = _text(metadata={"description": "When it was seen: YYYY-MM-DDTHH:MM (Vietnam's "
                                             "time unless an offset is given), optional."})
    location = _text(metadata={"description": "Where."})
    urgent = Any(allow_none=True, load_default=None, metadata={
        "description": "true: the child is in danger now and needs help at once.",
        "type": ["boolean", "string"]})
    reporter_phone = _text(metadata={"description": "A phone number to call back, optional."})


class SubmissionIn(ApiSchema):
    uuid = Uuid(required=True)
    kind = Text(required=True, validate=validate.OneOf(KINDS, error="Loại phiếu không hợp lệ."),
                metadata={"description": "`child`: `data` is a child's snapshot. "
                          "`protection_report`: `data` is a ProtectionReport; it opens a case "
                          "for the commune officer at once, its receipt's state is "
                          "`acknowledged` (Đã tiếp nhận), and the reporter sees nothing more "
                          "of it. `child_id`, `base_version` and `corrects` stay null."})
    captured_at = When(required=True, default_timezone=VIETNAM)
    child_id = Uuid(allow_none=True, load_default=None,
                    metadata={"description": "Set for an update of a register child."})
    base_version = Int(allow_none=True, load_default=None, strict=True, metadata={
        "description": "The child's version the collector started from (updates)."})
    corrects = Uuid(allow_none=True, load_default=None, metadata={
        "description": "The returned submission this one corrects."})
    data = Object(Snapshot, required=True)


class ReportIn(SubmissionIn):
    """A submission of kind ``protection_report``: the same envelope, its own ``data``."""

    data = Object(ProtectionReport, required=True)


class SubmissionBatch(ApiSchema):
    submissions = Items(Object(SubmissionIn), required=True, metadata={"maxItems": MAX_BATCH})
    device_id = Uuid(metadata={
        "description": "The sending phone's id, as in PUT /api/v1/device: its receipts "
                       "(accepted, duplicate, conflict) are counted for the detector of lost "
                       "items. Optional; a malformed one is ignored."})


class Receipt(ApiSchema):
    id = Text(required=True)
    received_at = When(required=True)
    state = Text(required=True, metadata={"enum": [*STATES, "conflict"]})


class SubmissionResult(ApiSchema):
    uuid = Text(allow_none=True, required=True)
    status = Text(required=True, metadata={"enum": ["accepted", "duplicate", "conflict",
                                                    "invalid"]})
    receipt = Object(Receipt, allow_none=True, required=True)
    errors = Mapping(keys=Text(), values=Items(Text()), required=True)
    warnings = Mapping(keys=Text(), values=Items(Text()), required=True)


class SubmissionResults(ApiSchema):
    results = Items(Object(SubmissionResult), required=True)


class SubmissionOut(ApiSchema):
    uuid = Text(required=True)
    kind = Text(required=True)
    state = Text(required=True, metadata={"enum": list(STATES)})
    state_label = Text(required=True)
    stale = Bool(required=True)
    child_id = Text(allow_none=True, required=True)
    base_version = Int(allow_none=True, required=True)
    corrects = Text(allow_none=True, required=True)
    captured_at = When(required=True)
    received_at = When(required=True)
    updated_at = When(required=True)
    note = Text(allow_none=True, required=True,
                metadata={"description": "The officer's note (returned) or reason (rejected)."})
    label = Text(required=True, metadata={"description": "The child's name as submitted."})
    data = Mapping(allow_none=True, required=True, metadata={
        "description": "The snapshot, while the submission waits or was returned; null once "
                       "decided."})


class SubmissionFeed(ApiSchema):
    cursor = Text(required=True, metadata={
        "description": "Where the next download starts (`since`); while pages remain, the "
                       "same as `next`."})
    next = Text(allow_none=True, required=True, metadata={
        "description": "Give it as `since` for the next page of this walk; null on the last "
                       "page."})
    submissions = Items(Object(SubmissionOut), required=True)


class PacketVillage(ApiSchema):
    code = Text(required=True)
    name = Text(required=True)


class PacketCode(ApiSchema):
    code = Text(required=True)
    label = Text(required=True)
    block = Text(allow_none=True, required=True)
    parent = Text(allow_none=True, required=True)
    restricted = Bool(required=True)


class PacketHousehold(ApiSchema):
    id = Text(required=True)
    village = Text(required=True)
    head_name = Text(required=True)
    address = Text(required=True)
    poverty_status = Text(required=True)


class PacketChild(ApiSchema):
    id = Text(required=True)
    version = Int(required=True)
    household_id = Text(required=True)
    child = Object(ChildSnapshot, required=True)
    caregivers = Items(Object(CaregiverSnapshot), required=True)
    circumstances = Items(Object(CircumstanceSnapshot), required=True)
    supports = Items(Object(SupportSnapshot), required=True)


class Removed(ApiSchema):
    children = Items(Text(), required=True)
    households = Items(Text(), required=True)


class PacketRules(ApiSchema):
    age_limit = Int(required=True, metadata={
        "description": "The age limit in force (16 by the Law on Children 2016): a child of "
                       "this age or older is refused at capture."})


class Packet(ApiSchema):
    cursor = Text(required=True)
    full = Bool(required=True, metadata={"description": "True: replace what the phone has."})
    user = Object(UserOut, required=True)
    villages = Items(Object(PacketVillage), required=True)
    code_lists = Mapping(keys=Text(), values=Items(Object(PacketCode)), allow_none=True,
                         required=True, metadata={"description": "Null when unchanged."})
    households = Items(Object(PacketHousehold), required=True)
    children = Items(Object(PacketChild), required=True)
    removed = Object(Removed, required=True)
    rules = Object(PacketRules, required=True)
