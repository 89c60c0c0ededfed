"""What every PDF of the app shares: a Unicode TrueType font (``PDF_FONT``: DejaVu Sans from
Debian's fonts-dejavu-core, ``make fonts``), since the core PDF fonts have no Vietnamese
letters, and the answer when the server lacks it."""

from pathlib import Path

from flask import current_app
from fpdf import FPDF
from fpdf.fonts import FontFace

from fieldapp.errors import DomainError
from fieldapp.spreadsheet import MOTTO, STATE

FONT = "fieldapp"


class FontMissing(DomainError):
    status = 503


def add_fonts(pdf: FPDF) -> None:
    """Register ``FONT`` (regular and bold) on ``pdf``, or raise :class:`FontMissing`."""
    regular = Path(current_app.config["PDF_FONT"])
    bold = current_app.config.get("PDF_FONT_BOLD")
    bold = Path(bold) if bold else regular.with_name(regular.stem + "-Bold" + regular.suffix)
    if not regular.is_file():
        raise FontMissing(f"Máy chủ thiếu phông chữ tiếng Việt cho tệp PDF ({regular}): cài "
                          "gói fonts-dejavu-core hoặc đặt FIELDAPP_PDF_FONT.")
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold if bold.is_file() else regular))


def state_heading(pdf: FPDF, commune_name: str, title: str, left: int = 75,
                  right: int = 100) -> None:
    """The heading of every Vietnamese administrative paper: the commune's people's committee
    on the left, the national name and motto on the right (``left``/``right`` mm wide), then
    the title, centred."""
    pdf.set_font(FONT, "B", 10)
    top = pdf.get_y()
    pdf.multi_cell(left, 5, f"ỦY BAN NHÂN DÂN\n{commune_name.upper()}", align="C")
    pdf.set_xy(pdf.w - pdf.r_margin - right, top)
    pdf.multi_cell(right, 5, f"{STATE}\n{MOTTO}",
                   align="C")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")


# The A4 papers of the register (a child's record, a household's book, the blank sheet): one
# page shape, one footer, one way of writing sections, label/value rows and tables.
WIDTH = 180  # mm: A4 portrait less the margins
BOLD = FontFace(emphasis="BOLD")


class A4(FPDF):
    """A4 (portrait, or ``landscape`` for a wide list) with the app's margins and a footer:
    what the paper is (``footer`` text), and "Trang n/N"."""

    def __init__(self, footer: str, landscape: bool = False):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.footer_text = footer
        side = 10 if landscape else 15
        self.set_margins(side, 12, side)
        self.set_auto_page_break(True, margin=16)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="R")


def section(pdf: FPDF, title: str, keep: int | None = 40) -> None:
    """A numbered part's title; on a new page when less than ``keep`` mm is left."""
    if keep is not None and pdf.get_y() > pdf.h - keep:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")


def subtitle(pdf: FPDF, title: str, keep: int = 40) -> None:
    """A smaller heading that never ends a page without what follows it."""
    if pdf.get_y() > pdf.h - keep:
        pdf.add_page()
    pdf.ln(1)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")


def line(pdf: FPDF, text: str, size: int = 9) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 5 / 9, text, new_x="LMARGIN", new_y="NEXT")


def facts(pdf: FPDF, rows: list[tuple[str, str | None]], widths=(55, 125)) -> None:
    """Label (bold) and value rows; an empty value reads "—"."""
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=widths, width=WIDTH, line_height=5, text_align="LEFT",
                   first_row_as_headings=False, padding=1) as table:
        for name, value in rows:
            row = table.row()
            row.cell(name, style=BOLD)
            row.cell(value or "—")


def table(pdf: FPDF, widths, headings, rows: list[tuple], empty: str) -> None:
    """A table with its headings repeated on each page, or the ``empty`` line."""
    if not rows:
        line(pdf, empty)
        return
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=widths, width=WIDTH, line_height=5, text_align="LEFT",
                   headings_style=BOLD, repeat_headings=1, padding=1) as table:
        table.row(headings)
        for values in rows:
            table.row(tuple("" if v is None else str(v) for v in values))


def signatures(pdf: FPDF, place_and_day: str, signers: tuple[str, str], space: int = 30) -> None:
    """"…, ngày … tháng … năm …" on the right, then two signers side by side, each with
    "(Ký, ghi rõ họ tên)" and ``space`` mm to sign in."""
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, place_and_day, align="R", new_x="LMARGIN", new_y="NEXT")
    half = WIDTH / 2
    top = pdf.get_y()
    for column, who in enumerate(signers):
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(half, 6, who, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.set_xy(pdf.l_margin, top + space)
