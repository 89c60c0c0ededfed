"""Forms of the cleaning lists: the village filter and the "đã rà soát" button."""

from fieldapp.forms import FlaskForm, SelectField


class FilterForm(FlaskForm):
    """The filter travels in the address: a village code, never a child's data."""

    class Meta:
        csrf = False

    village = SelectField("Thôn/bản")


class ReviewedForm(FlaskForm):
    """Only the CSRF token: the child is in the address, the day is today."""
