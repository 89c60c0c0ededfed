"""Keeping each phone's state: its reports (rule 1 of the detector runs on each), the receipts
the submissions endpoint gave it, and the officer's "Đã liên hệ".

A device is the pair (phone id, user); a row is made the first time either a report or a
batch names it, with one ``INSERT … ON CONFLICT`` so that two requests at once make one row.
"""

import uuid

from sqlalchemy import select

from fieldapp import signals
from fieldapp.audit.services import record
from fieldapp.client import agent_label
from fieldapp.db import upsert, utcnow
from fieldapp.devices import detector, queries
from fieldapp.devices.models import Device, DeviceContact
from fieldapp.extensions import db

# Results after which the phone may remove the item from its outbox.
RECEIPTS = ("accepted", "duplicate", "conflict")
REPORTED = ("app_version", "pending", "oldest_pending_at", "persisted", "usage_bytes",
            "quota_bytes", "discarded")


def report_device(user, report: dict, *, user_agent: str | None = None, now=None) -> Device:
    """Keep what a phone says of its outbox and storage after a sync, and compare it with the
    previous report of the same phone and user (:func:`detector.same_device`): what nothing
    explains is added to the device's ``possibly_lost``.

    :param report: a :class:`~fieldapp.devices.schemas.DeviceReport`, loaded.
    :param user_agent: the request's User-Agent header; kept shortened.
    """
    now = now or utcnow()
    device = _claim(user, report["device_id"], now)
    if device.reported_at is not None:
        loss = detector.same_device(device.pending or 0, device.discarded, report["pending"],
                                    report["discarded"],
                                    device.receipts - device.receipts_reported)
        if loss.missing:
            device.possibly_lost += loss.missing
            device.lost_drop += loss.drop
            device.lost_received += loss.received
            device.lost_discarded += loss.discarded
            device.lost_at = now
    for name in REPORTED:
        setattr(device, name, report[name])
    if not device.pending:
        device.oldest_pending_at = None  # nothing waits: nothing is old
    device.user_agent = agent_label(user_agent)
    device.receipts_reported = device.receipts
    device.reported_at = device.last_seen_at = now
    db.session.flush()
    return device


def count_receipts(user, phone_id: uuid.UUID, results: list[dict], now=None) -> int:
    """Add a batch's receipts to the (phone, user) device, made on first sight.

    One statement in the transaction that stores the batch (a phone may send items before it
    ever reports).

    :param results: the submissions endpoint's answer, one result per item.
    :returns: how many results were receipts.
    """
    now = now or utcnow()
    count = sum(1 for result in results if result["status"] in RECEIPTS)
    table = Device.__table__
    statement = upsert(db.session, table).values(
        id=uuid.uuid4(), phone_id=phone_id, user_id=user.id, first_seen_at=now,
        last_seen_at=now, receipts=count)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["phone_id", "user_id"],
        set_={"receipts": table.c.receipts + count, "last_seen_at": now}))
    return count


@signals.batch_answered.connect
def _on_batch_answered(user, *, phone_id: uuid.UUID, results: list[dict], **_) -> None:
    """collection's submissions endpoint answered a batch from ``phone_id``: count its
    receipts (the endpoint does not know devices; :mod:`fieldapp.signals`)."""
    count_receipts(user, phone_id, results)


def mark_contacted(actor, device: Device, *, address=None, now=None) -> DeviceContact | None:
    """"Đã liên hệ": the officer called the collector; clear the device's flag.

    Rule 1's count goes back to 0 and rule 2 is silenced for the device's current report; the
    flag comes back only with a new loss. Who cleared what and when stays in the device's
    history and in the audit log.

    :returns: the history entry, or ``None`` when nothing was flagged (already cleared).
    """
    lost_elsewhere = queries.lost_elsewhere(device)
    if not device.possibly_lost and not lost_elsewhere:
        return None
    now = now or utcnow()
    contact = DeviceContact(device=device, contacted_at=now, contacted_by_id=actor.id,
                            same_device=device.possibly_lost, other_device=lost_elsewhere)
    db.session.add(contact)
    device.possibly_lost = device.lost_drop = device.lost_received = 0
    device.lost_discarded = 0
    if lost_elsewhere:
        device.contacted_report_at = device.reported_at
    record(actor, "device_contacted", "device", device.id, address=address,
           commune_code=device.user.commune_code,
           detail={"user": device.user_id, "same_device": contact.same_device,
                   "other_device": lost_elsewhere})
    db.session.flush()
    return contact


def _claim(user, phone_id: uuid.UUID, now) -> Device:
    """The (phone, user) device, made if new, locked until the transaction ends (PostgreSQL;
    SQLite's write lock is taken when the transaction begins)."""
    statement = upsert(db.session, Device.__table__).values(
        id=uuid.uuid4(), phone_id=phone_id, user_id=user.id, first_seen_at=now,
        last_seen_at=now)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["phone_id", "user_id"]))
    query = (select(Device).where(Device.phone_id == phone_id, Device.user_id == user.id)
             .with_for_update().execution_options(populate_existing=True))
    return db.session.scalars(query).one()
