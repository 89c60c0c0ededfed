import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import Base, utcnow
from fieldapp.places.models import Commune, Village

CLOSE_REASONS = {
    "moved_away": "Chuyển đi nơi khác",
    "died": "Đã mất",
    "merged": "Trùng, đã gộp vào hồ sơ khác",
}
# Support that goes on until ended (DOMAIN §4): trợ giúp thường xuyên (the monthly allowance)
# and tư vấn, trị liệu tâm lý (a course of sessions, Decree 56); the other forms are one-off.
ONGOING_SUPPORT = ("TG05", "TG06")
SOURCES = {
    "officer_edit": "Cán bộ xã sửa",
    "submission": "Duyệt phiếu thu thập",
    "police": "Công an xác thực",
    "system": "Hệ thống",
    "transfer": "Chuyển xã",
    "import": "Nhập từ tệp",
}
TRANSFER_STATES = {
    "pending": "Đang chờ tiếp nhận",
    "accepted": "Đã tiếp nhận",
    "refused": "Bị từ chối",
    "cancelled": "Đã huỷ",
}


class Household(Base):
    """A hộ gia đình, the unit of the paper book."""

    __tablename__ = "household"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"), index=True)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    head_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    poverty_status: Mapped[str] = mapped_column(String(10), default="none")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    village: Mapped[Village] = relationship()
    children: Mapped[list["Child"]] = relationship(
        back_populates="household", order_by="Child.date_of_birth"
    )


class Child(Base):
    """A child under 16 (DOMAIN §4). ``version`` grows with every change; never deleted."""

    __tablename__ = "child"
    __table_args__ = (
        Index("ix_child_commune_name", "commune_code", "name_key", "id"),
        Index("ix_child_commune_born", "commune_code", "date_of_birth", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"), index=True)
    commune_code: Mapped[str] = mapped_column(String(5))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    personal_id: Mapped[str | None] = mapped_column(String(12), index=True)
    full_name: Mapped[str] = mapped_column(String(100))
    # Folded for search: lower case, no diacritics, đ → d (see children.search.fold).
    name_key: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(1))
    date_of_birth: Mapped[date]
    ethnicity_code: Mapped[str] = mapped_column(String(2))
    nationality: Mapped[str] = mapped_column(String(2), default="VN")
    current_residence: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    schooling_status: Mapped[str | None] = mapped_column(String(4))
    # Of a child who dropped out (HT07): the level left (school_level) and when; else None.
    school_left_level: Mapped[str | None] = mapped_column(String(10))
    school_left_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    closed_note: Mapped[str | None] = mapped_column(String(500))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship(back_populates="children")
    village: Mapped[Village] = relationship()
    caregivers: Mapped[list["Caregiver"]] = relationship(
        back_populates="child", order_by="Caregiver.position", cascade="all, delete-orphan"
    )
    circumstances: Mapped[list["Circumstance"]] = relationship(
        back_populates="child", order_by="(Circumstance.since, Circumstance.created_at)",
        cascade="all, delete-orphan",
    )
    support: Mapped[list["SupportRecord"]] = relationship(
        back_populates="child", order_by="(SupportRecord.given_on, SupportRecord.created_at)",
        cascade="all, delete-orphan",
    )


class Caregiver(Base):
    """A người nuôi dưỡng: father, mother, guardian or other caregiver."""

    __tablename__ = "caregiver"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    relation: Mapped[str] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(100))
    personal_id: Mapped[str | None] = mapped_column(String(12))
    phone: Mapped[str | None] = mapped_column(String(15))

    child: Mapped[Child] = relationship(back_populates="caregivers")


class Circumstance(Base):
    """A child's membership of a group, effective-dated: ``since`` to ``until`` (open)."""

    __tablename__ = "circumstance"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    since: Mapped[date]
    until: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    confirmed_on: Mapped[date | None]
    # Orders rows of the same date stably, so history paths (circumstances.N) keep meaning.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child] = relationship(back_populates="circumstances")


class SupportRecord(Base):
    """Support received (hình thức trợ giúp): an event on ``given_on``; an ongoing form
    (``ONGOING_SUPPORT``, a monthly allowance) runs from then until ``until`` (open while
    ``None``), confirmed by the periodic review on ``confirmed_on``."""

    __tablename__ = "support_record"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    form: Mapped[str] = mapped_column(String(10))
    given_on: Mapped[date]
    provider: Mapped[str] = mapped_column(String(200), default="")
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
    until: Mapped[date | None]
    confirmed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child] = relationship(back_populates="support")


class ChildChange(Base):
    """One change of a child: who, when, through what, and each field's old and new value."""

    __tablename__ = "child_change"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    version: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    # [{"field": "child.full_name", "old": ..., "new": ...}, ...]
    changes: Mapped[list] = mapped_column(JSON)

    @property
    def shown(self) -> list[dict]:
        """The changes a person reads: rows' ids left out."""
        return [item for item in self.changes or [] if not item["field"].endswith(".id")]


class DuplicatePair(Base):
    """Two register children the matcher (``children.matching``) calls probable duplicates,
    kept up to date as the register changes (``children.pairs``), so that the list of
    duplicates and its count are reads. Stored in one order (``child_a_id < child_b_id``, as
    ``quality``'s "not the same child" decisions); closed, over-age and dismissed pairs are
    left out when read, not here."""

    __tablename__ = "duplicate_pair"
    __table_args__ = (UniqueConstraint("child_a_id", "child_b_id"),
                      CheckConstraint("child_a_id < child_b_id", name="ordered"))

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    child_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    child_b_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    score: Mapped[int]


