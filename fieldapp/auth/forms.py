from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from fieldapp.auth.passwords import MIN_LENGTH
from fieldapp.forms import FlaskForm

REQUIRED = "Vui lòng nhập {}."


def at_most(characters: int) -> Length:
    return Length(max=characters, message=f"Tối đa {characters} ký tự.")


class LoginForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired(REQUIRED.format("tên đăng nhập")), at_most(50)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Mật khẩu",
        validators=[DataRequired(REQUIRED.format("mật khẩu")), at_most(200)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Mật khẩu hiện tại",
        validators=[DataRequired(REQUIRED.format("mật khẩu hiện tại"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Mật khẩu mới",
        validators=[
            DataRequired(REQUIRED.format("mật khẩu mới")),
            Length(min=MIN_LENGTH, max=200, message=f"Mật khẩu mới có ít nhất {MIN_LENGTH} ký tự."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[
            DataRequired(REQUIRED.format("lại mật khẩu mới")),
            EqualTo("new_password", message="Hai lần nhập mật khẩu mới không giống nhau."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(FlaskForm):
    """Create an account. ``places`` holds village checkboxes for the commune officer; admin
    types codes (villages ``03808-001``, a commune ``03808`` or a province ``14``)."""

    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired(REQUIRED.format("tên đăng nhập")), at_most(50)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    full_name = StringField("Họ và tên", validators=[at_most(100)])
    # The service judges the role: unknown is a Vietnamese field error, not allowed is 403.
    role = SelectField(
        "Vai trò", validators=[DataRequired("Vui lòng chọn vai trò.")], validate_choice=False
    )
    village_codes = CheckboxListField("Thôn/bản phụ trách", validate_choice=False)
    place_codes = StringField(
        "Mã địa bàn",
        description="Thôn/bản: 03808-001, nhiều thôn cách nhau bởi dấu phẩy; xã: 03808; tỉnh: 14.",
    )


class AccountEditForm(FlaskForm):
    full_name = StringField("Họ và tên", validators=[at_most(100)])
    village_codes = CheckboxListField("Thôn/bản phụ trách", validate_choice=False)
    place_codes = StringField("Mã địa bàn")
