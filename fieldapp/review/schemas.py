"""The review API's shapes (marshmallow): the inbox's filters, what an officer's tool reads
of a submission, and a decision.

As in collection's schemas, the OpenAPI document is generated from these classes; the
register's services, not the schema, judge what only they can (a note, a resolution), so that
their messages and field paths are the same as on the review page.
"""

import uuid
from datetime import UTC, datetime

from marshmallow import ValidationError, validate

from fieldapp.apiv1 import MAX_LIMIT
from fieldapp.collection.models import STATES
from fieldapp.cursors import read_cursor
from fieldapp.review.compare import CHOICES
from fieldapp.review.queries import FLAGS, KINDS
from fieldapp.review.services import NOTE_LIMIT
from fieldapp.schemas import Any, ApiSchema, Bool, Int, Items, Mapping, Object, Text, When

ACTIONS = ("approve", "return", "reject")
MAX_BYTES = 1_000_000  # resolutions name at most a snapshot's paths: far less than this


def _cursor(text: str) -> None:
    """A cursor of a previous page: a forged one is refused, not read as "from the start"
    (a client would loop over the first page for ever)."""
    try:
        when, key = read_cursor(text)
        start = datetime.fromisoformat(when)
        if start.tzinfo is None:
            raise ValueError(when)
        start.astimezone(UTC)
        uuid.UUID(key)
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise ValidationError("Con trỏ không hợp lệ: hãy tải lại từ trang đầu.") from None


class InboxQuery(ApiSchema):
    village = Text(validate=validate.Regexp(r"^[0-9]{5}-[0-9]{3}$", error="Mã thôn/bản "
                                            "không hợp lệ."),
                   metadata={"description": "Village code, e.g. 03808-002."})
    collector = Int(validate=validate.Range(min=1, max=2**31 - 1, error="Mã người thu thập "
                                            "không hợp lệ."),
                    metadata={"description": "The collector's user id."})
    kind = Text(validate=validate.OneOf(KINDS, error="Loại phiếu: new hoặc update."))
    flag = Text(validate=validate.OneOf(FLAGS, error="Dấu hiệu: stale, conflict, duplicate "
                                                     "hoặc overdue."))
    cursor = Text(validate=[validate.Length(max=200, error="Tối đa {max} ký tự."), _cursor],
                  metadata={"description": "The `next` of the previous page."})
    limit = Int(validate=validate.Range(min=1, max=MAX_LIMIT, error=f"Phải là một số nguyên "
                                        f"từ 1 đến {MAX_LIMIT}."),
                metadata={"description": "Items per page (50 when left out)."})


class Collector(ApiSchema):
    id = Int(required=True)
    username = Text(required=True)
    full_name = Text(required=True)


class Duplicate(ApiSchema):
    child_id = Text(allow_none=True, required=True, metadata={
        "description": "The register child; null for another waiting submission."})
    submission_id = Text(allow_none=True, required=True, metadata={
        "description": "Another waiting new-child submission (two collectors registering the "
                       "same child); null for a register child."})
    full_name = Text(required=True)
    score = Int(required=True, metadata={
        "description": "How alike the two children are, 0–100; probable from 80."})
    reasons = Items(Text(), required=True)


class ReviewItem(ApiSchema):
    id = Text(required=True)
    kind = Text(required=True, metadata={"enum": list(KINDS)})
    state = Text(required=True, metadata={"enum": list(STATES)})
    village = Text(required=True)
    label = Text(required=True, metadata={"description": "The child's name as submitted."})
    collector = Object(Collector, required=True)
    child_id = Text(allow_none=True, required=True)
    base_version = Int(allow_none=True, required=True, metadata={
        "description": "The child's version the collector started from; null when the "
                       "officer matched a new child to a register one."})
    current_version = Int(allow_none=True, required=True,
                          metadata={"description": "The child's version in the register now."})
    stale = Bool(required=True)
    conflict = Bool(required=True, metadata={
        "description": "Other content was sent under the same UUID."})
    overdue = Bool(required=True, metadata={"description": "Waiting more than 7 days."})
    received_at = When(required=True)
    captured_at = When(required=True)
    duplicates = Items(Object(Duplicate), required=True, metadata={
        "description": "Probable duplicates of a proposed new child: in the register, or among the "
                       "other waiting submissions."})


