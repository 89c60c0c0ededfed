"""Nhập danh sách trẻ em từ tệp (commune officer): upload, preview, change the columns'
fields, confirm or discard; and the template to fill (``children.imports``).

The uploaded file waits in ``child_import`` between the preview and the confirmation (a
worker's memory is not shared): read by its uploader only (anyone else: 404), named in the
address by an opaque id, deleted on confirmation or discard and after a day. The
confirmation claims the upload by deleting its row first, in the import's own transaction:
a second click, the back button or another worker finds nothing to import twice.
"""

import hashlib
import uuid

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import delete, select

from fieldapp import access
from fieldapp.children import import_template, imports, services
from fieldapp.children.forms import ImportConfirmForm, ImportForm, mapping_form
from fieldapp.children.import_columns import FIELDS
from fieldapp.children.models import ChildImport
from fieldapp.children.table import MAX_BYTES, FileRefused
from fieldapp.db import read_only, utcnow
from fieldapp.downloads import XLSX, attachment
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import with_blank
from fieldapp.htmx import render
from fieldapp.places.models import Commune, Village

bp = Blueprint("child_import", __name__, url_prefix="/children/import")
EDIT = "children.edit"
PAGE = 100  # problems per page
GONE = "Tệp này đã được nhập hoặc đã hủy (hoặc quá 24 giờ): không có gì được ghi thêm."
STALE = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."


def _villages() -> list[Village]:
    query = access.villages(current_user).where(Village.active.is_(True)).order_by(Village.code)
    return list(db.session.scalars(query))


def _mine():
    """The current officer's uploads still kept."""
    return select(ChildImport).where(
        ChildImport.user_id == current_user.id,
        ChildImport.commune_code == current_user.commune_code,
        ChildImport.created_at > utcnow() - imports.KEPT)


def _load(upload_id: str) -> ChildImport:
    try:
        key = uuid.UUID(upload_id)
    except ValueError:
        raise NotFound(GONE) from None
    upload = db.session.scalars(_mine().where(ChildImport.id == key)).first()
    if upload is None:
        raise NotFound(GONE)
    return upload


def _preview(raw: bytes, filename: str, options: dict) -> imports.Preview:
    """The preview, in a transaction that only reads: on SQLite it holds no write lock for
    the seconds a large file takes, so phones and other officers go on writing meanwhile."""
    with read_only(db.session):
        return imports.preview(current_user, raw, filename, options)


def _purge() -> None:
    """Uploads a day old, whoever made them, go."""
    db.session.execute(delete(ChildImport).where(ChildImport.created_at
                                                 <= utcnow() - imports.KEPT))


@bp.route("", methods=["GET", "POST"])
@access.action_required(EDIT)
def start():
    form = ImportForm()
    villages = _villages()
    form.village.choices = with_blank([(v.code, v.name) for v in villages], "— Không chọn —")
    status = 200
    if request.method == "POST":
        status = 422
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                form.file.errors = [STALE]
        elif form.village.data and form.village.data not in {v.code for v in villages}:
            form.village.errors = ["Thôn/bản không thuộc xã của bạn."]
        else:
            upload = form.file.data
            raw = upload.read(MAX_BYTES + 1) if upload else b""
            filename = imports.safe_filename(getattr(upload, "filename", ""))
            try:
                found = _preview(raw, filename, {"village": form.village.data})
            except FileRefused as refused:
                form.file.errors = [refused.detail]
            else:
                kept = ChildImport(user_id=current_user.id,
                                   commune_code=current_user.commune_code, filename=filename,
                                   sha256=hashlib.sha256(raw).hexdigest(), content=raw,
                                   options=found.options, preview=found.stored())
                db.session.add(kept)
                _purge()
                db.session.commit()
                return redirect(url_for(".show", upload_id=kept.id), 303)
    else:
        _purge()
        db.session.commit()
    pending = list(db.session.scalars(_mine().order_by(ChildImport.created_at.desc())))
    return render("children/import.html", status=status, form=form, pending=pending)


@bp.get("/template.xlsx")
@access.action_required(EDIT)
def template():
    commune = db.session.get(Commune, current_user.commune_code)
    place = f"{commune.name}, {commune.province.name}" if commune else ""
    body = import_template.build(place, [(v.code, v.name) for v in _villages()])
    return attachment(body, XLSX, "mau-danh-sach-tre-em.xlsx")


