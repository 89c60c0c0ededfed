"""The officer's list of the commune's collection devices, and its counts for the home page.

Rule 2 of the detector is computed here, in the query that reads the devices (one count of a
user's submissions per device that could be flagged, on an index).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from fieldapp import access
from fieldapp.auth.models import User
from fieldapp.devices import detector
from fieldapp.devices.models import Device, DeviceContact
from fieldapp.extensions import db

STALE_AFTER = timedelta(days=3)  # unsent this long: the officer should ask why
NEARLY_FULL = 0.8  # of the storage quota


@dataclass
class Row:
    """One (device, user) as the officer's table shows it."""

    device: Device
    user: User
    received: int  # rule 2: the user's submissions received since this device's last report
    lost_elsewhere: int  # rule 2's count (0: it does not apply)
    now: datetime

    @property
    def lost(self) -> int:
        return self.device.possibly_lost + self.lost_elsewhere

    @property
    def reasons(self) -> list[str]:
        """Why the device is flagged, in plain Vietnamese."""
        d, out = self.device, []
        if d.possibly_lost:
            text = (f"Số phiếu chưa gửi trên máy giảm {d.lost_drop} mà máy chủ chỉ nhận "
                    f"{d.lost_received}")
            if d.lost_discarded:
                text += f" và người dùng tự xóa {d.lost_discarded}"
            out.append(text + ".")
        if self.lost_elsewhere:
            out.append(f"Người này đã đồng bộ từ máy khác; máy này còn {d.pending} phiếu chưa "
                       f"gửi, máy chủ mới nhận {self.received}.")
        return out

    @property
    def oldest_days(self) -> int | None:
        """Age in whole days of the oldest unsent item, if any waits."""
        if not self.device.pending or self.device.oldest_pending_at is None:
            return None
        return max((self.now - self.device.oldest_pending_at).days, 0)

    @property
    def stale(self) -> bool:
        oldest = self.device.oldest_pending_at
        return bool(self.device.pending) and oldest is not None and (
            self.now - oldest > STALE_AFTER)

    @property
    def storage(self) -> list[str]:
        """What may cost the phone its outbox: storage the browser may evict, or nearly full."""
        d, notes = self.device, []
        if d.persisted is False:
            notes.append("bộ nhớ không bền")
        if d.usage_bytes is not None and d.quota_bytes and (
                d.usage_bytes / d.quota_bytes > NEARLY_FULL):
            notes.append(f"đã dùng {min(d.usage_bytes * 100 // d.quota_bytes, 999)}%")
        return notes

    @property
    def short_id(self) -> str:
        return str(self.device.phone_id)[:8]

    @property
    def last_contact(self) -> DeviceContact | None:
        return self.device.contacts[0] if self.device.contacts else None


def rows(user, now: datetime) -> list[Row]:
    """The devices of the commune's field workers: flagged ones first, then the oldest
    unsent, then the most recently seen."""
    received, missing = detector.other_device()
    query = (access.devices(user).add_columns(User, received, missing)
             .options(selectinload(User.villages),
                      selectinload(Device.contacts).selectinload(DeviceContact.contacted_by)))
    found = [Row(device, owner, got, lost, now)
             for device, owner, got, lost in db.session.execute(query)]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(found, key=lambda r: (
        not r.lost,
        r.device.oldest_pending_at if r.oldest_days is not None else far,
        -r.device.last_seen_at.timestamp(),
    ))


def summary(user, now: datetime) -> dict[str, int]:
    """For the home page: ``flagged`` devices (có thể mất phiếu) and ``stale`` ones (an item
    unsent for more than :data:`STALE_AFTER`)."""
    _received, missing = detector.other_device()
    flagged = or_(Device.possibly_lost > 0, missing > 0)
    stale = and_(Device.pending > 0, Device.oldest_pending_at < now - STALE_AFTER)
    query = access.devices(user).with_only_columns(
        func.coalesce(func.sum(case((flagged, 1), else_=0)), 0),
        func.coalesce(func.sum(case((stale, 1), else_=0)), 0))
    flagged_count, stale_count = db.session.execute(query).one()
    return {"flagged": int(flagged_count), "stale": int(stale_count)}


def lost_elsewhere(device: Device) -> int:
    """Rule 2's count for one device, now."""
    _received, missing = detector.other_device()
    return int(db.session.scalar(select(missing).where(Device.id == device.id)))
