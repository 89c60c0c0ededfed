"""**Thiết bị thu thập** (``/devices``): the commune officer sees the phones of the commune's
field workers, those that may have lost unsent submissions first, and marks "Đã liên hệ"."""

from flask import Blueprint, flash, url_for
from flask_login import current_user

from fieldapp import access, htmx
from fieldapp.client import client_address
from fieldapp.db import utcnow
from fieldapp.devices import queries, services
from fieldapp.devices.forms import ContactedForm
from fieldapp.devices.models import Device
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db

bp = Blueprint("devices", __name__, url_prefix="/devices")
DEVICES = "devices"


@bp.get("")
@access.action_required(DEVICES)
def index():
    rows = queries.rows(current_user, utcnow())
    return htmx.render("devices/index.html", rows=rows, flagged=sum(1 for r in rows if r.lost),
                       form=ContactedForm(formdata=None))


@bp.post("/<device_id>/contacted")
@access.action_required(DEVICES)
def contacted(device_id: str):
    device = access.get_or_404(Device, device_id, current_user)
    if not ContactedForm().validate_on_submit():
        raise ValidationFailed("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")
    name = device.user.full_name or device.user.username
    contact = services.mark_contacted(current_user, device, address=client_address())
    db.session.commit()
    if contact is None:
        flash(f"Máy của {name} không còn dấu hiệu mất phiếu.", "info")
    else:
        flash(f"Đã ghi nhận: đã liên hệ {name}.", "success")
    return htmx.redirect(url_for("devices.index"))
