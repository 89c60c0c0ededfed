import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp import roles
from fieldapp.db import Base, utcnow
from fieldapp.places.models import Commune, Province, Village

user_village = Table(
    "user_village",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("village_code", ForeignKey("village.code"), primary_key=True),
)


class User(Base):
    """A personal account with one role and its places (DOMAIN §2)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"), index=True)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    province: Mapped[Province | None] = relationship()
    commune: Mapped[Commune | None] = relationship()
    villages: Mapped[list[Village]] = relationship(
        secondary=user_village, order_by=Village.code
    )

    # Flask-Login reads these. The id it keeps in the cookie is the login session's token,
    # set by auth.sessions when the session starts or is loaded, never the user's id.
    is_authenticated = True
    is_anonymous = False
    session_token = None  # str, set per request; not a column

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def shown_name(self) -> str:
        """The person as pages name them: "Nguyễn Văn An (an.nv)"."""
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    @property
    def role_label(self) -> str:
        return roles.LABELS.get(self.role, self.role)

    @property
    def village_codes(self) -> set[str]:
        return {v.code for v in self.villages}

    @property
    def is_office(self) -> bool:
        return self.role in roles.OFFICE


class LoginSession(Base):
    """A server-side login session: its token is what the signed cookie carries.

    Ending the row ends the session at once (logout, deactivation, password reset).
    """

    __tablename__ = "login_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed logins per username, whether or not the account exists."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(50), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]


class ApiToken(Base):
    """A revocable bearer token for one device or script; only its hash is kept.

    The owner or their commune officer revokes it when a phone is lost ("mất máy").
    """

    __tablename__ = "api_token"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    device_name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Why: "device" (one revoked), "lost" (mất máy), "deactivated", "password_reset",
    # "password_changed". Only a token ended with its account still answers 403 ``inactive``.
    revoked_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RateLimitHit(Base):
    """One counted request of a rate limit (auth/limit_storage.py): the per-address limit on
    password attempts, shared by every worker through the database."""

    __tablename__ = "rate_limit_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
