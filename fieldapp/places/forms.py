from wtforms import StringField
from wtforms.validators import DataRequired, Length

from fieldapp.forms import FlaskForm


class VillageForm(FlaskForm):
    name = StringField(
        "Tên thôn/bản",
        validators=[
            DataRequired("Vui lòng nhập tên thôn/bản."),
            Length(min=2, max=100, message="Tên thôn/bản có từ 2 đến 100 ký tự."),
        ],
    )
