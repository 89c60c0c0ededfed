"""**Danh sách** (``/reports/lists``): the commune's named lists by month or quarter and
village, with **Tải Excel** and **In** (A4 PDF); the commune officer and leader. Filters travel
in the address (a period, a village code, never a child's data). Every export is audited."""

from flask import Blueprint, request
from flask_login import current_user
from wtforms import BooleanField, StringField

from fieldapp import access, htmx
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.client import client_address
from fieldapp.clock import today
from fieldapp.downloads import PDF, XLSX, attachment
from fieldapp.extensions import db
from fieldapp.forms import FlaskForm, SelectField
from fieldapp.places.models import Village
from fieldapp.reports import list_files, lists

bp = Blueprint("report_lists", __name__, url_prefix="/reports/lists")
LISTS = "reports.lists"
NAMES = 'any("special", "unsupported", "dropouts")'


class ListForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    period = StringField("Kỳ (tháng hoặc quý)", description="Ví dụ: 2026-11 hoặc 2026-Q4.",
                         render_kw={"list": "periods", "autocomplete": "off",
                                    "inputmode": "text"})
    village = SelectField("Thôn/bản")
    left = BooleanField("Chỉ trẻ bỏ học trong kỳ")


def _villages() -> list[Village]:
    return list(db.session.scalars(access.villages(current_user).order_by(Village.code)))


def _commune_name() -> str:
    commune = db.session.scalars(access.communes(current_user)).first()
    return commune.name if commune else ""


def _filters(name: str):
    """The form, the period (None when the field is wrong), the village (or None)."""
    form = ListForm(request.args)
    form.village.choices = [("", "Cả xã"), *((v.code, v.name) for v in _villages())]
    village = access.get_or_404(Village, form.village.data, current_user) \
        if form.village.data else None
    period = lists.parse_period(form.period.data) if form.period.data else None
    if form.period.data and period is None:
        form.period.errors = [lists.BAD_PERIOD]
    elif not form.period.data:
        period = lists.month(today())
        form.period.data = period.key
    if name != "dropouts":
        form.left.data = False
    return form, period, village


@bp.get("")
@access.action_required(LISTS)
def index():
    return htmx.render("reports/lists/index.html", names=lists.LISTS)


@bp.get(f"/<{NAMES}:name>")
@access.action_required(LISTS)
def show(name: str):
    form, period, village = _filters(name)
    found = lists.rows(current_user, name, period, village.code if village else "",
                       form.left.data) if period else []
    if period:  # children named, restricted groups among them: who looked is kept
        audit(current_user, "report_list_viewed", "child", None, address=client_address(),
              detail={"list": name, "period": period.key,
                      "village": village.code if village else None, "rows": len(found)})
        db.session.commit()
    return htmx.render("reports/lists/list.html", "reports/lists/_rows.html",
                       status=200 if period else 422, name=name, kind=lists.LISTS[name],
                       form=form, period=period, village=village, found=found,
                       periods=lists.recent_periods(today()), names=lists.LISTS,
                       catalogue=catalogue, args=_args(period, village, form.left.data))


def _args(period, village, left: bool) -> dict:
    """The filters as the export links carry them: the period named even when defaulted."""
    out = {"period": period.key if period else None, "village": village.code if village else None}
    return {**out, "left": "y"} if left else out


@bp.get(f"/<{NAMES}:name>.xlsx")
@access.action_required(LISTS)
def export_xlsx(name: str):
    return _export(name, "xlsx")


@bp.get(f"/<{NAMES}:name>.pdf")
@access.action_required(LISTS)
def export_pdf(name: str):
    return _export(name, "pdf")


def _export(name: str, kind: str):
    form, period, village = _filters(name)
    if period is None:
        return htmx.render("reports/lists/list.html", status=422, name=name,
                           kind=lists.LISTS[name], form=form, period=None, village=village,
                           found=[], periods=lists.recent_periods(today()), names=lists.LISTS,
                           catalogue=catalogue, args=_args(None, village, False))
    code = village.code if village else ""
    found = lists.rows(current_user, name, period, code, form.left.data)
    day = today()
    line = list_files.subtitle(period, village.name if village else None, form.left.data)
    build = list_files.workbook if kind == "xlsx" else list_files.paper
    body = build(name, found, commune=_commune_name(), line=line, day=day)
    audit(current_user, "report_list_exported", "child", None, address=client_address(),
          detail={"list": name, "format": kind, "period": period.key, "village": code or None,
                  "left_in_period": bool(form.left.data), "rows": len(found)})
    db.session.commit()
    return attachment(body, XLSX if kind == "xlsx" else PDF,
                      list_files.filename(name, period, code, day, kind))
