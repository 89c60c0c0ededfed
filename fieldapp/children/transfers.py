"""A child moved to another commune (issue 14 §2.1): the sending officer asks, the receiving
officer accepts into one of their villages (or refuses with a reason), the sender may cancel
while it waits.

The sending record stays the sender's: while the transfer waits it is still an active record
of the sending commune (the child is not received yet, and a transfer nobody answers must not
lose the child from every list); on acceptance it is closed as "Chuyển đi nơi khác" with the
note "Đã chuyển đến …", read-only with its history. The receiver gets a new record, made by
:func:`children.services.create_child` from the sending record's data (caregivers, open and
ended circumstances, support), so it passes the register's rules like any new child; the
transfer row links the two (``received_child_id``), and the receiver's page shows the sending
record's history through it. Every commune-scoped query stays right: each record belongs to
one commune. Services flush; the view commits.
"""

import uuid
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import matching, pairs, services
from fieldapp.children.models import Child, ChildChange, ChildTransfer
from fieldapp.children.validators import clean_text, parse_date
from fieldapp.clock import shown
from fieldapp.db import utcnow
from fieldapp.errors import Forbidden, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Village

SOURCE_KIND = "transfer"


def place_name(commune: Commune) -> str:
    """"Xã Mường La, tỉnh Sơn La", "Xã Tam Mỹ, Thành phố Đà Nẵng": a commune named to
    another (the national list names cities "Thành phố …" and provinces bare)."""
    province = commune.province.name
    return f"{commune.name}, {province if province.startswith('Thành phố') else 'tỉnh ' + province}"


def pending_of(child: Child) -> ChildTransfer | None:
    """The transfer of ``child`` waiting for the receiving commune, if any."""
    return db.session.scalars(select(ChildTransfer).where(
        ChildTransfer.child_id == child.id, ChildTransfer.status == "pending")).first()


def _refuse(errors: dict, detail: str = "Chưa chuyển được hồ sơ.") -> None:
    if errors:
        raise ValidationFailed(detail, errors)


def _own(actor, child: Child) -> None:
    """Only the officer of the child's commune sends it (``children.edit``, commune)."""
    access.require(actor, "children.edit")
    if child.commune_code != actor.commune_code:
        raise Forbidden("Hồ sơ không thuộc xã của bạn.")


def request_transfer(actor, child: Child, to_commune_code: str, moved_on, note: str = ""):
    """Send ``child`` to the commune ``to_commune_code``; it waits there until accepted.

    :param moved_on: the day the child moved (text ``YYYY-MM-DD`` or a date): from the birth
        date to today.
    """
    _own(actor, child)
    services.writable(actor, child, services.OFFICER_EDIT)  # open, under 16
    errors: dict[str, list[str]] = {}
    commune = db.session.get(Commune, str(to_commune_code or "")) if to_commune_code else None
    if commune is None:
        errors["to_commune"] = ["Chọn xã nhận trẻ trong danh sách."]
    elif commune.code == child.commune_code:
        errors["to_commune"] = ["Không chuyển được đến chính xã của mình."]
    day = moved_on if isinstance(moved_on, date) else parse_date(moved_on)
    if day is None:
        errors["moved_on"] = ["Ngày chuyển đi: nhập ngày hợp lệ."]
    elif day > date.today() or day < child.date_of_birth:
        errors["moved_on"] = ["Ngày chuyển đi phải từ ngày sinh đến hôm nay."]
    note = clean_text(note)
    if len(note) > 500:
        errors["note"] = ["Ghi chú tối đa 500 ký tự."]
    waiting = pending_of(child)
    if waiting is not None:
        errors["to_commune"] = [
            f"Trẻ đang chờ {place_name(waiting.to_commune)} tiếp nhận; huỷ chuyển trước."]
    _refuse(errors)
    transfer = ChildTransfer(child_id=child.id, from_commune_code=child.commune_code,
                             to_commune_code=commune.code, requested_by=actor.id,
                             requested_at=utcnow(), moved_on=day, note=note, status="pending")
    try:  # two requests at once: the index keeps one pending transfer per child
        with db.session.begin_nested():
            db.session.add(transfer)
    except IntegrityError:
        _refuse({"to_commune": ["Trẻ đã có một việc chuyển đang chờ tiếp nhận."]})
    _audit(actor, "transfer_requested", transfer, child.commune_code)
    return transfer


def cancel_transfer(actor, transfer: ChildTransfer) -> None:
    """The sender takes back a transfer that still waits ("Huỷ chuyển")."""
    _own(actor, transfer.child)
    _waiting(transfer)
    _decide(actor, transfer, "cancelled")
    _audit(actor, "transfer_cancelled", transfer, transfer.from_commune_code)