class FieldOut(ApiSchema):
    path = Text(required=True, metadata={"description": "e.g. child.full_name, "
                                                        "caregivers.0.personal_id"})
    base = Any(allow_none=True, required=True,
               metadata={"description": "The register at the collector's base version."})
    current = Any(allow_none=True, required=True, metadata={"description": "The register now."})
    proposed = Any(allow_none=True, required=True,
                   metadata={"description": "The submission, cleaned by the register's rules."})
    differs = Bool(required=True)
    must_choose = Bool(required=True, metadata={
        "description": "Both the register and the collector changed it: a resolution is "
                       "required."})
    default = Text(allow_none=True, required=True, metadata={"enum": [*CHOICES, None]})
    keepable = Bool(required=True, metadata={
        "description": "The register's value (empty too) may be kept: false only in a row "
                       "the register does not have."})


class ReviewDetail(ReviewItem):
    fields = Items(Object(FieldOut), allow_none=True, required=True, metadata={
        "description": "Field by field beside the register; null once decided."})
    errors = Mapping(keys=Text(), values=Items(Text()), required=True,
                     metadata={"description": "The proposed record judged by today's rules: "
                                             "an approval is refused while any remain."})
    warnings = Mapping(keys=Text(), values=Items(Text()), required=True)


class VillageCount(ApiSchema):
    code = Text(required=True)
    name = Text(required=True)
    count = Int(required=True)


class CollectorCount(Collector):
    count = Int(required=True)


class KindCounts(ApiSchema):
    new = Int(required=True)
    update = Int(required=True)


class FlagCounts(ApiSchema):
    stale = Int(required=True)
    conflict = Int(required=True)
    overdue = Int(required=True)


class InboxCounts(ApiSchema):
    total = Int(required=True)
    villages = Items(Object(VillageCount), required=True)
    collectors = Items(Object(CollectorCount), required=True)
    kinds = Object(KindCounts, required=True)
    flags = Object(FlagCounts, required=True)


class ReviewList(ApiSchema):
    items = Items(Object(ReviewItem), required=True)
    next = Text(allow_none=True, required=True,
                metadata={"description": "The cursor of the next page; null on the last."})
    counts = Object(InboxCounts, required=True,
                    metadata={"description": "Of the whole inbox, whatever the filters."})


class DecisionIn(ApiSchema):
    action = Text(required=True, validate=validate.OneOf(
        ACTIONS, error="Thao tác: approve, return hoặc reject."))
    note = Text(allow_none=True, load_default=None,
                validate=[validate.Length(max=NOTE_LIMIT, error="Tối đa {max} ký tự.")],
                metadata={"description": "What to fix (return) or the reason (reject); "
                                         "required for both."})
    # Judged by the service, so that its errors are keyed by the path itself.
    resolutions = Mapping(keys=Text(), values=Any(metadata={"type": "string",
                                                            "enum": list(CHOICES)}),
                          load_default=dict, metadata={
        "description": "For an approval: field path → `register` (keep the register's "
                       "value) or `proposed`; required for every field with must_choose."})
    register_version = Int(allow_none=True, load_default=None, strict=True, metadata={
        "description": "The child's version the caller looked at: if the register moved on "
                       "since, nothing is applied (409 register_changed)."})


class DecisionOut(ApiSchema):
    id = Text(required=True)
    state = Text(required=True, metadata={"enum": list(STATES)})
    note = Text(allow_none=True, required=True)
    child_id = Text(allow_none=True, required=True)
    child_version = Int(allow_none=True, required=True,
                        metadata={"description": "After an approval: the child's version."})
