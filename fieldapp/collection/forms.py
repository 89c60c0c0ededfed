from flask_wtf.file import FileField

from fieldapp.forms import FlaskForm


class ImportForm(FlaskForm):
    file = FileField("Tệp phiếu chưa gửi (.json)", render_kw={"accept": ".json,application/json"})
