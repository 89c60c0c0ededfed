"""What a phone reports of itself after each sync (``PUT /api/v1/device``), for the OpenAPI
document and the checks. Numbers are whole JSON numbers only, within what a phone can hold."""

from marshmallow import ValidationError, validate

from fieldapp.clock import VIETNAM, storable_time
from fieldapp.schemas import ApiSchema, Bool, Int, Text, Uuid, When

MAX_BYTES = 10_000
MAX_ITEMS = 1_000_000  # no phone holds this many submissions
MAX_STORAGE = 2**53  # the largest whole number a phone's JavaScript counts exactly


def _count(maximum: int):
    return validate.Range(min=0, max=maximum,
                          error=f"Phải là số nguyên từ 0 đến {maximum}.")


def _storable(value) -> None:
    if not storable_time(value):
        raise ValidationError("Ngày giờ nằm ngoài khoảng lưu được.")


class Flag(Bool):
    """``true``, ``false`` (or ``null`` where allowed); never a number or a text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class DeviceReport(ApiSchema):
    device_id = Uuid(required=True, metadata={
        "description": "Made on the phone once and kept; with the caller it names one outbox "
                       "(two users of one phone are two devices)."})
    app_version = Text(required=True, validate=[
        validate.Length(min=1, max=40, error="Từ 1 đến 40 ký tự.")])
    pending = Int(required=True, strict=True, validate=_count(MAX_ITEMS), metadata={
        "description": "Items of this user's outbox without the server's receipt (saved, "
                       "sending, invalid)."})
    oldest_pending_at = When(allow_none=True, load_default=None, default_timezone=VIETNAM,
                             validate=_storable, metadata={
        "description": "Capture time of the oldest pending item; without an offset, Vietnam's "
                       "time. Null (or left out) when nothing is pending."})
    persisted = Flag(allow_none=True, load_default=None, metadata={
        "description": "navigator.storage.persisted(); null when the browser cannot say."})
    usage_bytes = Int(allow_none=True, load_default=None, strict=True,
                      validate=_count(MAX_STORAGE),
                      metadata={"description": "navigator.storage.estimate().usage"})
    quota_bytes = Int(allow_none=True, load_default=None, strict=True,
                      validate=_count(MAX_STORAGE),
                      metadata={"description": "navigator.storage.estimate().quota"})
    discarded = Int(load_default=0, strict=True, validate=_count(MAX_ITEMS), metadata={
        "description": "Items the user deliberately deleted unsent on this phone, counted since "
                       "its storage began (back to 0 if it was wiped), so that a deletion is "
                       "not taken for a loss."})
