from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import Base, utcnow


class Province(Base):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(40))


class Commune(Base):
    __tablename__ = "commune"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(40))
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), index=True)

    province: Mapped[Province] = relationship()


class Village(Base):
    """A thôn, bản, tổ dân phố or tiểu khu; code is ``<commune>-NNN`` (local)."""

    __tablename__ = "village"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commune: Mapped[Commune] = relationship()

    @property
    def province_code(self) -> str:
        return self.commune.province_code
