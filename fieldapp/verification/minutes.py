"""The handover minutes (biên bản bàn giao) of a finished batch: a printable PDF to sign.

fpdf2 with the app's Unicode font (``fieldapp.pdf``).
"""

from fpdf import FPDF
from fpdf.fonts import FontFace

from fieldapp.clock import VIETNAM
from fieldapp.extensions import db
from fieldapp.pdf import A4, FONT, add_fonts, state_heading
from fieldapp.places.models import Commune
from fieldapp.verification import identity
from fieldapp.verification.models import VerificationBatch

HEADINGS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn/bản",
            "Số định danh đã xác thực", "Ghi chú")
WIDTHS = (12, 58, 24, 20, 42, 40, 81)  # mm, A4 landscape less the margins (277)





def render(batch: VerificationBatch, villages: dict[str, str], people: dict) -> bytes:
    """The minutes of ``batch`` as PDF bytes.

    :param villages: village code → name; :param people: user id → user (both signers).
    """
    pdf = A4(batch.title, landscape=True)
    add_fonts(pdf)
    pdf.add_page()
    commune = _commune(batch)
    kind = commune.division_type if commune else "xã"  # xã, phường or đặc khu
    _heading(pdf, batch, commune, kind)
    _table(pdf, batch, villages)
    _signatures(pdf, kind, people.get(batch.finished_by_id), people.get(batch.created_by_id))
    return bytes(pdf.output())


def _commune(batch: VerificationBatch) -> Commune | None:
    return db.session.get(Commune, batch.commune_code)


def _day(moment) -> str:
    local = moment.astimezone(VIETNAM)
    return f"ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"


def _heading(pdf: FPDF, batch: VerificationBatch, commune, kind: str) -> None:
    name = commune.name if commune else batch.commune_code
    province = commune.province.name if commune and commune.province else ""
    state_heading(pdf, name, "BIÊN BẢN BÀN GIAO", left=110, right=120)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, "Kết quả xác thực số định danh cá nhân của trẻ em", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, batch.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    counts = {key: sum(item.outcome == key for item in batch.items)
              for key in ("verified", "corrected", "not_found")}
    place = f"{name}, {province}" if province else name
    pdf.multi_cell(0, 6, (
        f"Hôm nay, {_day(batch.finished_at)}, tại {place}, Công an {kind} và công chức làm "
        f"công tác trẻ em {kind} bàn giao kết quả đối chiếu với Cơ sở dữ liệu quốc gia về "
        f"dân cư của {len(batch.items)} trẻ em trong danh sách gửi {_day(batch.created_at)}: "
        f"đã xác thực {counts['verified']}, đã xác thực có sửa thông tin "
        f"{counts['corrected']}, không tìm thấy {counts['not_found']}."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _row(item, villages: dict[str, str]) -> tuple[str, ...]:
    found = identity.after(item.sent, item.corrections)
    notes = [f"Sửa {identity.label(key, item.sent).lower()}: "
             f"{identity.shown(key, identity.flat(item.sent).get(key))} → "
             f"{identity.shown(key, value)}"
             for key, value in (item.corrections or {}).items()]
    if item.note:
        notes.append(item.note)
    number = "Không tìm thấy" if item.outcome == "not_found" else (item.verified_id or "")
    return (str(item.position), found["full_name"],
            identity.shown("date_of_birth", found["date_of_birth"]),
            identity.shown("sex", found["sex"]),
            villages.get(found["village_code"], found["village_code"]), number,
            "; ".join(notes))


def _table(pdf: FPDF, batch: VerificationBatch, villages: dict[str, str]) -> None:
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS), line_height=5, text_align="LEFT",
                   headings_style=FontFace(emphasis="BOLD"), repeat_headings=1,
                   padding=1) as table:
        table.row(HEADINGS)
        for item in batch.items:
            table.row(_row(item, villages))
    pdf.ln(6)


def _signatures(pdf: FPDF, kind: str, police, officer) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    for column, (who, person) in enumerate(((f"ĐẠI DIỆN CÔNG AN {kind.upper()}", police),
                                            ("CÔNG CHỨC LÀM CÔNG TÁC TRẺ EM", officer))):
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(half, 6, who, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
        pdf.ln(22)
        pdf.set_x(pdf.l_margin + column * half)
        name = (person.full_name or person.username) if person is not None else ""
        pdf.set_font(FONT, "B", 11)
        pdf.cell(half, 6, name, align="C")
