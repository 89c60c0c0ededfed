"""``PUT /api/v1/device``: after each sync a phone says how its outbox and storage are, so that
the commune learns in time when unsent submissions are at risk. Field roles only."""

from flask import Blueprint, request
from marshmallow import ValidationError

from fieldapp import roles
from fieldapp.apiv1 import caller, json_body
from fieldapp.devices import services
from fieldapp.devices.schemas import MAX_BYTES, DeviceReport
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.schemas import flat_errors

bp = Blueprint("devices", __name__)
REPORT = DeviceReport()


@bp.put("/device")
def put_device():
    user = caller(roles.FIELD)
    try:
        report = REPORT.load(json_body(MAX_BYTES))
    except ValidationError as invalid:
        raise ValidationFailed("Báo cáo tình trạng máy chưa hợp lệ.",
                               flat_errors(invalid.messages)) from None
    services.report_device(user, report, user_agent=request.headers.get("User-Agent"))
    db.session.commit()
    return "", 204
