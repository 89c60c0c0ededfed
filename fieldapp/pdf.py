"""What every PDF of the app shares: a Unicode TrueType font (``PDF_FONT``: DejaVu Sans from
Debian's fonts-dejavu-core, ``make fonts``), since the core PDF fonts have no Vietnamese
letters, and the answer when the server lacks it."""

from pathlib import Path

from flask import current_app
from fpdf import FPDF

from fieldapp.errors import DomainError

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
    pdf.multi_cell(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                   align="C")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
