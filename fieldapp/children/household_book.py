"""**In sổ theo dõi**: the household child book (*Sổ theo dõi trẻ em trong hộ gia đình*, the
plans' paper book) of one household as a printable A4 PDF: the state heading, the places, the
household, then each child (active first; closed ones say why and when) with caregivers,
circumstances, support and schooling, the printing date and the signature lines.

Circumstances and support are read through ``children.queries`` as the printing user may see
them, as on screen: a role that sees "hạn chế" on the page gets "hạn chế" on paper. Each
print is audited: ``household_printed`` on the household, and a ``child_exported`` for each
child printed, so that each child's "Ai đã xem, xuất hồ sơ" lists it.
"""

from datetime import date, datetime

from fpdf import FPDF

from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries, record
from fieldapp.children.models import CLOSE_REASONS, Child, Household
from fieldapp.children.record_pdf import money
from fieldapp.clock import VIETNAM, shown
from fieldapp.extensions import db
from fieldapp.pdf import A4, FONT, add_fonts, signatures, state_heading
from fieldapp.pdf import facts as _facts
from fieldapp.pdf import line as _line
from fieldapp.pdf import section as _section
from fieldapp.pdf import subtitle as _subtitle
from fieldapp.pdf import table as _table
from fieldapp.places.models import Commune

TITLE = "SỔ THEO DÕI TRẺ EM TRONG HỘ GIA ĐÌNH"
ORDER = {"active": 0, "over_age": 1, "closed": 2}





def children_of(household: Household, reader) -> list[Child]:
    """The household's children ``reader`` may see, active first, then those over 16, then the
    closed ones; a record merged into another (a duplicate) is not a child of the book."""
    rows = [c for c in queries.in_household(reader, household.id) if c.closed_reason != "merged"]
    return sorted(rows, key=lambda c: (ORDER[queries.status(c)], c.date_of_birth))


def render(household: Household, children: list[Child], reader, now: datetime) -> bytes:
    """The book of ``household`` (its ``children`` as :func:`children_of` gives them) printed
    by ``reader`` at ``now``, as PDF bytes."""
    pdf = A4("Sổ theo dõi trẻ em trong hộ gia đình — tài liệu chứa dữ liệu cá nhân")
    add_fonts(pdf)
    pdf.add_page()
    _heading(pdf, household)
    _household(pdf, household, len(children))
    if not children:
        _line(pdf, "Hộ chưa có trẻ em nào trong sổ.")
    for number, child in enumerate(children, start=1):
        _child(pdf, number, child, reader, now.astimezone(VIETNAM).date())
    _signatures(pdf, reader, now)
    return bytes(pdf.output())


def filename(household: Household, now: datetime) -> str:
    """``so-theo-doi-ho-<first 8 of the id>-<yyyymmdd>.pdf``: no name in it."""
    return f"so-theo-doi-ho-{str(household.id)[:8]}-{now.astimezone(VIETNAM):%Y%m%d}.pdf"


def note_printed(actor, household: Household, children: list[Child],
                 address: str | None = None) -> None:
    """Audit one print of the book: ids and counts only, no personal data."""
    audit(actor, "household_printed", "household", household.id,
          commune_code=household.commune_code, address=address,
          detail={"format": "pdf", "children": len(children)})
    for child in children:
        audit(actor, "child_exported", "child", child.id, commune_code=child.commune_code,
              address=address, detail={"format": "pdf", "household_book": str(household.id)})


