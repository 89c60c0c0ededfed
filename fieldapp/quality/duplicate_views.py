"""Probable duplicates (commune officer): the pairs with both children side by side, their
.xlsx export, "không phải cùng một trẻ", and the merge page."""

from datetime import date

from flask import Blueprint, flash, request, url_for
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Alignment
from sqlalchemy.orm import joinedload, selectinload
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput

from fieldapp import access, htmx, spreadsheet
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import matching
from fieldapp.children import queries as register
from fieldapp.children.models import Child
from fieldapp.children.services import check_mergeable, merge_children
from fieldapp.client import client_address
from fieldapp.downloads import XLSX, attachment
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import FlaskForm
from fieldapp.places.models import Village
from fieldapp.quality import export, matcher, services

bp = Blueprint("duplicates", __name__, url_prefix="/quality/duplicates")
MERGE = "quality.merge"
PAGE_SIZE = 50
TITLE = "Trẻ em có thể bị trùng hồ sơ"
PERSON = ("Họ và tên", "Giới tính", "Ngày sinh", "Thôn/bản", "Số định danh", "Người nuôi dưỡng")
HEADERS = ("STT", "Điểm", "Lý do", *(f"{h} (hồ sơ 1)" for h in PERSON),
           *(f"{h} (hồ sơ 2)" for h in PERSON))
WIDTHS = (6, 8, 48, *(26, 10, 12, 20, 16, 40) * 2)


class ActionForm(FlaskForm):
    village = HiddenField()  # the list's filter, to come back to


class MergeForm(FlaskForm):
    keep = RadioField("Giữ lại hồ sơ", default="a", choices=[
        SelectChoice("a", "Hồ sơ 1"), SelectChoice("b", "Hồ sơ 2")])
    # The versions the officer saw: if either record changed since, nothing is merged.
    a_version = IntegerField(widget=HiddenInput())
    b_version = IntegerField(widget=HiddenInput())


def _villages() -> list[Village]:
    return list(db.session.scalars(access.villages(current_user).order_by(Village.code)))


def _village() -> Village | None:
    code = request.values.get("village") or None
    return access.get_or_404(Village, code, current_user) if code else None


def _children(pairs: list[matcher.Pair]) -> dict:
    """The pairs' children, loaded with what the list shows (bounded IN lists)."""
    ids = list({f.id for pair in pairs for f in (pair.a, pair.b)})
    out = {}
    for start in range(0, len(ids), 500):
        out.update((child.id, child) for child in db.session.scalars(
            access.children(current_user).where(Child.id.in_(ids[start:start + 500]))
            .options(selectinload(Child.caregivers), joinedload(Child.village))))
    return out


