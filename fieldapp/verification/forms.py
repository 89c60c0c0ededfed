"""Forms of the police verification. Rules live in validators.py; these carry and show."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)

from fieldapp.catalogue import services as catalogue
from fieldapp.forms import DateText, FlaskForm, Form, SelectField, with_blank
from fieldapp.verification import identity
from fieldapp.verification.queries import CHOICES


class ChooseForm(FlaskForm):
    """Which list of which village: it travels in the address (places and a list's name)."""

    class Meta:
        csrf = False

    village = SelectField("Thôn/bản")
    which = SelectField("Danh sách", choices=list(CHOICES.items()))


class SendForm(FlaskForm):
    village = HiddenField()
    which = HiddenField()


class CaregiverFix(Form):
    full_name = StringField("Họ tên")
    personal_id = StringField("Số định danh", render_kw={"inputmode": "numeric"})


class ResultForm(FlaskForm):
    verified_id = StringField(
        "Số định danh đã xác thực", description="12 chữ số, theo Cơ sở dữ liệu quốc gia về dân cư.",
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20})
    not_found = BooleanField("Không tìm thấy trong Cơ sở dữ liệu quốc gia về dân cư")
    note = TextAreaField("Ghi chú", description="Bắt buộc khi không tìm thấy: ghi lý do.")
    full_name = StringField("Họ và tên", render_kw={"autocomplete": "off"})
    sex = SelectField("Giới tính")
    date_of_birth = DateText("Ngày sinh")
    ethnicity_code = SelectField("Dân tộc")
    address = StringField("Địa chỉ")
    caregivers = FieldList(FormField(CaregiverFix))

    def fill(self, item, *, initial: bool) -> None:
        """Choices, and when ``initial`` (not a posted form) the values: the result so far,
        else as sent."""
        self.sex.choices = with_blank(catalogue.choices("sex"))
        self.ethnicity_code.choices = with_blank(catalogue.choices("ethnicity"))
        found = identity.after(item.sent, item.corrections)
        people = found.get("caregivers") or []
        if not initial:
            return
        for name in identity.CORRECTABLE:
            self[name].data = found.get(name)
        while len(self.caregivers) < len(people):
            self.caregivers.append_entry()
        for entry, person in zip(self.caregivers, people, strict=False):
            entry.form.full_name.data = person.get("full_name")
            entry.form.personal_id.data = person.get("personal_id")
        self.verified_id.data = item.verified_id
        self.not_found.data = item.outcome == "not_found"
        self.note.data = item.note

    def data_for_check(self) -> dict:
        corrections = {name: self[name].data for name in identity.CORRECTABLE}
        for i, entry in enumerate(self.caregivers):
            for name in identity.CAREGIVER_CORRECTABLE:
                corrections[f"caregivers.{i}.{name}"] = entry.form[name].data
        return {"verified_id": self.verified_id.data, "not_found": self.not_found.data,
                "note": self.note.data, "corrections": corrections}

    def show_errors(self, errors: dict) -> None:
        for key, messages in errors.items():
            field = self._field(key)
            field.errors = list(field.errors or []) + list(messages)

    def _field(self, key: str):
        if key.startswith("caregivers."):
            _, index, name = key.split(".")
            if int(index) < len(self.caregivers):
                return self.caregivers[int(index)].form[name]
            return self.note
        return self[key] if key in self else self.note


class FinishForm(FlaskForm):
    pass


class ImportForm(FlaskForm):
    file = FileField("Tệp kết quả của công an (.xlsx)",
                     description="Tệp đã tải từ danh sách này, công an đã ghi kết quả.",
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                                          ".spreadsheetml.sheet"})


class ConfirmForm(FlaskForm):
    token = HiddenField()
