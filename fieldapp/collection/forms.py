from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class ImportForm(FlaskForm):
    file = FileField("Tệp phiếu chưa gửi (.json)", render_kw={"accept": ".json,application/json"})
