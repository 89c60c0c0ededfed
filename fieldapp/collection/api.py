"""The sync API of field collection (``/api/v1``): submissions in, receipts, states and the
packet out. Only village heads and collaborators collect."""

import uuid

from flask import Blueprint, request

from fieldapp import faults, roles, signals
from fieldapp.apiv1 import caller, json_body, no_store, page_limit, token_id
from fieldapp.audit.services import record as audit
from fieldapp.client import client_address
from fieldapp.collection import queries, services
from fieldapp.collection.schemas import MAX_BATCH, MAX_BYTES
from fieldapp.db import read_only, utcnow
from fieldapp.errors import BadRequest, TooLarge
from fieldapp.extensions import db

bp = Blueprint("collection", __name__)


@bp.post("/submissions")
def post_submissions():
    user = caller(roles.FIELD)
    body = json_body(MAX_BYTES, text_checked=False)  # each item's text: services._identify
    items = body.get("submissions")
    if not isinstance(items, list):
        raise BadRequest("Cần trường submissions là một danh sách phiếu.",
                         {"submissions": ["Phải là một danh sách."]})
    if len(items) > MAX_BATCH:
        raise TooLarge(f"Tối đa {MAX_BATCH} phiếu mỗi lần gửi; hãy chia nhỏ.",
                       {"submissions": [f"Tối đa {MAX_BATCH} phiếu."]})
    with read_only(db.session):  # judging 100 items takes no write lock
        batch = services.judge_batch(user, items, token_id=token_id())
    results = services.store(user, batch, address=client_address())
    phone = _device_id(body.get("device_id"))
    if phone is not None:  # the phone's receipts, for its storage's loss detector
        signals.batch_answered.send(user, phone_id=phone, results=results)
    faults.pause("submissions_stored")  # the fault tests kill the worker here (stored, no commit)
    db.session.commit()
    return {"results": results}


def _device_id(value) -> uuid.UUID | None:
    """The batch's optional ``device_id``; a malformed one is ignored, never worth a batch."""
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


@bp.get("/submissions")
def get_submissions():
    user = caller(roles.FIELD)
    feed = queries.own_submissions(user, request.args.get("since"), utcnow(), page_limit())
    return no_store(feed)


@bp.get("/packet")
def get_packet():
    user = caller(roles.FIELD)
    since = request.args.get("since")
    packet = queries.packet(user, since, utcnow())
    audit(user, "packet_downloaded", "child", None, address=client_address(),
          detail={"children": len(packet["children"]), "full": packet["full"]})
    db.session.commit()
    return no_store(packet)

