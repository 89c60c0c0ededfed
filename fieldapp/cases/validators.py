"""What each step of a case must hold (issue 16 §1, §5): field errors in Vietnamese, by the
field's path, for the API and the pages alike. ``validate_report`` is step 1 (Mẫu 01);
``validate_step`` the others, by name."""

from datetime import UTC, date, datetime

from fieldapp.catalogue import services as catalogue
from fieldapp.children.validators import (
    PHONE,
    Result,
    clean_text,
    parse_amount,
    validate_name,
)
from fieldapp.clock import VIETNAM, parse_date

SOURCES = {
    "field_report": "Trưởng thôn, cộng tác viên báo tin",
    "hotline_111": "Tổng đài 111",
    "school": "Nhà trường",
    "police": "Công an",
    "health_station": "Trạm y tế",
    "family": "Gia đình",
    "walk_in": "Người dân đến báo",
    "other": "Khác",
}
RISKS = {"cao": "Cao", "trung_binh": "Trung bình", "thap": "Thấp"}
OUTCOMES = {"close": "Đóng hồ sơ", "replan": "Lập lại kế hoạch"}
LONG = 4000  # characters of a free text (what happened, the minutes …)


def parse_moment(value) -> datetime | None:
    """An ISO 8601 date and time; without an offset, Vietnam's time. As UTC, else None."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(UTC)


def text(data: dict, name: str, label: str, result: Result, *, required=False,
         limit=LONG) -> str:
    value = clean_text(data.get(name)) if limit <= 200 else _paragraphs(data.get(name))
    if not value and required:
        result.error(name, f"{label}: vui lòng nhập.")
    elif len(value) > limit:
        result.error(name, f"{label} dài quá {limit} ký tự.")
    return value


def _paragraphs(value) -> str:
    """Free text kept with its line breaks, each line tidied."""
    lines = [clean_text(line) for line in str(value or "").splitlines()]
    return "\n".join(lines).strip()


def choice(data: dict, name: str, label: str, options: dict, result: Result) -> str | None:
    value = clean_text(data.get(name)) or None
    if value is None:
        result.error(name, f"{label}: vui lòng chọn.")
    elif value not in options:
        result.error(name, f"{label}: “{value}” không phải một lựa chọn.")
    return value


def flag(data: dict, name: str, label: str, result: Result) -> bool | None:
    """Yes or no: a JSON boolean, or a form's "true"/"false"."""
    value = data.get(name)
    answer = {True: True, False: False, "true": True, "false": False}.get(
        value if isinstance(value, bool | str) else None)
    if answer is None:
        result.error(name, f"{label}: vui lòng chọn có hoặc không.")
    return answer


def validate_report(data: dict, now: datetime, villages: set[str]) -> Result:
    """Step 1, Mẫu 01: the report as received. The child is ``child_id`` (a register child,
    checked by the service) or ``child`` (name, sex, birth date or estimated age, village of
    ``villages``)."""
    result = Result()
    clean = result.clean
    received = parse_moment(data.get("received_at"))
    if received is None:
        result.error("received_at", "Thời điểm tiếp nhận: nhập ngày giờ (YYYY-MM-DDTHH:MM).")
    elif received > now:
        result.error("received_at", "Thời điểm tiếp nhận không thể ở tương lai.")
    clean["received_at"] = received
    clean["source"] = choice(data, "source", "Nguồn thông tin", SOURCES, result)
    clean["reporter_name"] = text(data, "reporter_name", "Người báo tin", result, limit=200)
    phone = clean_text(data.get("reporter_phone")).replace(" ", "").replace(".", "")
    if phone and not PHONE.match(phone):
        result.error("reporter_phone", "Số điện thoại gồm 9 đến 12 chữ số.")
    clean["reporter_phone"] = phone
    for name, label, required in (("situation", "Sự việc", True),
                                  ("location", "Nơi xảy ra", False),
                                  ("child_state", "Tình trạng hiện tại của trẻ", False),
                                  ("current_carer", "Người đang chăm sóc trẻ", False),
                                  ("actions_taken", "Những việc đã làm", False)):
        clean[name] = text(data, name, label, result, required=required)
    child_id, child = data.get("child_id"), data.get("child")
    if child_id and child:
        result.error("child", "Chọn trẻ trong sổ hoặc ghi trẻ chưa có trong sổ, không cả hai.")
    elif child_id:
        clean["child_id"] = str(child_id)
    elif isinstance(child, dict):
        clean["child"] = _new_child(child, received or now, villages, result)
    else:
        result.error("child", "Trẻ em: chọn trẻ trong sổ hoặc ghi họ tên, giới tính, tuổi, thôn.")
    return result