class ChildTransfer(Base):
    """A child sent from one commune to another (``children.transfers``). The sending record
    (``child_id``) stays the sender's; on acceptance the receiver gets a new record
    (``received_child_id``) and the sender's is closed. At most one pending per child."""

    __tablename__ = "child_transfer"
    __table_args__ = (
        Index("ix_child_transfer_to_status", "to_commune_code", "status"),
        Index("uq_child_transfer_pending", "child_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    from_commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"), index=True)
    to_commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"))
    requested_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    moved_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    received_child_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("child.id"), unique=True)

    child: Mapped[Child] = relationship(foreign_keys=[child_id])
    from_commune: Mapped[Commune] = relationship(foreign_keys=[from_commune_code])
    to_commune: Mapped[Commune] = relationship(foreign_keys=[to_commune_code])


class Consent(Base):
    """Who consented (or refused) to what, and when (DOMAIN §9, issue 14 §2.3): a guardian,
    a parent, or the child itself from age 7. Never deleted: withdrawn on a date."""

    __tablename__ = "consent"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    person: Mapped[str] = mapped_column(String(10))  # consent_person code
    person_name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(10))  # consent_purpose code
    purpose_other: Mapped[str] = mapped_column(String(200), default="")
    given: Mapped[bool]  # False: refused
    given_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_on: Mapped[date | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    child: Mapped[Child] = relationship()


class ChildImport(Base):
    """A spreadsheet a commune officer uploaded to import children (``children.imports``),
    kept between its preview and the officer's confirmation: in the database, because
    gunicorn's workers share no memory. Personal data: read by its uploader only, named by
    an opaque id, deleted when confirmed or discarded, and after :data:`children.imports.KEPT`
    (a day) by the next import page that anyone opens."""

    __tablename__ = "child_import"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    commune_code: Mapped[str] = mapped_column(String(5))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The officer's choices: the sheet, each column's field, the default village.
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    # The last preview as shown (counts, problems, duplicates, its fingerprint).
    preview: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ChildPeriod(Base):
    """What the register knew of a child from ``recorded_from`` until ``recorded_until``
    (open while ``None``): system time, written by ``children.periods`` in the transaction
    of each change, for reports as known at a moment (ARCHITECTURE decision 10, issue 15)."""

    __tablename__ = "child_period"
    __table_args__ = (
        Index("ix_child_period_commune_from", "commune_code", "recorded_from"),
        Index("ix_child_period_province_from", "province_code", "recorded_from"),
        Index("uq_child_period_open", "child_id", unique=True,
              sqlite_where=text("recorded_until IS NULL"),
              postgresql_where=text("recorded_until IS NULL")),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    commune_code: Mapped[str] = mapped_column(String(5))
    province_code: Mapped[str] = mapped_column(String(2))
    village_code: Mapped[str] = mapped_column(String(9))
    sex: Mapped[str] = mapped_column(String(1))
    date_of_birth: Mapped[date]
    ethnicity_code: Mapped[str] = mapped_column(String(2))
    has_personal_id: Mapped[bool]
    schooling_status: Mapped[str | None] = mapped_column(String(4))
    school_left_level: Mapped[str | None] = mapped_column(String(10))
    school_left_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    recorded_from: Mapped[datetime]
    recorded_until: Mapped[datetime | None]


class MembershipPeriod(Base):
    """What the register knew of one circumstance (``kind`` 'circumstance', ``code`` its
    code) or support row (``kind`` 'support', ``code`` its form, ``since`` its given_on) of
    a child from ``recorded_from`` until ``recorded_until``; see :class:`ChildPeriod`. It
    repeats the child's period columns of that time (from ``commune_code`` on: a change of
    either starts a new period), so a report groups the rows without a join."""

    __tablename__ = "membership_period"
    __table_args__ = (
        Index("ix_membership_period_code_from", "code", "recorded_from"),
        Index("ix_membership_period_commune_from", "commune_code", "recorded_from"),
        Index("ix_membership_period_province_from", "province_code", "recorded_from"),
        Index("uq_membership_period_open", "kind", "row_id", unique=True,
              sqlite_where=text("recorded_until IS NULL"),
              postgresql_where=text("recorded_until IS NULL")),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    row_id: Mapped[uuid.UUID]
    code: Mapped[str] = mapped_column(String(10))
    detail: Mapped[dict | None] = mapped_column(JSON)
    since: Mapped[date]
    until: Mapped[date | None]
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    recorded_from: Mapped[datetime]
    recorded_until: Mapped[datetime | None]
    # The child's period columns while this period was valid (None only for a row whose child
    # had no period then: none since migration 0017).
    commune_code: Mapped[str | None] = mapped_column(String(5))
    province_code: Mapped[str | None] = mapped_column(String(2))
    village_code: Mapped[str | None] = mapped_column(String(9))
    sex: Mapped[str | None] = mapped_column(String(1))
    date_of_birth: Mapped[date | None]
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    has_personal_id: Mapped[bool | None]
    schooling_status: Mapped[str | None] = mapped_column(String(4))
    school_left_level: Mapped[str | None] = mapped_column(String(10))
    closed_on: Mapped[date | None]
