"""Police verification of identity numbers (DOMAIN §5 step 4): the officer sends a batch of
children to the commune police, who record for each the verified number, corrections to
identity fields or "không tìm thấy", and sign the handover minutes."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db import Base, utcnow

BATCH_STATES = {"sent": "Đã gửi công an", "finished": "Đã xác thực xong"}
OUTCOMES = {
    "pending": "Chưa xác thực",
    "verified": "Đã xác thực",
    "corrected": "Đã xác thực, có sửa",
    "not_found": "Không tìm thấy",
}


class VerificationBatch(Base):
    """A list of children sent to the commune police (Danh sách cần xác thực)."""

    __tablename__ = "verification_batch"
    __table_args__ = (UniqueConstraint("commune_code", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    number: Mapped[int]  # 1, 2, 3… within the commune: "Danh sách số 3"
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(10), default="sent")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finished_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    finished_by: Mapped[User | None] = relationship(foreign_keys=[finished_by_id])
    items: Mapped[list["VerificationItem"]] = relationship(
        back_populates="batch", order_by="VerificationItem.position",
        cascade="all, delete-orphan")


class VerificationItem(Base):
    """One child of a batch: its identity fields as sent, and what the police found."""

    __tablename__ = "verification_item"
    __table_args__ = (UniqueConstraint("batch_id", "child_id", name="uq_verification_item_child"),
                      UniqueConstraint("batch_id", "row_key", name="uq_verification_item_row_key"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("verification_batch.id"),
                                                index=True)
    position: Mapped[int]  # the row number on the list (STT)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    # A stable, unguessable key of the row for the spreadsheet round trip (never the name).
    row_key: Mapped[str] = mapped_column(String(32))
    sent: Mapped[dict] = mapped_column(JSON)  # the identity fields as sent
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    verified_id: Mapped[str | None] = mapped_column(String(12))
    corrections: Mapped[dict | None] = mapped_column(JSON)  # {"full_name": "…", …}
    note: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    applied_version: Mapped[int | None]  # the child's version the result made, once applied

    batch: Mapped[VerificationBatch] = relationship(back_populates="items")
