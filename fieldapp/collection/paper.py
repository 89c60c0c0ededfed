"""The blank collection sheet (*Phiếu thu thập thông tin trẻ em*) for places where even a phone
cannot go: an A4 PDF with the record's fields (``children.record``) as boxes to fill, a few
child blocks per household, and the code lists (``catalogue``) as tables so that a collector
writes a code, which the officer then enters. The commune and village are printed in when
known. It holds no personal data: anyone who collects may print it."""

from fpdf import FPDF

from fieldapp.catalogue import services as catalogue
from fieldapp.children import record
from fieldapp.children.validators import age_limit
from fieldapp.pdf import A4, BOLD, FONT, WIDTH, add_fonts, signatures, state_heading
from fieldapp.pdf import section as _section
from fieldapp.pdf import subtitle as _subtitle
from fieldapp.places.models import Commune, Village

TITLE = "PHIẾU THU THẬP THÔNG TIN TRẺ EM"
BOX = "☐"
BLANK = "……………"
CHILDREN = 3  # child blocks per household, unless asked otherwise
MOST_CHILDREN = 6
DETAILS = (("disability_type", "Dạng khuyết tật (DB04)"),
           ("disability_level", "Mức độ khuyết tật (DB04)"),
           ("risk_reason", "Lý do có nguy cơ (NC01)"),
           ("injury_cause", "Nguyên nhân tai nạn thương tích (K02, K03)"))





def render(commune: Commune | None, village: Village | None, children: int = CHILDREN) -> bytes:
    """The blank sheet as PDF bytes, ``commune`` and ``village`` printed in when given."""
    pdf = A4("Phiếu thu thập thông tin trẻ em — khi đã ghi, giữ kín như hồ sơ")
    add_fonts(pdf)
    pdf.add_page()
    _heading(pdf, commune, village)
    _household(pdf)
    for number in range(1, children + 1):
        _child(pdf, number)
    _signatures(pdf)
    pdf.add_page()
    _codes(pdf)
    return bytes(pdf.output())


def filename(commune: Commune | None, village: Village | None) -> str:
    place = village.code if village else (commune.code if commune else "")
    return f"phieu-thu-thap-trang{'-' + place if place else ''}.pdf"


def _heading(pdf: FPDF, commune: Commune | None, village: Village | None) -> None:
    state_heading(pdf, commune.name if commune else "XÃ " + BLANK, TITLE)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, "(Sổ theo dõi trẻ em trong hộ gia đình: dùng nơi không nhập được trên "
                         "điện thoại; công chức xã nhập lại vào hệ thống)", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    province = commune.province.name if commune and commune.province else BLANK
    _facts(pdf, [
        [("Tỉnh/thành phố", province),
         ("Xã/phường", f"{commune.name} (mã {commune.code})" if commune else BLANK)],
        [(record.label("child.village"),
          f"{village.name} (mã {village.code})" if village else BLANK)],
        [("Ngày thu thập", "……/……/…………"), ("Người thu thập", "")],
    ])


def _household(pdf: FPDF) -> None:
    _section(pdf, "I. Hộ gia đình")
    _facts(pdf, [
        [(record.label("household.head_name"), "")],
        [(record.label("household.address"), "")],
        [(record.label("household.poverty_status"), _boxes("poverty_status"))],
    ])
    _section(pdf, f"II. Trẻ em trong hộ (mỗi trẻ dưới {age_limit()} tuổi một khung)")


def _child(pdf: FPDF, number: int) -> None:
    if pdf.get_y() > pdf.h - 165:  # a child's block starts on the page that can hold it
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, f"Trẻ thứ {number}", new_x="LMARGIN", new_y="NEXT")
    _facts(pdf, [
        [(record.label("child.full_name"), "")],
        [(record.label("child.sex"), _boxes("sex", codes=True)),
         (record.heading("child.date_of_birth"), "……/……/…………")],
        [(f"{record.label('child.ethnicity_code')} (mã, bảng 1)", ""),
         (record.label("child.nationality"), f"{BOX} Việt Nam  {BOX} Khác: ………")],
        [(f"{record.label('child.personal_id')} (12 số)", " ".join([BOX] * 12)),
         (f"{record.heading('child.schooling_status')} (mã, bảng 2)", "")],
        [(record.label("child.current_residence"), "")],
        [(record.label("child.address"), "")],
    ])
    _subtitle(pdf, f"{record.ROWS['caregivers']} (cha, mẹ, người giám hộ hoặc người chăm sóc)",
              keep=45)
    _blank_table(pdf, (35, 60, 45, 40), [
        f"{record.label('caregivers.relation')} (bảng 6)", record.label("caregivers.full_name"),
        record.label("caregivers.personal_id"), record.label("caregivers.phone")], 2)
    _subtitle(pdf, record.ROWS["circumstances"], keep=45)
    _blank_table(pdf, (30, 28, 28, 50, 44), [
        f"{record.label('circumstances.code')} (mã, bảng 3)",
        record.label("circumstances.since"), record.label("circumstances.until"),
        f"{record.label('circumstances.detail')} (mã, bảng 4)",
        record.label("circumstances.note")], 3)
    _subtitle(pdf, record.ROWS["supports"], keep=45)
    _blank_table(pdf, (30, 28, 50, 30, 42), [
        f"{record.label('supports.code')} (mã, bảng 5)", record.label("supports.date"),
        record.label("supports.provider"), record.label("supports.amount"),
        record.label("supports.note")], 2)


