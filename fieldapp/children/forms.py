"""Forms of the register. Rules live in validators.py; these only carry and show values."""

from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import CLOSE_REASONS
from fieldapp.children.queries import AGE_GROUPS
from fieldapp.children.record import heading, label
from fieldapp.forms import DateText, FlaskForm, Form, SelectField, with_blank

BLANK = ("", "— Chọn —")


def circumstance_choices(user=None) -> dict:
    """Circumstances grouped by block for a select's optgroups."""
    groups: dict[str, list] = {}
    for item in catalogue.items("circumstance"):
        groups.setdefault(catalogue.BLOCK_LABELS[item.block], []).append(
            (item.code, f"{item.code} · {item.label}")
        )
    return groups


class FilterForm(FlaskForm):
    """Register filters; posted, so that a searched name never reaches a URL or a log."""

    q = StringField("Tìm theo tên hoặc số định danh",
                    validators=[Length(max=100, message="Tối đa 100 ký tự.")],
                    render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": 100})
    village = SelectField(heading("child.village"))
    sex = SelectField(label("child.sex"))
    age_group = SelectField("Nhóm tuổi", choices=with_blank(
        [(k, f"{k.replace('-', '–')} tuổi") for k in AGE_GROUPS], "Tất cả"))
    circumstance = SelectField("Hoàn cảnh")
    has_id = SelectField("Số định danh", choices=[
        ("", "Tất cả"), ("yes", "Đã có"), ("no", "Chưa có")])
    status = SelectField("Trạng thái", choices=[
        ("active", "Đang quản lý"), ("over_age", "Đã hết tuổi trẻ em"), ("closed", "Đã đóng"),
        ("all", "Tất cả")])
    sort = SelectField("Sắp xếp", choices=[
        ("name", "Theo tên"), ("born", "Theo ngày sinh"), ("village", "Theo thôn/bản")])
    after = HiddenField()


class CaregiverForm(Form):
    relation = SelectField("Quan hệ với trẻ")
    full_name = StringField("Họ tên người nuôi dưỡng")
    personal_id = StringField(label("caregivers.personal_id"), render_kw={"inputmode": "numeric"})
    phone = StringField("Số điện thoại", render_kw={"inputmode": "tel"})

    def is_blank(self) -> bool:
        return not any((self.full_name.data or "").strip() or (f.data or "").strip()
                       for f in (self.personal_id, self.phone))


class CircumstanceForm(Form):
    code = SelectField("Hoàn cảnh")
    disability_type = SelectField("Dạng khuyết tật")
    disability_level = SelectField("Mức độ khuyết tật")
    risk_reason = SelectField("Lý do có nguy cơ")
    injury_cause = SelectField("Nguyên nhân thương tích")
    since = DateText("Từ ngày")
    note = StringField("Ghi chú")

    def is_blank(self) -> bool:
        return not self.code.data


class SupportForm(Form):
    form = SelectField("Hình thức trợ giúp")
    date = DateText("Ngày trợ giúp")
    provider = StringField("Đơn vị trợ giúp")
    amount_vnd = StringField("Số tiền (đồng)", render_kw={"inputmode": "numeric"})
    note = StringField("Ghi chú")

    def is_blank(self) -> bool:
        return not self.form.data


class HouseholdFields(Form):
    head_name = StringField(label("household.head_name"))
    address = StringField(label("household.address"))
    poverty_status = SelectField(label("household.poverty_status"))


class ChildForm(FlaskForm):
    full_name = StringField(label("child.full_name"), render_kw={"autocomplete": "off"})
    sex = SelectField(label("child.sex"))
    date_of_birth = DateText(label("child.date_of_birth"))
    ethnicity_code = SelectField(label("child.ethnicity_code"))
    nationality = SelectField(label("child.nationality"), default="VN",
                              render_kw={"data-search": "Tìm quốc tịch"})  # static/js/choose.js
    personal_id = StringField(label("child.personal_id"), render_kw={"inputmode": "numeric"},
                              description="12 chữ số; để trống nếu trẻ chưa có.")
    village_code = SelectField(label("child.village"))
    address = StringField(label("child.address"))
    current_residence = StringField(label("child.current_residence"),
                                    description="Chỉ ghi nếu trẻ đang ở nơi khác nơi đăng ký.")
    schooling_status = SelectField(label("child.schooling_status"))
    school_left_level = SelectField(label("child.school_left_level"),
                                    description="Chỉ khi trẻ đã bỏ học.")
    school_left_on = DateText(label("child.school_left_on"),
                              description="Chỉ khi trẻ đã bỏ học; không nhớ ngày thì chọn "
                                          "ngày 1 của tháng.")
    # Shown with a schooling status that does not fit the age (children.schooling).
    schooling_confirmed = BooleanField("Tôi đã kiểm tra, vẫn lưu")
    household_id = SelectField(label("household.id"))
    household = FormField(HouseholdFields)
    caregivers = FieldList(FormField(CaregiverForm), min_entries=3)
    circumstances = FieldList(FormField(CircumstanceForm), min_entries=2)
    support = FieldList(FormField(SupportForm), min_entries=1)


class CircumstanceActionForm(FlaskForm):
    item = FormField(CircumstanceForm)


class EndCircumstanceForm(FlaskForm):
    until = DateText("Đến ngày")


class SupportActionForm(FlaskForm):
    item = FormField(SupportForm)


class CloseForm(FlaskForm):
    reason = SelectField(label("closure.reason"), choices=with_blank(list(CLOSE_REASONS.items())))
    closed_on = DateText("Ngày")
    injury = SelectField("Do tai nạn thương tích?", choices=with_blank(
        [("no", "Không"), ("yes", "Có")]), description="Chỉ hỏi khi trẻ đã mất.")
    injury_cause = SelectField("Nguyên nhân tai nạn thương tích",
                               description="Khi trẻ mất do tai nạn thương tích (K02).")
    note = TextAreaField("Ghi chú")


class ConsentForm(FlaskForm):
    """Sự đồng ý (children.consents): who, what for, given or refused, when."""

    person = SelectField("Người đồng ý")
    person_name = StringField("Họ tên người đồng ý", render_kw={"autocomplete": "off"})
    purpose = SelectField("Đồng ý việc gì")
    purpose_other = StringField("Việc khác (ghi rõ)", description="Khi chọn “Khác”.")
    given = SelectField("Đồng ý hay từ chối", choices=with_blank(
        [("yes", "Đồng ý"), ("no", "Từ chối")]))
    given_on = DateText("Ngày")
    note = StringField("Ghi chú")


class WithdrawConsentForm(FlaskForm):
    withdrawn_on = DateText("Ngày rút lại")


class HouseholdForm(FlaskForm):
    head_name = StringField(label("household.head_name"))
    address = StringField(label("household.address"))
    village_code = SelectField(label("child.village"))
    poverty_status = SelectField(label("household.poverty_status"))


def fill_choices(form, villages, households=None) -> None:
    """Set the code-list choices of every select in a form and its sub-forms."""
    lists = {
        "sex": with_blank(catalogue.choices("sex")),
        "ethnicity_code": with_blank(catalogue.choices("ethnicity")),
        "nationality": catalogue.choices("nationality"),
        "schooling_status": with_blank(catalogue.choices("schooling_status"), "— Không rõ —"),
        "school_left_level": with_blank(catalogue.choices("school_level")),
        "person": with_blank(catalogue.choices("consent_person")),
        "purpose": with_blank(catalogue.choices("consent_purpose")),
        "poverty_status": catalogue.choices("poverty_status"),
        "relation": with_blank(catalogue.choices("caregiver_relation")),
        "code": {"": [BLANK], **circumstance_choices()},
        "disability_type": with_blank(catalogue.choices("disability_type")),
        "disability_level": with_blank(catalogue.choices("disability_level")),
        "risk_reason": with_blank(catalogue.choices("risk_reason")),
        "injury_cause": with_blank(catalogue.choices("injury_cause")),
        "form": with_blank(catalogue.choices("support_form")),
        "village_code": with_blank([(v.code, f"{v.name} ({v.code})") for v in villages]),
    }
    if households is not None:
        groups: dict[str, list] = {"": [("", "Hộ mới (nhập bên dưới)")]}
        for h in households:
            groups.setdefault(h.village.name, []).append((str(h.id), h.head_name))
        lists["household_id"] = groups
    _fill(form, lists)


def _fill(form, lists: dict) -> None:
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                _fill(entry.form, lists)
        elif isinstance(field, FormField):
            _fill(field.form, lists)
        elif isinstance(field, SelectField) and field.short_name in lists:
            field.choices = lists[field.short_name]


# --- importing a register from a spreadsheet (children.imports) --------------------------

DEFAULT_VILLAGE = "Thôn/bản mặc định"


class ImportForm(FlaskForm):
    file = FileField("Tệp danh sách trẻ em (.xlsx hoặc .csv)",
                     description="Tối đa 5 MB và 10.000 trẻ. Dòng tiêu đề có thể ở dưới tên "
                                 "danh sách; tên cột được đoán, bạn xem và sửa trước khi nhập.",
                     render_kw={"accept": ".xlsx,.csv,application/vnd.openxmlformats-"
                                          "officedocument.spreadsheetml.sheet,text/csv"})
    village = SelectField(DEFAULT_VILLAGE,
                          description="Cho các dòng không ghi thôn/bản (hoặc tệp không có cột "
                                      "Thôn/bản).")


class MappingForm(FlaskForm):
    """The officer's choices for one upload: a field per column (``col<N>``, added by
    :func:`mapping_form`), the default village and the sheet."""

    village = SelectField(DEFAULT_VILLAGE)
    sheet = SelectField("Trang tính")


def mapping_form(columns: list[dict], fields: dict[str, str], formdata=None) -> MappingForm:
    """A :class:`MappingForm` with one select per column of the file (``columns``: the
    stored preview's), each offering ``fields``."""
    extra = {f"col{c['index']}": SelectField(f"Cột {c['letter']}", choices=list(fields.items()))
             for c in columns}
    form_class = type("ColumnsForm", (MappingForm,), extra)
    return form_class(formdata=formdata)


class ImportConfirmForm(FlaskForm):
    """The confirmation: the preview's fingerprint (what the officer saw) and the rows
    flagged as probable duplicates that the officer imports anyway (``include``)."""

    fingerprint = HiddenField()
