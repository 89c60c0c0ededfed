"""Forms of the review: the inbox's filters and the officer's decisions."""

from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from fieldapp.forms import FlaskForm, SelectField, with_blank
from fieldapp.review.queries import FLAGS, KINDS


class FilterForm(FlaskForm):
    """Filters travel in the address: they hold places and kinds, never a child's data."""

    class Meta:
        csrf = False

    village = SelectField("Thôn/bản")
    collector = SelectField("Người thu thập")
    kind = SelectField("Loại phiếu", choices=with_blank(list(KINDS.items()), "Tất cả"))
    flag = SelectField("Cần chú ý", choices=with_blank(list(FLAGS.items()), "Tất cả"))


class ApproveForm(FlaskForm):
    # The child's version the officer saw: if the register moves on, nothing is applied.
    seen_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class ReturnForm(FlaskForm):
    note = TextAreaField("Điều cần sửa (người thu thập sẽ thấy trên điện thoại)")


class RejectForm(FlaskForm):
    note = TextAreaField("Lý do từ chối")


class SameChildForm(FlaskForm):
    child_id = HiddenField()


class BulkForm(FlaskForm):
    pass
