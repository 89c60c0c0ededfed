"""**Xuất hồ sơ của trẻ**: one child's whole record as a PDF or JSON file, audited."""

from datetime import UTC, datetime

from flask import Blueprint
from flask_login import current_user

from fieldapp import access
from fieldapp.children import export, record_pdf
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.downloads import PDF, attachment
from fieldapp.extensions import db

bp = Blueprint("child_export", __name__, url_prefix="/children")
JSON = "application/json"


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
