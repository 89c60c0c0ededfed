"""The child's whole record (``children.export.document``) as a printable A4 PDF: the
commune's heading, "HỒ SƠ CỦA TRẺ EM", the date of export, one section per part of the
record, page numbers. fpdf2 with the app's Unicode font (``fieldapp.pdf``)."""

from datetime import date, datetime

from fpdf import FPDF

from fieldapp.clock import shown
from fieldapp.pdf import A4, FONT, add_fonts, facts, state_heading
from fieldapp.pdf import line as _line
from fieldapp.pdf import section as _section
from fieldapp.pdf import table as _table
from fieldapp.text import number

TITLE = "HỒ SƠ CỦA TRẺ EM"





def render(doc: dict) -> bytes:
    """``doc`` (``children.export.document``) as PDF bytes."""
    pdf = A4("Hồ sơ của trẻ em — tài liệu chứa dữ liệu cá nhân")
    add_fonts(pdf)
    pdf.add_page()
    _heading(pdf, doc)
    child = doc["child"]
    labels = doc["labels"]
    _section(pdf, "1. Thông tin của trẻ")
    _facts(pdf, [
        ("Mã hồ sơ", child["id"]), ("Tình trạng hồ sơ", child["status_label"]),
        ("Phiên bản hồ sơ", str(child["version"])),
        (labels["child.full_name"], child["full_name"]),
        (labels["child.personal_id"], child["personal_id"] or "Chưa có"),
        (labels["child.sex"], child["sex_label"]),
        (labels["child.date_of_birth"], _day(child["date_of_birth"])),
        (labels["child.ethnicity_code"], child["ethnicity_label"]),
        (labels["child.nationality"], child["nationality_label"]),
        (labels["child.village"], f"{child['village_label']} ({child['village']})"),
        (labels["child.address"], child["address"]),
        (labels["child.current_residence"], child["current_residence"]),
        (labels["child.schooling_status"], child["schooling_status_label"] or "Không rõ"),
        *([(labels["child.school_left_level"], child["school_left_level_label"]),
           (labels["child.school_left_on"], _day(child["school_left_on"]))]
          if child.get("school_left_level") or child.get("school_left_on") else []),
        ("Ngày tạo hồ sơ", _time(child["created_at"])),
    ])
    household = doc["household"]
    _section(pdf, "2. Hộ gia đình")
    _facts(pdf, [(labels["household.head_name"], household["head_name"]),
                 (labels["household.address"], household["address"]),
                 (labels["household.poverty_status"], household["poverty_status_label"])])
    _section(pdf, "3. Người nuôi dưỡng")
    _table(pdf, (30, 60, 45, 45), ("Quan hệ", "Họ tên", "Số định danh", "Điện thoại"),
           [(c["relation_label"], c["full_name"], c["personal_id"], c["phone"])
            for c in doc["caregivers"]], "Không có người nuôi dưỡng.")
    _section(pdf, "4. Hoàn cảnh (đang có và đã kết thúc)")
    _table(pdf, (55, 22, 22, 45, 36), ("Nhóm", "Từ ngày", "Đến ngày", "Chi tiết", "Ghi chú"),
           [(_group(c), _day(c["since"]), _day(c["until"]),
             ", ".join(c["detail_labels"]), c["note"]) for c in doc["circumstances"]],
           "Không có hoàn cảnh nào được ghi.")
    _section(pdf, "5. Trợ giúp đã nhận")
    _table(pdf, (45, 22, 45, 28, 40), ("Hình thức", "Ngày", "Đơn vị", "Số tiền (đồng)",
                                        "Ghi chú"),
           [(s["code_label"], _day(s["date"]), s["provider"], money(s["amount"]), s["note"])
            for s in doc["supports"]], "Chưa có trợ giúp nào được ghi.")
    _section(pdf, "6. Sự đồng ý")
    _table(pdf, (38, 50, 30, 22, 40), ("Người đồng ý", "Việc", "Đồng ý/từ chối", "Ngày",
                                       "Rút lại"),
           [(f"{c['person_label']}: {c['person_name']}",
             c["purpose_label"] + (f" ({c['purpose_other']})" if c["purpose_other"] else ""),
             "Đồng ý" if c["given"] else "Từ chối", _day(c["given_on"]),
             _day(c["withdrawn_on"]) if c["withdrawn_on"] else "")
            for c in doc.get("consents") or []], "Chưa ghi sự đồng ý nào.")
    _section(pdf, "7. Đóng hồ sơ")
    closure = doc["closure"]
    if closure:
        _facts(pdf, [(labels["closure.reason"], closure["reason_label"]),
                     (labels["closure.date"], _day(closure["date"])),
                     (labels["closure.note"], closure["note"])])
    else:
        _line(pdf, "Hồ sơ chưa đóng.")
    _section(pdf, "8. Lịch sử thay đổi")
    _history(pdf, doc["history"], child["id"])
    _section(pdf, "9. Ai đã xem, xuất hồ sơ")
    _table(pdf, (50, 50, 80), ("Thời gian", "Tài khoản", "Việc"),
           [(_time(a["at"]), a["by"], a["action_label"]) for a in doc["access"]],
           "Chưa có lượt xem nào.")
    return bytes(pdf.output())


def _facts(pdf: FPDF, rows: list[tuple[str, str | None]]) -> None:
    facts(pdf, rows, widths=(60, 120))


def _heading(pdf: FPDF, doc: dict) -> None:
    commune = doc["commune"]
    state_heading(pdf, commune["name"], TITLE)
    pdf.set_font(FONT, "", 10)
    place = ", ".join(p for p in (commune["name"], commune["province"]) if p)
    pdf.cell(0, 6, place, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Ngày xuất: {_time(doc['exported_at'])} · Người xuất: "
                   f"{doc['exported_by']}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)










def _history(pdf: FPDF, history: list[dict], child_id: str) -> None:
    if not history:
        _line(pdf, "Chưa có thay đổi nào.")
    for change in history:
        pdf.set_font(FONT, "B", 9)
        merged = " · hồ sơ đã gộp vào đây" if change["record"] != child_id else ""
        note = f" · {change['note']}" if change["note"] else ""
        pdf.multi_cell(0, 5, f"Phiên bản {change['version']} · {_time(change['at'])} · "
                             f"{change['by']} · {change['source_label']}{note}{merged}",
                       new_x="LMARGIN", new_y="NEXT")
        _table(pdf, (60, 60, 60), ("Thông tin", "Cũ", "Mới"),
               [(item["label"], _value(item.get("old_label") or item["old"]),
                 _value(item.get("new_label") or item["new"]))
                for item in change["changes"]], "Không có trường nào đổi.")
        pdf.ln(1)


def _group(c: dict) -> str:
    if c["masked"]:
        return c["label"]
    return f"{c['code']} · {c['label']}"


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return _day(value)
        except ValueError:
            return value
    return str(value)


def _day(text: str | None) -> str:
    return shown(date.fromisoformat(text)) if text else "—"


def _time(text: str | None) -> str:
    return shown(datetime.fromisoformat(text)) if text else "—"


def money(amount: int | None) -> str:
    """An amount in VND as the papers write it (12.345), or nothing."""
    return number(amount) if amount is not None else ""
