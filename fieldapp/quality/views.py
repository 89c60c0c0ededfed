"""The officer's cleaning lists (rà soát, làm sạch): an overview of live counts, one page per
list with a village filter, its .xlsx export and the periodic review's "đã rà soát"."""

from datetime import date

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import Child
from fieldapp.children.validators import parse_date
from fieldapp.client import client_address
from fieldapp.downloads import XLSX, attachment
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.quality import export, queries, reasons, services
from fieldapp.quality.forms import FilterForm, ReviewedForm

bp = Blueprint("quality", __name__, url_prefix="/quality")
QUALITY = "quality"
LIST_NAMES = 'any("without-id", "wrong-id", "missing-basic", "needs-review")'


def rows_of(name: str, village_code: str | None, today: date) -> list:
    """The list ``name`` as (child, reasons) pairs."""
    if name == "without-id":
        query = queries.without_id(current_user, village_code, today)
        return [(child, ["Chưa có số định danh cá nhân."])
                for child in db.session.scalars(query)]
    found = {"wrong-id": queries.wrong_id, "missing-basic": queries.missing_basic,
             "needs-review": queries.needs_review}[name]
    return found(current_user, village_code, today)


def _villages() -> list[Village]:
    return list(db.session.scalars(access.villages(current_user).order_by(Village.code)))


def _village(code: str | None) -> Village | None:
    return access.get_or_404(Village, code, current_user) if code else None


def _commune_name() -> str:
    commune = db.session.scalars(access.communes(current_user)).first()
    return commune.name if commune else ""


@bp.get("")
@access.action_required(QUALITY)
def index():
    today = date.today()
    return htmx.render("quality/index.html", "quality/_counts.html",
                       counts=queries.counts(current_user, today),
                       totals=queries.totals(current_user, today), villages=_villages(),
                       names=queries.LISTS)


@bp.get(f"/<{LIST_NAMES}:name>")
@access.action_required(QUALITY)
def show(name: str):
    village = _village(request.args.get("village"))
    form = FilterForm(formdata=None, village=village.code if village else "")
    form.village.choices = [("", "Cả xã"), *((v.code, v.name) for v in _villages())]
    today = date.today()
    # Written first: a commit after the query would expire the rows the page shows.
    audit(current_user, "quality_listed", "child", None, address=client_address(),
          detail={"list": name, "village": village.code if village else None})
    db.session.commit()
    rows = rows_of(name, village.code if village else None, today)
    return htmx.render(
        "quality/list.html", "quality/_rows.html", name=name, title=queries.LISTS[name],
        rows=rows, form=form, village=village, catalogue=catalogue, caregivers=export.caregivers,
        reviewed_form=ReviewedForm(formdata=None), today=today, names=queries.LISTS)


@bp.get(f"/<{LIST_NAMES}:name>.xlsx")
@access.action_required(QUALITY)
def export_xlsx(name: str):
    village = _village(request.args.get("village"))
    today = date.today()
    rows = rows_of(name, village.code if village else None, today)
    audit(current_user, "quality_exported", "child", None, address=client_address(),
          detail={"list": name, "village": village.code if village else None,
                  "rows": len(rows)})
    place = village.name if village else _commune_name()
    body = export.workbook(queries.LISTS[name], rows, place, today)
    db.session.commit()
    suffix = f"-{village.code}" if village else ""
    return attachment(body, XLSX, f"{name}{suffix}-{today:%Y%m%d}.xlsx")


def _decisions(items, form, today: date) -> tuple[dict, dict]:
    """The review form's choices: row id → ``None`` ("Còn") or the end date ("Không còn",
    today when left empty); items left unchosen are not in it. And the errors, by row id."""
    decisions, errors = {}, {}
    for item in items:
        choice = form.get(f"decision-{item.key}", "")
        if choice == "keep":
            decisions[item.key] = None
        elif choice == "end":
            raw = form.get(f"until-{item.key}", "").strip()
            until = parse_date(raw) if raw else today
            if until is None:
                errors[item.key] = ["Ngày kết thúc không đúng định dạng ngày."]
            decisions[item.key] = until
    return decisions, errors


def _review_page(child: Child, village: str | None, today: date, status: int = 200,
                 chosen=None, errors=None):
    return htmx.render("quality/review_child.html", status=status, child=child,
                       items=reasons.review_items(child, current_user, today), today=today,
                       village=village, chosen=chosen or {}, errors=errors or {},
                       form=ReviewedForm(formdata=None))


def _review_target(child_id: str) -> tuple[Child, str | None]:
    child = access.get_or_404(Child, child_id, current_user)
    village = request.args.get("village") or None
    if village and village not in {v.code for v in _villages()}:
        abort(404)
    return child, village


@bp.get("/needs-review/<child_id>")
@access.action_required(QUALITY)
def review_child(child_id: str):
    child, village = _review_target(child_id)
    return _review_page(child, village, date.today())


@bp.post("/needs-review/<child_id>")
@access.action_required(QUALITY)
def review_items(child_id: str):
    child, village = _review_target(child_id)
    today = date.today()
    if not ReviewedForm().validate_on_submit():
        raise ValidationFailed("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")
    items = reasons.review_items(child, current_user, today)
    decisions, errors = _decisions(items, request.form, today)
    if not errors:
        try:
            changes = services.review_child(current_user, child, decisions, today)
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.errors
        else:
            db.session.commit()
            flash("Đã lưu kết quả rà soát." if changes
                  else "Các mục này đã được rà soát hôm nay.", "success")
            return htmx.redirect(url_for("quality.show", name="needs-review", village=village))
    chosen = {key: request.form.get(f"decision-{key}", "") for key in (i.key for i in items)}
    chosen.update({f"until-{i.key}": request.form.get(f"until-{i.key}", "") for i in items})
    return _review_page(child, village, today, 422, chosen, errors)


@bp.post("/needs-review/<child_id>/reviewed")
@access.action_required(QUALITY)
def reviewed(child_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    village = request.args.get("village") or None
    if village and village not in {v.code for v in _villages()}:
        abort(404)
    form = ReviewedForm()
    if not form.validate_on_submit():
        raise ValidationFailed("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")
    try:
        changes = services.mark_reviewed(current_user, child)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(failed.detail, "warning")
    else:
        db.session.commit()
        # No name: a flash lives in the session cookie, which is signed, not encrypted.
        flash("Đã đánh dấu đã rà soát hồ sơ." if changes
              else "Hồ sơ này đã được rà soát hôm nay.", "success")
    return htmx.redirect(url_for("quality.show", name="needs-review", village=village))