def validate_field_report(data: dict, reported_at: datetime, now: datetime,
                          villages: set[str]) -> Result:
    """A report from the field (issue 16 §3, a submission of kind ``protection_report``): the
    child (``child_id``, a register child the author sees, checked by the caller; or ``child``
    as in step 1, in one of ``villages``), what was seen (``situation``), when (``seen_at``,
    optional), where (``location``), ``urgent`` (yes or no) and the reporter's phone. With
    ``child_id``, ``child`` is only the phone's copy of the name for its lists: ignored."""
    result = Result()
    clean = result.clean
    if not isinstance(data, dict):
        result.error("_", "Nội dung tin báo phải là một đối tượng JSON.")
        return result
    child_id, child = data.get("child_id"), data.get("child")
    if child_id:
        clean["child_id"] = str(child_id)
    elif isinstance(child, dict):
        clean["child"] = _new_child(child, reported_at, villages, result,
                                    outside="Thôn, bản không thuộc địa bàn của bạn.")
    else:
        result.error("child", "Trẻ em: chọn trẻ trong danh sách hoặc ghi họ tên, tuổi, thôn.")
    clean["situation"] = text(data, "situation", "Sự việc đã thấy", result, required=True)
    clean["location"] = text(data, "location", "Nơi xảy ra", result, limit=200)
    seen = data.get("seen_at")
    clean["seen_at"] = None
    if seen not in (None, ""):
        clean["seen_at"] = parse_moment(seen)
        if clean["seen_at"] is None:
            result.error("seen_at", "Thời điểm phát hiện: nhập ngày giờ (YYYY-MM-DDTHH:MM).")
        elif clean["seen_at"] > max(now, reported_at):
            result.error("seen_at", "Thời điểm phát hiện không thể sau lúc báo tin.")
    clean["urgent"] = flag(data, "urgent", "Trẻ đang gặp nguy hiểm, cần can thiệp ngay", result)
    phone = clean_text(data.get("reporter_phone")).replace(" ", "").replace(".", "")
    if phone and not PHONE.match(phone):
        result.error("reporter_phone", "Số điện thoại gồm 9 đến 12 chữ số.")
    clean["reporter_phone"] = phone
    return result


def _new_child(child: dict, received: datetime, villages: set[str], result: Result,
               outside: str = "Thôn, bản không thuộc xã.") -> dict:
    """A child not yet in the register: enough to find the child and link it later."""
    inner = Result()
    name = validate_name(child.get("full_name"), "child.full_name", "Họ tên trẻ", inner)
    sex = clean_text(child.get("sex")) or None
    if sex not in (None, *_codes("sex")):
        inner.error("child.sex", "Giới tính: chọn Nam hoặc Nữ.")
    born = parse_date(child.get("date_of_birth"))
    age = child.get("estimated_age")
    age_given = age not in (None, "")
    if child.get("date_of_birth") and born is None:
        inner.error("child.date_of_birth", "Ngày sinh: nhập đúng dạng ngày.")
    elif born and born > received.astimezone(VIETNAM).date():
        inner.error("child.date_of_birth", "Ngày sinh không thể sau ngày tiếp nhận.")
    if age_given:
        age = parse_amount(age)
        if age is None or not 0 <= age <= 17:
            inner.error("child.estimated_age", "Tuổi ước tính: một số từ 0 đến 17.")
    else:
        age = None
    if born is None and not age_given and "child.date_of_birth" not in inner.errors:
        inner.error("child.estimated_age", "Nhập ngày sinh hoặc tuổi ước tính của trẻ.")
    village = clean_text(child.get("village")) or None
    if village is None:
        inner.error("child.village", "Thôn, bản: vui lòng chọn.")
    elif village not in villages:
        inner.error("child.village", outside)
    for path, messages in inner.errors.items():
        for message in messages:
            result.error(path, message)
    return {"full_name": name, "sex": sex, "date_of_birth": born, "estimated_age": age,
            "village": village}


