"""Marshmallow fields that speak Vietnamese, and errors as flat field paths.

The sync API answers field errors as ``{"child.full_name": ["…"]}``; marshmallow nests them
(``{"data": {"caregivers": {0: {"phone": [...]}}}}``), so :func:`flat_errors` flattens.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

MAX_TEXT = 1000  # the longest text any service keeps (an officer's note)

BASE = {
    "required": "Thiếu trường bắt buộc.",
    "null": "Không được để trống.",
    "validator_failed": "Giá trị không hợp lệ.",
}


class ApiSchema(Schema):
    """Unknown keys are ignored (an older or newer phone may send more), never an error."""

    error_messages = {"type": "Phải là một đối tượng JSON.", "unknown": "Trường không được biết."}

    class Meta:
        unknown = EXCLUDE


class Text(fields.String):
    """A string; with no validator of its own, at most :data:`MAX_TEXT` characters."""

    default_error_messages = {**BASE, "invalid": "Phải là chuỗi ký tự."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=MAX_TEXT, error="Tối đa {max} ký tự."))
        super().__init__(*args, **kwargs)


class Int(fields.Integer):
    default_error_messages = {**BASE, "invalid": "Phải là số nguyên."}


class Bool(fields.Boolean):
    default_error_messages = {**BASE, "invalid": "Phải là true hoặc false."}


class Uuid(fields.UUID):
    default_error_messages = {**BASE, "invalid_uuid": "Không phải mã UUID hợp lệ."}


class When(fields.AwareDateTime):
    """An ISO 8601 date and time; without an offset it is Vietnam's time (UTC+7)."""

    default_error_messages = {
        **BASE, "invalid": "Không phải ngày giờ ISO 8601 hợp lệ.",
        "invalid_awareness": "Không phải ngày giờ ISO 8601 hợp lệ.",
        "format": "Không ghi được ngày giờ.",
    }


class Items(fields.List):
    default_error_messages = {**BASE, "invalid": "Phải là một danh sách."}


class Object(fields.Nested):
    default_error_messages = {**BASE, "type": "Phải là một đối tượng JSON."}


class Mapping(fields.Dict):
    default_error_messages = {**BASE, "invalid": "Phải là một đối tượng JSON."}


class Any(fields.Raw):
    default_error_messages = dict(BASE)


# Shared by two features' answers: auth's session and collection's packet.
class UserOut(ApiSchema):
    """Who is calling (the session) or whose the phone's data is (the packet)."""

    id = Int(required=True)
    username = Text(required=True)
    full_name = Text(required=True)
    role = Text(required=True)


def flat_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """``{"a": {"0": {"b": ["x"]}}}`` → ``{"a.0.b": ["x"]}``; a bare list stays at ``prefix``."""
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_": list(messages)}
        out: dict[str, list[str]] = {}
        for message in messages:
            for path, items in flat_errors(message, prefix).items():
                out.setdefault(path, []).extend(items)
        return out
    if isinstance(messages, str):
        return {prefix or "_": [messages]}
    out = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":
            path = prefix or "_"
        for sub, items in flat_errors(value, path).items():
            out.setdefault(sub, []).extend(items)
    return out