def _show(upload: ChildImport, mapping=None, status: int = 200, confirm=None):
    stored = upload.preview or {}
    problems = stored.get("problems") or []
    pages = max(1, -(-len(problems) // PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    if mapping is None:
        mapping = mapping_form(stored.get("columns") or [], FIELDS)
        for column in stored.get("columns") or []:
            mapping[f"col{column['index']}"].data = column["field"]
        mapping.village.data = (upload.options or {}).get("village") or ""
        mapping.sheet.data = stored.get("sheet")
    _choices(mapping, stored)
    confirm = confirm or ImportConfirmForm(formdata=None)
    confirm.fingerprint.data = stored.get("fingerprint")
    return render("children/import_preview.html", status=status, upload=upload,
                  preview=stored, mapping=mapping, confirm=confirm, at_page=page, pages=pages,
                  problems=problems[(page - 1) * PAGE:page * PAGE], fields=FIELDS,
                  shown_duplicates=imports.SHOWN_DUPLICATES)


def _choices(mapping, stored: dict) -> None:
    mapping.village.choices = with_blank([(v.code, v.name) for v in _villages()],
                                         "— Không chọn —")
    mapping.sheet.choices = [(name, name) for name in stored.get("sheets") or []]


@bp.get("/<upload_id>")
@access.action_required(EDIT)
def show(upload_id: str):
    return _show(_load(upload_id))


@bp.post("/<upload_id>/mapping")
@access.action_required(EDIT)
def remap(upload_id: str):
    """Preview again with the officer's fields for the columns (and village, sheet)."""
    upload = _load(upload_id)
    stored = upload.preview or {}
    columns = stored.get("columns") or []
    form = mapping_form(columns, FIELDS, request.form)
    _choices(form, stored)
    if not form.validate_on_submit():
        flash(STALE, "warning")
        return _show(upload, form, 422)
    chosen, refused = {}, False
    for column in columns:
        select_ = form[f"col{column['index']}"]
        value = select_.data or ""
        if value not in FIELDS:
            select_.errors = ["Chọn một trường trong danh sách."]
            refused = True
        elif value and value in chosen.values():
            first = next(c for c in columns if chosen.get(str(c["index"])) == value)
            select_.errors = [f"«{FIELDS[value]}» đã ghép với cột {first['letter']}: "
                              "mỗi trường một cột."]
            refused = True
        chosen[str(column["index"])] = value
    if form.village.data and form.village.data not in dict(form.village.choices):
        form.village.errors = ["Thôn/bản không thuộc xã của bạn."]
        refused = True
    sheets = stored.get("sheets") or []
    sheet = form.sheet.data if form.sheet.data in sheets else stored.get("sheet")
    if refused:
        return _show(upload, form, 422)
    if sheet != stored.get("sheet"):
        chosen = {}  # another sheet has other columns: guessed again
    options = {"sheet": sheet, "village": form.village.data or "",
               "columns": {k: v for k, v in chosen.items()
                           if v != next((c["guessed"] for c in columns
                                         if str(c["index"]) == k), None)}}
    try:
        found = _preview(upload.content, upload.filename, options)
    except FileRefused as refused_file:
        flash(refused_file.detail, "warning")
        return _show(_load(upload_id), form, 422)
    upload = _load(upload_id)
    upload.options, upload.preview = found.options, found.stored()
    db.session.commit()
    return redirect(url_for(".show", upload_id=upload.id), 303)


@bp.post("/<upload_id>/confirm")
@access.action_required(EDIT)
def confirm(upload_id: str):
    """Write every good row in one transaction (the upload's deletion included)."""
    try:
        upload = _load(upload_id)
    except NotFound:
        flash(GONE, "warning")
        return redirect(url_for(".start"), 303)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(STALE, "warning")
        return _show(upload, status=422)
    key, raw, filename, sha256 = upload.id, upload.content, upload.filename, upload.sha256
    options = dict(upload.options or {})
    found = _preview(raw, filename, options)
    if found.fingerprint != form.fingerprint.data:
        try:
            upload = _load(upload_id)
        except NotFound:
            flash(GONE, "warning")
            return redirect(url_for(".start"), 303)
        upload.options, upload.preview = found.options, found.stored()
        db.session.commit()
        flash("Danh sách trẻ em hoặc cách ghép cột đã thay đổi từ lúc xem trước: hãy xem lại "
              "bản xem trước này rồi xác nhận.", "warning")
        return redirect(url_for(".show", upload_id=key), 303)
    included = {int(n) for n in request.form.getlist("include") if n.isdigit()}
    items = imports.new_children(found, filename, sha256, included)
    if not items:
        flash("Không có dòng nào để nhập: sửa các dòng có lỗi trong tệp rồi nhập lại.",
              "warning")
        return redirect(url_for(".show", upload_id=key), 303)
    # The claim: the upload's row deleted in the import's own transaction. Another click,
    # tab or worker that comes second deletes nothing (PostgreSQL: it waits for this one's
    # commit on the row; SQLite: for its write lock) and imports nothing.
    claimed = db.session.execute(delete(ChildImport).where(ChildImport.id == key)).rowcount
    if claimed != 1:
        db.session.rollback()
        flash(GONE, "warning")
        return redirect(url_for(".start"), 303)
    counts = found.counts()
    detail = {"rows": counts["rows"], "errors": counts["errors"],
              "duplicates_left_out": counts["duplicates"] - sum(
                  1 for row in found.duplicates if row.number in included)}
    try:
        made = services.import_children(current_user, items, sha256=sha256, detail=detail)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(failed.detail, "warning")
        return redirect(url_for(".show", upload_id=key), 303)
    db.session.commit()
    households = len({child.household_id for child in made})
    flash(f"Đã nhập {len(made)} trẻ em ({households} hộ gia đình mới) từ tệp. Lịch sử của mỗi "
          "trẻ ghi «Nhập từ tệp».", "success")
    return redirect(url_for("children.index"), 303)


@bp.post("/<upload_id>/discard")
@access.action_required(EDIT)
def discard(upload_id: str):
    try:
        upload = _load(upload_id)
    except NotFound:
        return redirect(url_for(".start"), 303)
    if not ImportConfirmForm().validate_on_submit():
        flash(STALE, "warning")
        return redirect(url_for(".show", upload_id=upload.id), 303)
    db.session.delete(upload)
    db.session.commit()
    flash("Đã hủy: không nhập gì, tệp đã xóa khỏi máy chủ.", "success")
    return redirect(url_for(".start"), 303)
