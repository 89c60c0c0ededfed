"""The report on A4 paper (issue 15 §2): the state heading, the period, a summary table of
every indicator, then each indicator's breakdowns as tables, and the signatures."""

from fieldapp import spreadsheet, text
from fieldapp.clock import shown
from fieldapp.db import utcnow
from fieldapp.pdf import A4, FONT, add_fonts, line, section, signatures, state_heading, table

TITLE = "BÁO CÁO CÁC CHỈ TIÊU VỀ TRẺ EM"
PROVINCE_SIGNERS = ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN")


def signers(place) -> tuple[str, str]:
    """Who signs: the commune's people's committee, as every list of the app says it."""
    return spreadsheet.SIGNERS if place.is_commune else PROVINCE_SIGNERS


def count(n: int | str | None) -> str:
    """A count as written: "<5" when hidden, "ẩn" when hidden alongside one."""
    if isinstance(n, str):
        return n
    return "<5" if n is None else text.number(n)


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%".replace(".", ",")


def period(report) -> str:
    return (f"Số liệu đến hết ngày {report.day:%d/%m/%Y} (kỳ báo cáo từ ngày "
            f"{report.start:%d/%m/%Y})")


def summary_rows(report) -> list[tuple]:
    return [(i, r.indicator.code or "", r.indicator.name, count(r.value), percent(r.share))
            for i, r in enumerate(report.indicators, start=1)]


def report_pdf(place, report, tables: dict) -> bytes:
    pdf = A4(f"Báo cáo chỉ tiêu trẻ em — {place.name} — {report.day:%d/%m/%Y}")
    add_fonts(pdf)
    pdf.add_page()
    state_heading(pdf, place.name, TITLE)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, period(report), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    section(pdf, "I. Tổng hợp")
    table(pdf, (10, 15, 105, 25, 25), ("STT", "Mã", "Chỉ tiêu", "Số trẻ", "Tỷ lệ"),
          summary_rows(report), "Không có chỉ tiêu.")
    section(pdf, "II. Chi tiết theo từng chỉ tiêu")
    for number, result in enumerate(report.indicators, start=1):
        section(pdf, f"{number}. {result.indicator.name}: {count(result.value)} trẻ"
                + (f" ({percent(result.share)})" if result.share is not None else ""))
        line(pdf, result.indicator.definition, size=8)
        for t in tables[result.key]:
            table(pdf, (110, 35, 35), (t.title, "Số trẻ", "Tỷ lệ"),
                  [(label, count(n), percent(share)) for label, n, share in t.rows], "")
            pdf.ln(2)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(4)
    now = utcnow()
    line(pdf, f"Lập ngày {shown(now)}")
    signatures(pdf, f"{place.name}, ngày {report.day:%d} tháng {report.day:%m} năm "
                    f"{report.day:%Y}", signers(place), space=35)
    return bytes(pdf.output())
