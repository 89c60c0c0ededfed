"""The "Đã liên hệ" button: only the CSRF token, the device is in the address."""

from flask_wtf import FlaskForm


class ContactedForm(FlaskForm):
    pass
