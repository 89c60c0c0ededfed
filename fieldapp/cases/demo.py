"""The demo's cases (issue 16): three reports about invented children of the demo register,
at different steps — one overdue (not assessed 12 hours after the report), one waiting for
the chair's approval, one whose plan is being carried out. Every text is invented."""

from datetime import timedelta

from fieldapp.cases import services
from fieldapp.db import utcnow

REPORT = {"source": "field_report", "reporter_name": "Trưởng thôn (demo)",
          "location": "Nhà riêng", "current_carer": "Bà nội"}
STEPS = [
    ("verify", {"founded": True, "note": "Cán bộ xã đã đến nhà, gặp trẻ và người chăm sóc."}),
    ("assess", {"risk": "trung_binh", "emergency": False,
                "note": "Trẻ an toàn trước mắt, cần hỗ trợ tâm lý."}),
    ("detail", {"needs": "Tư vấn tâm lý; hỗ trợ đi học.",
                "meeting": "Họp xác định nhu cầu: cán bộ xã, nhà trường, trạm y tế, gia đình."}),
    ("plan", {"goals": "Trẻ ổn định tâm lý, đi học đều.",
              "actions": [{"form": "TG06", "date": None, "provider": "Trạm y tế xã"}]}),
]


def seed_cases(officer, leader, children) -> list:
    """Three cases of the officer's commune about the first open children of the register."""
    chosen = [c for c in children if c.closed_on is None][:3]
    if len(chosen) < 3:
        return []
    now = utcnow()
    today = (now + timedelta(hours=7)).date()
    made = []
    for child, days, situation in (
            (chosen[0], 3, "Hàng xóm báo trẻ thường bị bỏ một mình qua đêm."),
            (chosen[1], 2, "Nhà trường báo trẻ nghỉ học nhiều ngày, có dấu hiệu sợ hãi."),
            (chosen[2], 20, "Trẻ bị bạn cùng lớp bắt nạt kéo dài.")):
        made.append(services.open_case(officer, {
            **REPORT, "child_id": str(child.id), "situation": situation,
            "received_at": (now - timedelta(days=days)).isoformat()}))
    for case in made[1:]:
        for step, data in STEPS:
            if step == "plan":
                data = {**data, "actions": [{**a, "date": today.isoformat()}
                                            for a in data["actions"]]}
            services.take_step(officer, case, step, data)
    services.take_step(leader, made[2], "approve", {"note": "Đồng ý kế hoạch."})
    services.take_step(officer, made[2], "act", {"actions": [
        {"form": "TG06", "date": today.isoformat(), "provider": "Trạm y tế xã",
         "amount_vnd": None}], "note": "Buổi tư vấn đầu tiên."})
    return made
