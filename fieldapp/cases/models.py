"""A case (Hồ sơ vụ việc) and its steps, each a record kept for good (issue 16 §1)."""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import Base, utcnow
from fieldapp.places.models import Commune


class Case(Base):
    """One report about one child of one commune, and where its handling stands (``state``,
    ``cases.machine``). The child is a register child (``child_id``) or one not yet in the
    register, described by name, sex, birth date or estimated age and village, linked to a
    register child later. The fields of step 1 (Mẫu 01) are kept here; each later step is a
    :class:`CaseStep`."""

    __tablename__ = "protection_case"
    __table_args__ = (Index("ix_protection_case_commune_state", "commune_code", "state"),
                      Index("ux_protection_case_submission", "submission_id", unique=True))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"))
    state: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(20))
    reporter_name: Mapped[str] = mapped_column(String(200), default="")
    reporter_phone: Mapped[str] = mapped_column(String(20), default="")
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    child_name: Mapped[str] = mapped_column(String(200), default="")
    child_sex: Mapped[str | None] = mapped_column(String(1))
    child_born: Mapped[date | None]
    child_age: Mapped[int | None] = mapped_column(Integer)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("village.code"))
    situation: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    child_state: Mapped[str] = mapped_column(Text, default="")
    current_carer: Mapped[str] = mapped_column(Text, default="")
    actions_taken: Mapped[str] = mapped_column(Text, default="")
    risk: Mapped[str | None] = mapped_column(String(12))  # from the initial assessment
    emergency: Mapped[bool] = mapped_column(default=False)
    # A report from the field (issue 16 §3): the phone's submission, whether the reporter
    # called it urgent, when the reporter saw it, when the report was made on the phone.
    submission_id: Mapped[uuid.UUID | None]
    urgent: Mapped[bool] = mapped_column(default=False)
    seen_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    commune: Mapped[Commune] = relationship()
    steps: Mapped[list["CaseStep"]] = relationship(
        back_populates="case", order_by="CaseStep.id", cascade="all")


class CaseStep(Base):
    """One step taken on a case: which (``cases.machine.STEPS``), by whom, when, and the
    form's content (``data``). Appended, never changed or deleted."""

    __tablename__ = "case_step"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("protection_case.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="steps")