def refuse_transfer(actor, transfer: ChildTransfer, reason: str) -> None:
    """The receiver refuses, with a reason the sender reads; the record stays the sender's."""
    _receiver(actor, transfer)
    _waiting(transfer)
    reason = clean_text(reason)
    if not reason:
        _refuse({"reason": ["Ghi lý do từ chối."]}, "Chưa từ chối được.")
    if len(reason) > 500:
        _refuse({"reason": ["Lý do tối đa 500 ký tự."]}, "Chưa từ chối được.")
    _decide(actor, transfer, "refused", reason)
    _audit(actor, "transfer_refused", transfer, transfer.to_commune_code)


def accept_transfer(actor, transfer: ChildTransfer, village_code: str,
                    household_id: str | None = None, household: dict | None = None) -> Child:
    """Receive the child into a village of the receiver: a new record there (existing
    household ``household_id`` of that village, else a new ``household``), with the child's
    data, caregivers, circumstances and support, and the sending record closed. Returns the
    new record."""
    _receiver(actor, transfer)
    _waiting(transfer)
    sent = transfer.child
    if sent.closed_on is not None:
        _refuse({"child": ["Xã chuyển đi đã đóng hồ sơ này; hãy từ chối với lý do."]},
                "Chưa tiếp nhận được.")
    if not village_code:
        _refuse({"village_code": ["Chọn thôn/bản của xã để tiếp nhận trẻ."]},
                "Chưa tiếp nhận được.")
    record = received_record(sent, village_code)
    if household_id:
        home = services.household_for(actor, {"household_id": household_id}, None)
        if home.village_code != village_code:
            _refuse({"household_id": ["Hộ gia đình này không ở thôn/bản đã chọn."]},
                    "Chưa tiếp nhận được.")
        record["household_id"] = str(home.id)
        record["child"]["address"] = home.address or ""
    else:
        record["household"] = {**(household or {}), "village_code": village_code}
        record["child"]["address"] = (household or {}).get("address") or ""
    sender = place_name(transfer.from_commune)
    received = services.create_child(actor, record, source=services.Source(
        SOURCE_KIND, ref=str(transfer.id), note=f"Tiếp nhận từ {sender}"))
    _keep_reviews(sent, received)
    today = date.today()
    services.close_child(
        actor, sent, "moved_away", today,
        f"Đã chuyển đến {place_name(transfer.to_commune)} ngày {shown(today)}",
        source=services.Source(SOURCE_KIND, ref=str(transfer.id),
                               note=f"Chuyển đến {place_name(transfer.to_commune)}"))
    # Last: of two accepts at once, the second waits for the first's row here, then finds it
    # decided and its whole transaction (its new record too) is rolled back by the view.
    _decide(actor, transfer, "accepted")
    transfer.received_child_id = received.id
    db.session.flush()
    _audit(actor, "transfer_accepted", transfer, transfer.to_commune_code,
           received=str(received.id))
    return received


def _keep_reviews(sent: Child, received: Child) -> None:
    """What the periodic review said stays true after the move: each membership's last
    confirmation, and an ongoing support's end and confirmation (the record's forms take
    neither), matched by code and start, form and day."""
    confirmed = {(c.code, c.since): c.confirmed_on for c in sent.circumstances}
    for c in received.circumstances:
        c.confirmed_on = confirmed.get((c.code, c.since))
    reviewed = {(s.form, s.given_on, s.provider): (s.until, s.confirmed_on)
                for s in sent.support}
    for s in received.support:
        s.until, s.confirmed_on = reviewed.get((s.form, s.given_on, s.provider), (None, None))
    db.session.flush()


def received_record(sent: Child, village_code: str) -> dict:
    """The sending record as ``create_child`` takes it, in ``village_code``. The addresses
    (``address``, ``current_residence``) were the old commune's: left out, the household's
    address standing for the new one until the officer writes it."""
    fields = ("personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code",
              "nationality", "schooling_status", "school_left_level", "school_left_on")
    return {
        "child": {**{name: getattr(sent, name) for name in fields},
                  "village_code": village_code},
        "caregivers": [{"relation": c.relation, "full_name": c.full_name,
                        "personal_id": c.personal_id, "phone": c.phone}
                       for c in sent.caregivers],
        "circumstances": [{"code": c.code, "detail": dict(c.detail or {}), "since": c.since,
                           "until": c.until, "note": c.note} for c in sent.circumstances],
        "support": [{"form": s.form, "date": s.given_on, "provider": s.provider,
                     "amount_vnd": s.amount_vnd, "note": s.note} for s in sent.support],
    }


