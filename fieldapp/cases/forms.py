"""The case pages' forms read into the API's shapes (``cases.validators`` judges both): step
1's fields, a step's fields, a plan's or the work done's rows of actions (blank rows left
out)."""

ACTION_ROWS = 3  # rows of actions a page offers at once
REPORT = ("received_at", "source", "reporter_name", "reporter_phone", "situation",
          "location", "child_state", "current_carer", "actions_taken")
CHILD = ("full_name", "sex", "date_of_birth", "estimated_age", "village")
STEP_FIELDS = {
    "verify": ("founded", "note", "reason"),
    "assess": ("risk", "emergency", "note", "emergency_action", "emergency_by",
               "child_location"),
    "detail": ("needs", "meeting"),
    "plan": ("goals",),
    "approve": ("note",),
    "return": ("reason",),
    "act": ("note",),
    "review": ("child_state", "outcome"),
    "close": ("summary",),
    "link": ("child_id",),
}
ACTION_FIELDS = ("form", "date", "provider", "amount_vnd")


def report_data(form) -> dict:
    data = {name: form.get(name, "") for name in REPORT}
    if form.get("child_id"):
        data["child_id"] = form["child_id"]
    else:
        data["child"] = {name: form.get(f"child-{name}", "") for name in CHILD}
    return data


def step_data(step: str, form) -> dict:
    data = {name: form.get(name, "") for name in STEP_FIELDS.get(step, ())}
    if step in ("plan", "act"):
        rows = []
        for n in range(ACTION_ROWS):
            row = {name: form.get(f"actions-{n}-{name}", "").strip() for name in ACTION_FIELDS}
            if any(row.values()):
                rows.append(row)
        data["actions"] = rows
    return data

# How a step's fields read on the case page.
LABELS = {
    "source": "Nguồn thông tin", "founded": "Thông tin có cơ sở", "note": "Ghi chú",
    "reason": "Lý do", "risk": "Mức độ nguy cơ", "emergency": "Cần can thiệp khẩn cấp",
    "emergency_action": "Biện pháp khẩn cấp, tạm thời cách ly",
    "emergency_by": "Người thực hiện", "child_location": "Nơi trẻ đang ở",
    "needs": "Nhu cầu của trẻ", "meeting": "Biên bản họp xác định nhu cầu",
    "goals": "Mục tiêu", "actions": "Hoạt động", "child_state": "Tình trạng của trẻ",
    "outcome": "Kết luận", "summary": "Tóm tắt kết quả", "child_id": "Trẻ trong sổ",
}
