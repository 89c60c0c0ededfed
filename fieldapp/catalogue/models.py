from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.db import Base


class CodeItem(Base):
    """One entry of one code list.

    ``parent`` links a detail option to its circumstance (disability type → ``DB04``);
    ``block`` groups circumstances (``DB`` đặc biệt, ``NC`` nguy cơ, ``K`` khác).
    """

    __tablename__ = "code_item"

    list_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    restricted: Mapped[bool] = mapped_column(default=False)
    block: Mapped[str | None] = mapped_column(String(4))
    parent: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
