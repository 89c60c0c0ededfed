"""The numbers and dates that may change with the rules in force (issue 14 §1.5): the age
limit, the review period, the re-check share (national), and the report calendar's dates
(per province, issue 15 §2)."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.db import Base, utcnow


class Setting(Base):
    """A value that differs from its declared default (``settings.services.DECLARED``); a
    setting never changed has no row."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProvinceSetting(Base):
    """A province's value of a setting declared per province (the report calendar's dates,
    issue 15 §2) that differs from the default; a province without a row keeps the default."""

    __tablename__ = "province_setting"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarDay(Base):
    """A day the government declared otherwise than Vietnam's usual calendar (weekends,
    public holidays and Tết, from the ``holidays`` library): a day off (``working`` False)
    or a working day (True: a Saturday worked in exchange for a bridge day). The admin adds
    them as they are announced; ``fieldapp.workdays`` reads them before the library."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    working: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
