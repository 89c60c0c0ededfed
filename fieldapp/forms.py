"""The base forms every form of the app derives from: each field refuses text the database
cannot keep (fieldapp/text.py) and every text field has a length limit, with a Vietnamese
message next to the field. Also the fields several features' forms share."""

import flask_wtf
import wtforms
from wtforms import SelectField as _SelectField
from wtforms.fields import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation
from wtforms.widgets import DateInput

from fieldapp import text

MAX_LENGTH = 1000  # the longest text any service keeps (a review's or a re-check's note)


def refuse_unstorable(form, field) -> None:
    """Checks what was sent (``raw_data``), so selects and hidden fields are covered too."""
    if any(isinstance(value, str) and not text.storable(value)
           for value in field.raw_data or ()):
        field.data = None  # the field is shown again empty, not with the character
        raise StopValidation(text.MESSAGE)


class CheckedMeta:
    """Adds :func:`refuse_unstorable` before every field's validators, and a
    ``Length(max=MAX_LENGTH)`` to a text field that has no length limit of its own."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        validators = list(field.validators)
        if isinstance(field, StringField) and not any(isinstance(v, Length) for v in validators):
            validators.append(Length(max=MAX_LENGTH,
                                     message=f"Tối đa {MAX_LENGTH} ký tự."))
        field.validators = [refuse_unstorable, *validators]
        return field


class Form(wtforms.Form):
    """A sub-form (``FormField``) or a form without CSRF."""

    class Meta(CheckedMeta):
        pass


class FlaskForm(flask_wtf.FlaskForm):
    """A page's form, with its CSRF token."""

    class Meta(CheckedMeta):
        pass


class SelectField(_SelectField):
    """A select whose value validators.py checks (with a Vietnamese message), not WTForms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        if kwargs.get("choices") is not None:  # tuples are deprecated here (WTForms 3.3)
            kwargs["choices"] = [SelectChoice(*c) for c in kwargs["choices"]]
        super().__init__(*args, **kwargs)


class DateText(StringField):
    """A date picker sending ``YYYY-MM-DD``, parsed by validators.py."""

    widget = DateInput()

    def _value(self):
        return self.data.isoformat() if hasattr(self.data, "isoformat") else (self.data or "")


def with_blank(choices, label: str = "— Chọn —"):
    return [("", label), *choices]


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token is its only field."""
