"""The phones field workers collect on, each as it last reported itself after a sync.

A device is one phone *and* one user: the phone makes its UUID once, and two collectors who
share a phone keep two outboxes on it, so two rows. The detector (detector.py) compares a
row's reports; "Đã liên hệ" clears its flag and is kept as :class:`DeviceContact` history.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db import Base, utcnow


class Device(Base):
    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("phone_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    phone_id: Mapped[uuid.UUID]  # made on the phone: the API's ``device_id``
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # a report or a batch
    reported_at: Mapped[datetime | None]  # the last report; none yet: only batches seen

    # What the last report said.
    app_version: Mapped[str | None] = mapped_column(String(40))
    user_agent: Mapped[str | None] = mapped_column(String(120))  # "Android 13 · Chrome 131"
    pending: Mapped[int | None]  # items in the outbox without the server's receipt
    oldest_pending_at: Mapped[datetime | None]  # capture time of the oldest of them
    persisted: Mapped[bool | None]  # navigator.storage.persisted(); none: cannot say
    usage_bytes: Mapped[int | None] = mapped_column(BigInteger)
    quota_bytes: Mapped[int | None] = mapped_column(BigInteger)
    discarded: Mapped[int] = mapped_column(default=0)  # deleted unsent by the user, cumulative

    # Results the phone may remove from its outbox (accepted, duplicate, conflict), counted by
    # the submissions endpoint; and that count as it was at the last report.
    receipts: Mapped[int] = mapped_column(BigInteger, default=0)
    receipts_reported: Mapped[int] = mapped_column(BigInteger, default=0)

    # Rule 1 of the detector since the officer last cleared the flag: how many items may be
    # lost, when it was last seen, and the numbers behind it (the outbox's drop, and what
    # receipts and the user's deletions explained of it).
    possibly_lost: Mapped[int] = mapped_column(BigInteger, default=0)
    lost_at: Mapped[datetime | None]
    lost_drop: Mapped[int] = mapped_column(BigInteger, default=0)
    lost_received: Mapped[int] = mapped_column(BigInteger, default=0)
    lost_discarded: Mapped[int] = mapped_column(BigInteger, default=0)
    # Rule 2 stays silent for the report the officer already called about.
    contacted_report_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    contacts: Mapped[list["DeviceContact"]] = relationship(
        back_populates="device", order_by="DeviceContact.contacted_at.desc()"
    )


class DeviceContact(Base):
    """"Đã liên hệ": the officer called the collector about a flagged device. What each rule
    had counted is kept, so the history says what was cleared."""

    __tablename__ = "device_contact"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    device_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("device.id", ondelete="CASCADE"), index=True
    )
    contacted_at: Mapped[datetime] = mapped_column(default=utcnow)
    contacted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    same_device: Mapped[int] = mapped_column(BigInteger)  # rule 1's count, cleared
    other_device: Mapped[int] = mapped_column(BigInteger)  # rule 2's count, silenced

    device: Mapped[Device] = relationship(back_populates="contacts")
    contacted_by: Mapped[User] = relationship()
