"""**Xuất hồ sơ của trẻ**: one child's whole record as a PDF or JSON file; and **Tải Excel**
of the register list's filtered rows. Each audited."""

from datetime import UTC, date, datetime

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import export, list_export, queries, record_pdf
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.downloads import PDF, XLSX, attachment
from fieldapp.extensions import db
from fieldapp.places.models import Commune
from fieldapp.text import storable

bp = Blueprint("child_export", __name__, url_prefix="/children")
JSON = "application/json"
LIST_EXPORT = "children.list_export"


@bp.app_context_processor
def list_export_link():
    """Whether the register list shows **Tải Excel** (its template asks)."""
    return {"may_export_list": lambda: current_user.is_authenticated
            and access.can(current_user, LIST_EXPORT)}


@bp.get("/<child_id>/ho-so.pdf")
@access.action_required("children.export")
def as_pdf(child_id: str):
    return _export(child_id, "pdf")


@bp.get("/<child_id>/ho-so.json")
@access.action_required("children.export")
def as_json(child_id: str):
    return _export(child_id, "json")


def _export(child_id: str, kind: str):
    child = access.get_or_404(Child, child_id, current_user)
    now = datetime.now(UTC)
    doc = export.document(child, current_user, now)
    body = record_pdf.render(doc) if kind == "pdf" else export.as_json(doc)
    export.note_exported(current_user, child, kind, client_address())
    db.session.commit()
    return attachment(body, PDF if kind == "pdf" else JSON, export.filename(child, now, kind))


@bp.post("/danh-sach.xlsx")
@access.action_required(LIST_EXPORT)
def list_xlsx():
    """The register list's filters are posted (a searched name stays out of addresses)."""
    values = {name: str(request.form.get(name, ""))
              for name in queries.Filters.__dataclass_fields__ if name != "after"}
    if len(values["q"]) > 100 or not all(storable(v) for v in values.values()):
        flash("Bộ lọc không hợp lệ: hãy tìm lại rồi tải danh sách.", "warning")
        return redirect(url_for("children.index"))
    filters = queries.Filters(**values)
    filters.status = filters.status or "active"
    today = date.today()  # as the page (children.views) reads the list
    total = list_export.count(current_user, filters, today)
    if total > list_export.MAX_ROWS:
        flash(list_export.too_many(total), "warning")
        return redirect(url_for("children.index"))
    rows = list_export.children(current_user, filters, today)
    commune = db.session.get(Commune, current_user.commune_code)
    line = list_export.filters_line(current_user, filters, today)
    body = list_export.workbook(rows, current_user, commune=commune.name if commune else "",
                                line=line, today=today)
    detail = {name: value for name, value in values.items() if value and name != "q"}
    audit(current_user, "children_list_exported", "child", None, address=client_address(),
          detail={**detail, "searched": bool(filters.q.strip()), "rows": len(rows)})
    db.session.commit()
    return attachment(body, XLSX, list_export.filename(today))