@bp.get("")
@access.action_required(MERGE)
def index():
    village = _village()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    # Written first: a commit after the scan would expire the rows the page shows.
    audit(current_user, "duplicates_listed", "child", None, address=client_address(),
          detail={"village": village.code if village else None})
    db.session.commit()
    pairs = matcher.scan(current_user.commune_code, village_code=village and village.code)
    shown = pairs[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return htmx.render(
        "quality/duplicates.html", "quality/duplicates_rows.html", pairs=shown,
        total=len(pairs), page_number=page, more=len(pairs) > page * PAGE_SIZE,
        children=_children(shown), village=village, villages=_villages(), register=register,
        catalogue=catalogue, form=ActionForm(formdata=None, village=village and village.code),
        today=date.today(), title=TITLE, threshold=matching.PROBABLE)


@bp.get("/export.xlsx")
@access.action_required(MERGE)
def export_xlsx():
    village = _village()
    today = date.today()
    pairs = matcher.scan(current_user.commune_code, village_code=village and village.code)
    children = _children(pairs)
    audit(current_user, "duplicates_exported", "child", None, address=client_address(),
          detail={"village": village.code if village else None, "rows": len(pairs)})
    body = workbook(pairs, children, village.name if village else "Cả xã", today)
    db.session.commit()
    suffix = f"-{village.code}" if village else ""
    return attachment(body, XLSX, f"tre-co-the-trung{suffix}-{today:%Y%m%d}.xlsx")


def workbook(pairs: list[matcher.Pair], children: dict, place: str, today: date) -> bytes:
    """One row per pair: the score, the reasons and both children (Vietnamese headers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Trẻ có thể trùng"
    spreadsheet.append(sheet, HEADERS)
    for n, pair in enumerate(pairs, start=1):
        row = [n, pair.score, "\n".join(pair.reasons)]
        for child in (children[pair.a.id], children[pair.b.id]):
            row += [child.full_name, catalogue.label("sex", child.sex), child.date_of_birth,
                    child.village.name, child.personal_id or "",
                    register.merge_display(child, "caregivers")]
        spreadsheet.append(sheet, row)
        for column in (6, 12):
            sheet.cell(row=n + 1, column=column).number_format = "DD/MM/YYYY"
        sheet.cell(row=n + 1, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    return export.finish(book, WIDTHS, TITLE, place, today)


def _pair(a_id: str, b_id: str) -> tuple[Child, Child]:
    return (access.get_or_404(Child, a_id, current_user),
            access.get_or_404(Child, b_id, current_user))


@bp.post("/<a_id>/<b_id>/dismiss")
@access.action_required(MERGE)
def dismiss(a_id: str, b_id: str):
    a, b = _pair(a_id, b_id)
    form = ActionForm()
    if not form.validate_on_submit():
        raise ValidationFailed("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")
    village = _village()
    services.dismiss_pair(current_user, a, b)
    db.session.commit()
    flash("Đã ghi: không phải cùng một trẻ. Cặp hồ sơ này không hiện trong danh sách nữa.",
          "success")
    return htmx.redirect(url_for("duplicates.index", village=village and village.code))


@bp.route("/<a_id>/<b_id>/merge", methods=["GET", "POST"])
@access.action_required(MERGE)
def merge_page(a_id: str, b_id: str):
    a, b = _pair(a_id, b_id)
    check_mergeable(a, b)
    form = MergeForm(a_version=a.version, b_version=b.version)
    problems, status = [], 200
    if form.validate_on_submit():
        try:
            kept = _merge(a, b, form)
        except ValidationFailed as failed:
            db.session.rollback()
            a, b = _pair(a_id, b_id)
            problems, status = _problems(failed), 422
        else:
            db.session.commit()
            flash("Đã gộp hai hồ sơ vào hồ sơ này.", "success")  # no name in the cookie
            return htmx.redirect(url_for("children.detail", child_id=kept.id))
    elif form.is_submitted():  # the CSRF token itself is checked before (errors.py: 400)
        problems, status = ["Chọn hồ sơ giữ lại, rồi gộp lại."], 422
    differing = register.merge_differing(a, b)
    return htmx.render("quality/merge.html", status=status, a=a, b=b, form=form,
                       problems=problems, fields=register.MERGE_FIELDS, differing=differing,
                       chosen=_chosen(differing), verdict=matching.score(a, b),
                       display=register.merge_display, register=register, catalogue=catalogue)


def _chosen(keys: list[str]) -> dict[str, str]:
    """Which column each differing field takes (``a`` unless the officer said ``b``)."""
    return {key: "b" if request.form.get(f"take.{key}") == "b" else "a" for key in keys}


def _merge(a: Child, b: Child, form: MergeForm) -> Child:
    if (form.a_version.data, form.b_version.data) != (a.version, b.version):
        raise ValidationFailed("Một trong hai hồ sơ vừa được sửa: hãy xem lại trước khi gộp.")
    kept, other, side = (a, b, "a") if form.keep.data != "b" else (b, a, "b")
    chosen = _chosen(register.merge_differing(a, b))
    take = {key for key, column in chosen.items() if column != side}
    merge_children(current_user, kept, other, take)
    return kept


def _problems(failed: ValidationFailed) -> list[str]:
    labels = {f"child.{attr}": label for label, attr in register.MERGE_FIELDS.values() if attr}
    out = [failed.detail] if failed.detail else []
    for path, messages in failed.errors.items():
        out += [m if path not in labels or labels[path] in m else f"{labels[path]}: {m}"
                for m in messages]
    return out