def _codes(list_name: str) -> list[str]:
    return [item.code for item in catalogue.items(list_name)]


def validate_step(step: str, data: dict, today: date) -> Result:
    """The content of a step after the first (``cases.machine.STEPS``)."""
    result = Result()
    clean = result.clean
    if step == "verify":
        clean["founded"] = flag(data, "founded", "Thông tin có cơ sở", result)
        clean["note"] = text(data, "note", "Kết quả xác minh", result)
        if clean["founded"] is False:
            clean["reason"] = text(data, "reason", "Lý do đóng hồ sơ", result, required=True)
    elif step == "assess":
        clean["risk"] = choice(data, "risk", "Mức độ nguy cơ", RISKS, result)
        clean["emergency"] = flag(data, "emergency", "Cần can thiệp khẩn cấp", result)
        clean["note"] = text(data, "note", "Nhận định", result)
        if clean["emergency"]:
            for name, label in (("emergency_action", "Biện pháp khẩn cấp, tạm thời cách ly"),
                                ("emergency_by", "Người thực hiện"),
                                ("child_location", "Nơi trẻ đang ở")):
                clean[name] = text(data, name, label, result, required=True)
    elif step == "detail":
        clean["needs"] = text(data, "needs", "Nhu cầu của trẻ", result, required=True)
        clean["meeting"] = text(data, "meeting", "Biên bản họp xác định nhu cầu", result,
                                required=True)
    elif step == "plan":
        clean["goals"] = text(data, "goals", "Mục tiêu", result, required=True)
        clean["actions"] = _actions(data, result, today, planned=True)
    elif step == "approve":
        clean["note"] = text(data, "note", "Ý kiến", result)
    elif step == "return":
        clean["reason"] = text(data, "reason", "Lý do trả lại", result, required=True)
    elif step == "act":
        clean["actions"] = _actions(data, result, today, planned=False)
        clean["note"] = text(data, "note", "Ghi chú", result)
    elif step == "review":
        clean["child_state"] = text(data, "child_state", "Tình trạng của trẻ", result,
                                    required=True)
        clean["outcome"] = choice(data, "outcome", "Kết luận", OUTCOMES, result)
    elif step == "close":
        clean["summary"] = text(data, "summary", "Tóm tắt kết quả", result, required=True)
    return result


def _actions(data: dict, result: Result, today: date, planned: bool) -> list[dict]:
    """The plan's actions (form, who, when) or the actions done (form, date, provider,
    amount): at least one."""
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        result.error("actions", "Ghi ít nhất một hoạt động.")
        return []
    forms = _codes("support_form")
    out = []
    for n, action in enumerate(actions):
        action = action if isinstance(action, dict) else {}
        path = f"actions.{n}"
        form = clean_text(action.get("form")) or None
        if form not in forms:
            result.error(f"{path}.form", "Hình thức trợ giúp: chọn trong danh mục.")
        day = parse_date(action.get("date"))
        if day is None:
            result.error(f"{path}.date", "Ngày: nhập đúng dạng ngày.")
        elif not planned and day > today:
            result.error(f"{path}.date", "Ngày thực hiện không thể ở tương lai.")
        who = clean_text(action.get("provider"))
        if not who:
            result.error(f"{path}.provider", "Người, đơn vị thực hiện: vui lòng nhập.")
        elif len(who) > 200:
            result.error(f"{path}.provider", "Người, đơn vị thực hiện dài quá 200 ký tự.")
        amount = action.get("amount_vnd")
        if amount not in (None, ""):
            amount = parse_amount(amount)
            if amount is None or amount < 0:
                result.error(f"{path}.amount_vnd", "Số tiền: một số đồng không âm.")
        else:
            amount = None
        out.append({"form": form, "date": day.isoformat() if day else None,
                    "provider": who, "amount_vnd": amount})
    return out
