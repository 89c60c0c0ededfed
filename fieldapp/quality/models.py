"""What the officer decided while cleaning the register (DOMAIN §5 step 3), and the re-check
of a sample (step 6)."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import Base, utcnow

RECHECK_OUTCOMES = {"right": "Đúng", "wrong": "Sai"}


class NotDuplicate(Base):
    """"Không phải cùng một trẻ": a pair the officer looked at, kept out of the duplicates
    list. The pair is stored in one order (``child_a_id < child_b_id``)."""

    __tablename__ = "not_duplicate"
    __table_args__ = (UniqueConstraint("child_a_id", "child_b_id"),
                      CheckConstraint("child_a_id < child_b_id", name="ordered"))

    id: Mapped[int] = mapped_column(primary_key=True)
    child_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    child_b_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecheckSample(Base):
    """A random sample of a village's or commune's records drawn for re-check (phúc tra);
    the seed is kept so that the same draw can be made again."""

    __tablename__ = "recheck_sample"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("village.code"))
    size: Mapped[int]  # how many records were drawn
    percent: Mapped[int | None]  # when asked as a share of the records
    seed: Mapped[str] = mapped_column(String(64))
    population: Mapped[int]  # how many records it was drawn from
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    items: Mapped[list["RecheckItem"]] = relationship(
        back_populates="sample", order_by="RecheckItem.position", cascade="all, delete-orphan")


class RecheckItem(Base):
    """One drawn record and what the re-check found: right, or wrong with the wrong fields."""

    __tablename__ = "recheck_item"
    __table_args__ = (UniqueConstraint("sample_id", "child_id"),
                      Index("ix_recheck_item_sample_position", "sample_id", "position"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    sample_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("recheck_sample.id"))
    position: Mapped[int]
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    child_version: Mapped[int]  # the version re-checked
    village_code: Mapped[str] = mapped_column(String(9))
    collector_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(String(10))  # right | wrong
    wrong_fields: Mapped[list | None] = mapped_column(JSON)  # ["child.full_name", ...]
    note: Mapped[str | None] = mapped_column(String(1000))
    checked_at: Mapped[datetime | None]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The "Cần sửa" item it sent back to the village's collector, if wrong.
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))

    sample: Mapped[RecheckSample] = relationship(back_populates="items")
