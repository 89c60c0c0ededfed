"""The "Đã liên hệ" button: only the CSRF token, the device is in the address."""

from fieldapp.forms import FlaskForm


class ContactedForm(FlaskForm):
    pass