def _receiver(actor, transfer: ChildTransfer) -> None:
    access.require(actor, "children.edit")
    if transfer.to_commune_code != actor.commune_code:
        raise Forbidden("Hồ sơ chuyển đến xã khác, không phải xã của bạn.")


def _waiting(transfer: ChildTransfer) -> None:
    if transfer.status != "pending":
        raise _decided()


def _decided() -> ValidationFailed:
    return ValidationFailed("Việc chuyển này đã được xử lý.",
                            {"transfer": ["Không còn chờ tiếp nhận."]})


def _decide(actor, transfer: ChildTransfer, status: str, reason: str | None = None) -> None:
    """Decide a waiting transfer once: a conditional UPDATE, so that of two officers deciding
    at the same time the second finds it decided (and raises)."""
    done = db.session.execute(
        update(ChildTransfer)
        .where(ChildTransfer.id == transfer.id, ChildTransfer.status == "pending")
        .values(status=status, reason=reason, decided_by=actor.id, decided_at=utcnow()))
    if done.rowcount != 1:
        raise _decided()
    db.session.refresh(transfer)


def _audit(actor, action: str, transfer: ChildTransfer, commune: str, **more) -> None:
    audit(actor, action, "child_transfer", transfer.id, commune_code=commune, detail={
        "child": str(transfer.child_id), "from": transfer.from_commune_code,
        "to": transfer.to_commune_code, **more})


# Reads of the transfer pages.

def incoming(user) -> list[ChildTransfer]:
    """The transfers waiting for the user's commune, oldest first."""
    return list(db.session.scalars(
        access.transfers(user).where(ChildTransfer.to_commune_code == user.commune_code,
                                     ChildTransfer.status == "pending")
        .order_by(ChildTransfer.requested_at, ChildTransfer.id)))


def last_of(child: Child) -> ChildTransfer | None:
    """The newest transfer of the sending record (what its page says about it)."""
    return db.session.scalars(select(ChildTransfer).where(ChildTransfer.child_id == child.id)
                              .order_by(ChildTransfer.requested_at.desc())).first()


def origin_of(child: Child) -> ChildTransfer | None:
    """The transfer a received record came from, if it came from one."""
    return db.session.scalars(select(ChildTransfer).where(
        ChildTransfer.received_child_id == child.id)).first()


def earlier_history(child: Child, limit: int = 100) -> list[tuple[ChildTransfer, list]]:
    """The history a received record carries: for each commune it came through (newest
    first), the sending record's changes up to the transfer (its closure left out)."""
    found, seen = [], set()
    transfer = origin_of(child)
    while transfer is not None and transfer.id not in seen:
        seen.add(transfer.id)
        changes = list(db.session.scalars(
            select(ChildChange).where(ChildChange.child_id == transfer.child_id,
                                      ChildChange.version < transfer.child.version)
            .order_by(ChildChange.id.desc()).limit(limit)))
        found.append((transfer, changes))
        transfer = origin_of(transfer.child)
    return found


def probable_duplicates(transfer: ChildTransfer, today: date | None = None) -> list[dict]:
    """The receiving commune's active children the matcher calls probable duplicates of the
    child sent (id, name, birth date, score, reasons), best first."""
    today = today or date.today()
    sent = matching.facts(transfer.child)
    near = matching.read_active(transfer.to_commune_code, today, pairs.near_any([sent]))
    matching.add_caregivers({f.id: f for f in near})
    found = [{"id": uuid.UUID(str(f.id)), "full_name": f.full_name, "score": v.score,
              "reasons": v.reasons,
              "born": f.born if isinstance(f.born, date) else date.fromisoformat(str(f.born))}
             for f in near if (v := matching.score(sent, f)).probable]
    return sorted(found, key=lambda row: -row["score"])


def page_info(child: Child) -> dict:
    """What the officer's child page says of transfers: the one waiting, the last refusal
    (its reason), and for a received record where it came from and the history it carries."""
    last = last_of(child)
    earlier = earlier_history(child)
    codes = {t.from_commune_code for t, _ in earlier}
    places = {v.code: v.name for v in db.session.scalars(
        select(Village).where(Village.commune_code.in_(codes)))} if codes else {}
    return {
        "pending": last if last is not None and last.status == "pending" else None,
        "refused": last if last is not None and last.status == "refused" else None,
        "accepted": last if last is not None and last.status == "accepted" else None,
        "earlier": earlier, "places": places, "name": place_name,
    }
