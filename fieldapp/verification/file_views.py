"""The batch's files: the spreadsheet for the police and its import back, the minutes PDF."""

from flask import Blueprint, flash, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.client import client_address
from fieldapp.downloads import PDF, XLSX, attachment
from fieldapp.errors import Conflict, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.people import users
from fieldapp.places.models import Commune
from fieldapp.verification import identity, imports, minutes, queries, services, sheet
from fieldapp.verification.forms import ConfirmForm, ImportForm
from fieldapp.verification.models import OUTCOMES
from fieldapp.verification.views import READ, SEND, batch_context, flash_some, load

bp = Blueprint("verification_files", __name__, url_prefix="/verification")
STALE_FORM = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."


@bp.get("/<batch_id>/danh-sach.xlsx")
@access.action_required(READ)
def export(batch_id: str):
    batch = load(batch_id)
    commune = db.session.get(Commune, batch.commune_code)
    place = f"{commune.name}, {commune.province.name}" if commune else batch.commune_code
    body = sheet.export(batch, place, queries.village_names(batch.commune_code))
    services.note_download(current_user, batch, "verification_exported", client_address())
    db.session.commit()
    return attachment(body, XLSX, f"danh-sach-xac-thuc-so-{batch.number}.xlsx")


@bp.get("/<batch_id>/bien-ban.pdf")
@access.action_required(READ)
def minutes_pdf(batch_id: str):
    batch = load(batch_id)
    if batch.state != "finished":
        raise NotFound("Biên bản bàn giao có khi công an xã đã hoàn tất danh sách.")
    people = users([batch.created_by_id, batch.finished_by_id])
    body = minutes.render(batch, queries.village_names(batch.commune_code), people)
    services.note_download(current_user, batch, "verification_minutes_downloaded",
                           client_address())
    db.session.commit()
    return attachment(body, PDF, f"bien-ban-ban-giao-so-{batch.number}.pdf")


@bp.post("/<batch_id>/import")
@access.action_required(SEND)
def import_file(batch_id: str):
    batch = load(batch_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _refused(batch, form, STALE_FORM)
    upload = form.file.data
    raw = upload.read(sheet.MAX_BYTES + 1) if upload else b""
    try:
        found = imports.preview(batch, raw)
    except imports.ImportRefused as refused:
        return _refused(batch, form, refused.detail)
    confirm = ConfirmForm(formdata=None)
    confirm.token.data = imports.sign(batch, found.valid)
    return htmx.render("verification/import.html", batch=batch, preview=found,
                       confirm=confirm, outcomes=OUTCOMES, identity=identity)


def _refused(batch, form: ImportForm, message: str, status: int = 422):
    """The batch page again with why the file was refused (beside the file field while the
    batch takes files, else at the top)."""
    if batch.state == "sent":
        form.file.errors = [message]
        return htmx.render("verification/batch.html", status=status,
                           **batch_context(batch, import_form=form))
    return htmx.render("verification/batch.html", status=status,
                       **batch_context(batch, problem=message))


@bp.post("/<batch_id>/import/confirm")
@access.action_required(SEND)
def confirm_import(batch_id: str):
    batch = load(batch_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise ValidationFailed(STALE_FORM)
    try:
        rows = imports.unsign(batch, form.token.data)
        recorded, refused = services.record_imported(current_user, batch, rows)
    except imports.ImportRefused as refused_file:
        db.session.rollback()
        return _refused(batch, ImportForm(formdata=None), refused_file.detail)
    except Conflict as conflict:
        db.session.rollback()
        flash(conflict.detail, "warning")
        return htmx.redirect(url_for("verification.show", batch_id=batch.id))
    db.session.commit()
    flash(f"Đã ghi {recorded} kết quả từ tệp. Công an kiểm tra rồi bấm Hoàn tất để ghi vào "
          "danh sách trẻ em và in biên bản.", "success")
    flash_some([f"Dòng {number} không ghi: " + " ".join(messages)
                for number, messages in sorted(refused.items())], "dòng khác không ghi")
    return htmx.redirect(url_for("verification.show", batch_id=batch.id))
