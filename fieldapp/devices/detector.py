"""The detector "có thể mất phiếu": a phone lost items it never sent (the browser evicted its
storage, or someone wiped the site's data), and the paper notes may still exist.

Both rules count only what the server can prove went missing, so both are **lower bounds**:
a phone that captured new items between two reports, or resent an item whose receipt it
never got, has more explained than really left its outbox, and a loss of the same size
hides behind it. They never flag a phone that lost nothing.

- **Rule 1, same device** (:func:`same_device`), at each report of a (device, user) compared
  with its previous report.
- **Rule 2, another device of the same user** (:func:`other_device`), computed in SQL when
  read: a phone that still had items at its last report, after which its user reported from
  another phone, while the server received fewer than that from the user (a wiped browser
  makes a new device id, so this is how a wipe usually shows).
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from fieldapp.collection.models import Submission
from fieldapp.devices.models import Device


@dataclass(frozen=True)
class Loss:
    """Rule 1's verdict between two reports."""

    missing: int  # items gone that nothing explains; 0 when everything is explained
    drop: int  # how much the outbox shrank
    received: int  # the server's receipts to this device in between
    discarded: int  # items the user deleted unsent in between


def same_device(pending_before: int, discarded_before: int, pending_now: int,
                discarded_now: int, receipts: int) -> Loss:
    """Rule 1: ``missing = pending_before − pending_now − receipts − Δdiscarded``.

    :param receipts: results the server gave this (device, user) since the previous report
        that let the phone remove an item (accepted, duplicate, conflict).
    :param discarded_now: the phone's cumulative count of items its user deleted unsent; when
        it went backwards the phone's storage was wiped and the count restarted at 0, so all
        of it is new.
    """
    if discarded_now >= discarded_before:
        discarded = discarded_now - discarded_before
    else:
        discarded = discarded_now
    drop = pending_before - pending_now
    return Loss(max(drop - receipts - discarded, 0), drop, receipts, discarded)


def other_device(device=Device):
    """Rule 2 as SQL, for each row of ``device`` (the model or an alias of it).

    A device whose last report had ``pending = P > 0``, after which the same user reported
    from another device, while the server received fewer than ``P`` submissions of that user
    (from any route: a phone, or the officer's import of an exported file) since that report,
    may have lost ``P − received``. Silent for the report an officer already called about.

    :returns: ``(received, missing)``, column expressions; ``missing`` is 0 when the rule
        does not apply.
    """
    other = aliased(Device)
    later = exists().where(other.user_id == device.user_id, other.phone_id != device.phone_id,
                           other.reported_at > device.reported_at)
    received = (select(func.count()).select_from(Submission)
                .where(Submission.user_id == device.user_id,
                       Submission.received_at > device.reported_at)
                .scalar_subquery())
    applies = and_(
        device.pending > 0,
        or_(device.contacted_report_at.is_(None),
            device.contacted_report_at < device.reported_at),
        later,
        received < device.pending,
    )
    return received, case((applies, device.pending - received), else_=0)
