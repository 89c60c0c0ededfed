"""**Tải Excel** of the register list: the rows the list's filters select (every page, in the
page's sort), as the page shows them (restricted groups masked alike), in the administrative
layout (``fieldapp.spreadsheet.administrative``). A list larger than :data:`MAX_ROWS` is
refused with a message rather than written: a file that size is a copy of the register, not a
list to print, and building it would hold a worker for long."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from fieldapp import access, spreadsheet
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries
from fieldapp.children.models import Child
from fieldapp.clock import shown
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.text import number

MAX_ROWS = 20_000
TITLE = "DANH SÁCH TRẺ EM"
COLUMNS = (("STT", 6), ("Họ và tên", 26), ("Ngày sinh", 12), ("Giới tính", 10),
           ("Thôn/bản", 18), ("Số định danh", 15), ("Hoàn cảnh", 40), ("Trạng thái", 14))


def too_many(total: int) -> str:
    return (f"Danh sách có {number(total)} trẻ, quá {number(MAX_ROWS)} trẻ của một tệp "
            "Excel: hãy lọc thêm (theo thôn/bản, độ tuổi, hoàn cảnh …) rồi tải lại.")


def count(user, f: queries.Filters, today: date) -> int:
    query = queries.filtered(user, f, today)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def children(user, f: queries.Filters, today: date) -> list[Child]:
    """Every child the filters select (at most :data:`MAX_ROWS`), sorted as the page is."""
    columns = queries.SORTS.get(f.sort, queries.SORTS["name"])
    query = (queries.filtered(user, f, today).order_by(*columns).limit(MAX_ROWS)
             .options(selectinload(Child.circumstances), joinedload(Child.village)))
    return list(db.session.scalars(query))


def filters_line(user, f: queries.Filters, today: date) -> str:
    """"Tính đến ngày …" and the filters in words (the search said, never its text)."""
    parts = [f"Tính đến ngày {shown(today)}"]
    if f.village:
        village = db.session.scalars(access.villages(user).where(Village.code == f.village)
                                     ).first()
        parts.append(f"Thôn/bản: {village.name if village else f.village}")
    if f.sex:
        parts.append(f"Giới tính: {catalogue.label('sex', f.sex)}")
    if f.age_group:
        parts.append(f"Độ tuổi: {f.age_group}")
    if f.circumstance:
        parts.append("Hoàn cảnh: " + (catalogue.BLOCK_LABELS.get(f.circumstance)
                                      or catalogue.label("circumstance", f.circumstance)))
    if f.has_id:
        parts.append("Có số định danh" if f.has_id == "yes" else "Chưa có số định danh")
    if f.status and f.status != "all":
        parts.append(queries.STATUS_LABELS.get(f.status, f.status))
    if f.q.strip():
        parts.append("Có tìm kiếm")
    return " · ".join(parts)


def workbook(rows: list[Child], user, *, commune: str, line: str, today: date) -> bytes:
    """The list as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách trẻ em"
    spreadsheet.administrative(
        sheet, authority=spreadsheet.committee(commune), title=TITLE, period=line,
        place=spreadsheet.place_name(commune), day=today, columns=COLUMNS,
        rows=(_row(n, child, user, today) for n, child in enumerate(rows, start=1)),
        landscape=True, total=f"Tổng số: {len(rows)} trẻ")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _row(number: int, child: Child, user, today: date) -> tuple:
    groups = [queries.group_text(c) for c in queries.circumstances(child, user, open_only=True)]
    return (number, child.full_name, child.date_of_birth, catalogue.label("sex", child.sex),
            child.village.name, child.personal_id or "Chưa có", "\n".join(groups),
            queries.STATUS_LABELS[queries.status(child)])


def filename(today: date) -> str:
    return f"danh-sach-tre-em-{today:%Y%m%d}.xlsx"
