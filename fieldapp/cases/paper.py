"""A case's file as a printable A4 PDF (issue 16 §5): the commune's heading, "HỒ SƠ VỤ
VIỆC", the report (Mẫu 01), then every step in the forms' order with who and when, and the
signature blocks of the officer and the commune chair. fpdf2 with the app's Unicode font."""

from fieldapp.cases import machine
from fieldapp.cases.forms import LABELS
from fieldapp.cases.models import Case
from fieldapp.cases.validators import OUTCOMES, RISKS, SOURCES
from fieldapp.clock import shown, today
from fieldapp.pdf import A4, add_fonts, facts, line, section, signatures, state_heading
from fieldapp.text import number

TITLE = "HỒ SƠ VỤ VIỆC"
SIGNERS = ("CÁN BỘ LĐTBXH XÃ", "CHỦ TỊCH UBND XÃ")


def render(case: Case, commune: str, village: str | None, names: dict, forms: dict) -> bytes:
    """``case`` as PDF bytes (``names``: user id → who; ``forms``: support form → label)."""
    pdf = A4("Hồ sơ vụ việc — tài liệu mật, chứa dữ liệu cá nhân của trẻ em")
    add_fonts(pdf)
    pdf.add_page()
    state_heading(pdf, commune, TITLE)
    line(pdf, f"Trạng thái: {machine.STATES[case.state]} · In ngày {shown(today())}")
    section(pdf, f"1. {machine.STEPS['receive']}")
    child = case.child_name
    if case.child_born:
        child += f", sinh {shown(case.child_born)}"
    elif case.child_age is not None:
        child += f", khoảng {case.child_age} tuổi"
    field = case.submission_id is not None  # sent from a village head's or collaborator's phone
    reported = [("Báo từ điện thoại lúc", shown(case.reported_at)
                 + (" · người báo đánh giá khẩn cấp" if case.urgent else "")),
                ("Thời điểm phát hiện", shown(case.seen_at) if case.seen_at else "")]
    facts(pdf, [
        ("Thời điểm tiếp nhận", shown(case.received_at)),
        *(reported if field else []),
        ("Nguồn thông tin", SOURCES.get(case.source, case.source)),
        ("Người báo tin", " · ".join(v for v in (case.reporter_name, case.reporter_phone) if v)),
        ("Trẻ em", child + ("" if case.child_id else " (chưa có trong sổ)")),
        ("Thôn, bản", village), ("Sự việc", case.situation), ("Nơi xảy ra", case.location),
        ("Tình trạng hiện tại của trẻ", case.child_state),
        ("Người đang chăm sóc trẻ", case.current_carer),
        ("Những việc đã làm", case.actions_taken),
        ("Người tiếp nhận", "" if field else names.get(case.created_by_id, "")),
    ])
    part = 2
    for step in case.steps:
        if step.step == "receive":
            continue
        name = machine.STEPS.get(step.step) or machine.OTHER_STEPS.get(step.step, step.step)
        section(pdf, f"{part}. {name}")
        part += 1
        line(pdf, f"{shown(step.at)} · {names.get(step.actor_id, '')}")
        facts(pdf, [(LABELS.get(key, key), _value(key, value, forms))
                    for key, value in step.data.items() if value not in (None, "", [])])
    pdf.ln(6)
    signatures(pdf, f"{commune}, ngày {today():%d} tháng {today():%m} năm {today():%Y}",
               SIGNERS)
    return bytes(pdf.output())


def _value(key: str, value, forms: dict) -> str:
    if value is True:
        return "Có"
    if value is False:
        return "Không"
    if key == "risk":
        return RISKS.get(value, value)
    if key == "outcome":
        return OUTCOMES.get(value, value)
    if key == "actions":
        return "\n".join(
            " · ".join(part for part in (forms.get(a.get("form"), a.get("form")),
                                         a.get("date"), a.get("provider"),
                                         f"{number(a['amount_vnd'])} đồng"
                                         if a.get("amount_vnd") else "") if part)
            for a in value)
    return str(value)