def _signatures(pdf: FPDF) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(4)
    signatures(pdf, f"{BLANK}, ngày …… tháng …… năm …………",
               ("NGƯỜI CUNG CẤP THÔNG TIN", "NGƯỜI THU THẬP"))


def _codes(pdf: FPDF) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, "BẢNG MÃ DÙNG KHI GHI PHIẾU", align="C", new_x="LMARGIN", new_y="NEXT")
    _section(pdf, f"Bảng 1. {record.label('child.ethnicity_code')}")
    _grid(pdf, [f"{c.code} {c.label}" for c in catalogue.items("ethnicity")], 4)
    _section(pdf, f"Bảng 2. {record.label('child.schooling_status')}")
    _grid(pdf, [f"{c.code} {c.label}" for c in catalogue.items("schooling_status")], 2)
    _section(pdf, "Bảng 3. Nhóm hoàn cảnh")
    circumstances = catalogue.items("circumstance")
    _pairs(pdf, [(c.code + ("*" if c.restricted else ""),
                  f"{catalogue.BLOCK_LABELS.get(c.block, '')}: {c.label}")
                 for c in circumstances])
    _line(pdf, "* Thông tin hạn chế: không ghi lên phiếu để lại ở hộ; báo riêng, trực tiếp "
               "cho công chức làm công tác trẻ em xã.")
    _section(pdf, "Bảng 4. Chi tiết của hoàn cảnh")
    for name, title in DETAILS:
        _subtitle(pdf, title, keep=45)
        _grid(pdf, [f"{c.code} {c.label}" for c in catalogue.items(name)], 3)
    _section(pdf, f"Bảng 5. Hình thức {record.ROWS['supports'].lower()}")
    _pairs(pdf, [(c.code, c.label) for c in catalogue.items("support_form")])
    _section(pdf, f"Bảng 6. {record.label('caregivers.relation')} với trẻ (ghi chữ)")
    _grid(pdf, [c.label for c in catalogue.items("caregiver_relation")], 4)


def _boxes(list_name: str, codes: bool = False) -> str:
    return "  ".join(f"{BOX} {c.code + ' ' if codes else ''}{c.label}"
                     for c in catalogue.items(list_name))






def _line(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")


def _facts(pdf: FPDF, rows: list[list[tuple[str, str]]]) -> None:
    """Label and box rows: two pairs side by side, or one whose box takes the whole row."""
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=(34, 58, 34, 54), width=WIDTH, line_height=6, text_align="LEFT",
                   first_row_as_headings=False, padding=1) as table:
        for pairs in rows:
            row = table.row()
            for name, value in pairs:
                row.cell(name, style=BOLD)
                row.cell(value, colspan=3 if len(pairs) == 1 else 1)


def _blank_table(pdf: FPDF, widths, headings: list[str], rows: int) -> None:
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=widths, width=WIDTH, line_height=6, text_align="LEFT",
                   headings_style=BOLD, padding=1) as table:
        table.row(headings)
        for _ in range(rows):
            table.row([""] * len(headings))


def _grid(pdf: FPDF, items: list[str], columns: int) -> None:
    pdf.set_font(FONT, "", 8)
    with pdf.table(width=WIDTH, line_height=4, text_align="LEFT",
                   first_row_as_headings=False, padding=1) as table:
        for start in range(0, len(items), columns):
            chunk = items[start:start + columns]
            table.row(chunk + [""] * (columns - len(chunk)))


def _pairs(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=(20, 160), width=WIDTH, line_height=4, text_align="LEFT",
                   first_row_as_headings=False, padding=1) as table:
        for code, text in rows:
            table.row((code, text))
