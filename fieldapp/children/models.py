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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import Base, utcnow
from fieldapp.places.models import Village

CLOSE_REASONS = {
    "moved_away": "Chuyển đi nơi khác",
    "died": "Đã mất",
    "merged": "Trùng, đã gộp vào hồ sơ khác",
}
SOURCES = {
    "officer_edit": "Cán bộ xã sửa",
    "submission": "Duyệt phiếu thu thập",
    "police": "Công an xác thực",
    "system": "Hệ thống",
    "import": "Nhập từ tệp",
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
    """Support received (hình thức trợ giúp)."""

    __tablename__ = "support_record"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    form: Mapped[str] = mapped_column(String(10))
    given_on: Mapped[date]
    provider: Mapped[str] = mapped_column(String(200), default="")
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
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