def _heading(pdf: FPDF, household: Household) -> None:
    commune = db.session.get(Commune, household.commune_code)
    name = commune.name if commune else household.commune_code
    state_heading(pdf, name, TITLE)
    pdf.set_font(FONT, "", 10)
    province = commune.province.name if commune and commune.province else ""
    places = [f"Tỉnh/thành phố: {province}" if province else "",
              f"Xã/phường: {name}", f"Thôn/bản: {household.village.name}"]
    pdf.cell(0, 6, " · ".join(p for p in places if p), align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _household(pdf: FPDF, household: Household, count: int) -> None:
    _section(pdf, "I. Hộ gia đình")
    _facts(pdf, [
        (record.label("household.head_name"), household.head_name),
        (record.label("household.address"), household.address),
        (record.label("child.village"), f"{household.village.name} ({household.village_code})"),
        (record.label("household.poverty_status"),
         catalogue.label("poverty_status", household.poverty_status)),
        ("Số trẻ em trong sổ", str(count)),
    ])
    _section(pdf, "II. Trẻ em trong hộ")


def _child(pdf: FPDF, number: int, child: Child, reader, today: date) -> None:
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 11)
    status = queries.status(child)
    pdf.multi_cell(0, 6, f"{number}. {child.full_name} — {queries.STATUS_LABELS[status]}",
                   new_x="LMARGIN", new_y="NEXT")
    facts = [
        (record.label("child.full_name"), child.full_name),
        (record.label("child.date_of_birth"),
         f"{shown(child.date_of_birth)} ({queries.age_shown(child.date_of_birth, today)})"),
        (record.label("child.sex"), catalogue.label("sex", child.sex)),
        (record.label("child.ethnicity_code"),
         f"{child.ethnicity_code} · {catalogue.label('ethnicity', child.ethnicity_code)}"),
        (record.label("child.personal_id"), child.personal_id or "Chưa có"),
        (record.label("child.schooling_status"),
         catalogue.label("schooling_status", child.schooling_status)
         if child.schooling_status else "Không rõ"),
    ]
    if child.school_left_level or child.school_left_on:
        facts.append(("Bỏ học", ", ".join(filter(None, (
            catalogue.label("school_level", child.school_left_level)
            if child.school_left_level else "",
            f"ngày {shown(child.school_left_on)}" if child.school_left_on else "")))))
    if child.current_residence:
        facts.append((record.label("child.current_residence"), child.current_residence))
    if child.closed_on is not None:
        facts.append(("Đóng hồ sơ", f"{CLOSE_REASONS.get(child.closed_reason, '')}, ngày "
                                    f"{shown(child.closed_on)}"))
    _facts(pdf, facts)
    _subtitle(pdf, "Người nuôi dưỡng")
    _table(pdf, (40, 90, 50), ("Quan hệ", "Họ tên", "Điện thoại"),
           [(catalogue.label("caregiver_relation", c.relation), c.full_name, c.phone)
            for c in child.caregivers], "Không có người nuôi dưỡng.")
    _subtitle(pdf, "Hoàn cảnh")
    _table(pdf, (70, 24, 24, 62), ("Nhóm", "Từ ngày", "Đến ngày", "Chi tiết"),
           [(queries.group_text(c), _day(c["since"]), _day(c["until"]), ", ".join(c["details"]))
            for c in queries.circumstances(child, reader)], "Không có hoàn cảnh nào được ghi.")
    _subtitle(pdf, "Trợ giúp đã nhận")
    _table(pdf, (56, 34, 56, 34), ("Hình thức", "Ngày", "Đơn vị", "Số tiền (đồng)"),
           [(f"{s.form} · {catalogue.label('support_form', s.form)}",
             _day(s.given_on) + (f" đến {_day(s.until)}" if s.until else ""),
             s.provider, money(s.amount_vnd)) for s in queries.supports(child, reader)],
           "Chưa có trợ giúp nào được ghi.")


def _signatures(pdf: FPDF, reader, now: datetime) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(4)
    local = now.astimezone(VIETNAM)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, f"In ngày {shown(now)} · Người in: {reader.full_name or reader.username}",
             new_x="LMARGIN", new_y="NEXT")
    signatures(pdf, f"…………, ngày {local.day:02d} tháng {local.month:02d} năm {local.year}",
               ("ĐẠI DIỆN HỘ GIA ĐÌNH", "TRƯỞNG THÔN/BẢN HOẶC CỘNG TÁC VIÊN"), space=35)












def _day(value: date | None) -> str:
    return shown(value) if value else "—"


