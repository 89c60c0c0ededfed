from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from fieldapp.audit.services import OBJECT_LABELS
from fieldapp.forms import FlaskForm

# SelectChoice, not tuples: WTForms 3.3 deprecates tuple choices given at construction.
OBJECT_TYPES = [SelectChoice(code, label) for code, label in [("", "Tất cả"),
                                                              *OBJECT_LABELS.items()]]


class AuditFilterForm(FlaskForm):
    """Filters travel in the query string: user ids, object ids and dates, no personal data."""

    class Meta:
        csrf = False

    user = SelectField("Người thực hiện", coerce=str, validators=[Optional()])
    object_type = SelectField("Loại đối tượng", choices=OBJECT_TYPES, validators=[Optional()])
    object_id = StringField("Mã đối tượng", validators=[
        Optional(), Length(max=64, message="Tối đa 64 ký tự.")])
    day_from = DateField(
        "Từ ngày", validators=[Optional()], format="%Y-%m-%d",
    )
    day_to = DateField("Đến ngày", validators=[Optional()], format="%Y-%m-%d")
    before = IntegerField(validators=[Optional()])
