"""Submissions from the field: one per saved form on a phone, kept until an officer decides.

The phone makes the UUID, so it is the primary key: two identical submissions racing in
parallel can store only one row. A resend with other content under the same UUID is kept
aside as a :class:`SubmissionConflict`, never dropped.
"""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db import Base, utcnow

REPORT = "protection_report"  # a child at risk reported from the field: it opens a case
KINDS = ("child", REPORT)
# A child: received → approved | returned | rejected; returned → superseded (by its
# correction). A report is acknowledged at once: its case is the officer's, never the
# reporter's, and nobody reviews it here.
STATES = {
    "received": "Chờ duyệt",
    "approved": "Đã duyệt",
    "returned": "Cần sửa",
    "rejected": "Bị từ chối",
    "superseded": "Đã sửa lại",
    "acknowledged": "Đã tiếp nhận",
}
FINAL_STATES = ("approved", "rejected", "superseded", "acknowledged")


class Submission(Base):
    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_user_updated", "user_id", "updated_at"),
        # What a user's phones sent since a time (devices: the detector's rule 2).
        Index("ix_submission_user_received", "user_id", "received_at"),
        Index("ix_submission_commune_state", "commune_code", "state", "received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made on the phone
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    commune_code: Mapped[str] = mapped_column(String(5))
    village_code: Mapped[str] = mapped_column(String(9))
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    base_version: Mapped[int | None]
    # The child's version in the register when the update arrived; stale if base is behind.
    register_version: Mapped[int | None]
    stale: Mapped[bool] = mapped_column(default=False)
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))
    captured_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="received")
    content_hash: Mapped[str] = mapped_column(String(64))
    # The snapshot exactly as the phone sent it (DOMAIN §4 field names, API shape).
    data: Mapped[dict] = mapped_column(JSON)
    warnings: Mapped[dict | None] = mapped_column(JSON)
    token_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_token.id"))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(String(1000))  # the officer's note or reason
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    conflicts: Mapped[list["SubmissionConflict"]] = relationship(
        back_populates="submission", order_by="SubmissionConflict.received_at"
    )


class SubmissionConflict(Base):
    """Another content sent under a submission's UUID: kept for the officer to compare."""

    __tablename__ = "submission_conflict"
    __table_args__ = (UniqueConstraint("submission_id", "content_hash"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submission.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    captured_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    content: Mapped[dict] = mapped_column(JSON)  # the whole item as sent

    submission: Mapped[Submission] = relationship(back_populates="conflicts")


class SubmissionPair(Base):
    """A probable duplicate of a waiting new child (``submission_id``): a register child
    (``child_id``) or another waiting new child (``other_id``, two collectors registering one
    child; such twins are stored both ways). Kept up to date when submissions arrive or are
    decided and when the register changes (``collection.pairs``), so that the inbox's filter
    and the bulk approval read them; ``score`` and ``reasons`` as ``children.matching`` gave."""

    __tablename__ = "submission_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submission.id"), index=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    other_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"), index=True)
    score: Mapped[int]
    reasons: Mapped[list] = mapped_column(JSON)
