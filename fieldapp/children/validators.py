"""The rules of a child record (DOMAIN §4, §7), in one place: forms and the sync API use them.

A record is a dict of sections, the shape the phone sends::

    {"child": {...}, "household": {...}, "caregivers": [...], "circumstances": [...],
     "support": [...]}

Errors and warnings are keyed by field path (``child.full_name``, ``caregivers.0.personal_id``)
and every message is Vietnamese and names its field.

The personal ID number's own rules live beside, in the private ``_personal_id``; this module
is their public door (``check_personal_id``, ``check_adult_id``, ``OLD_PROVINCES`` ...).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from fieldapp.catalogue import services as catalogue
from fieldapp.children import schooling
from fieldapp.children._personal_id import (  # noqa: F401 (public here: see the docstring)
    CENTURY_SEX,
    OLD_PROVINCES,
    IdCheck,
    check_adult_id,
    check_personal_id,
)
from fieldapp.children._rules import (  # noqa: F401 (FOLLOWS_HOUSEHOLD: public here)
    ASK_CAUSE,
    CAUSE_LIST,
    FOLLOWS_HOUSEHOLD,
    ONLY_DIED,
    refuse_not_poor,
)
from fieldapp.children.record import label as child_label
from fieldapp.clock import parse_date  # noqa: F401 (the register's name for it)
from fieldapp.settings import services as settings

NO_CAREGIVER_NEEDED = {"DB02", "DB15"}  # abandoned; migrant without known parents
DETAIL_MESSAGES = {
    "disability_type": "Chọn dạng khuyết tật.",
    "disability_level": "Chọn mức độ khuyết tật.",
    "risk_reason": "Chọn lý do có nguy cơ.",
    "injury_cause": "Chọn nguyên nhân thương tích.",
}
NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '.-][^\W\d_]+)*$")
PHONE = re.compile(r"^\+?[0-9]{9,12}$")  # not \d: it takes any script's digits
AGE_LIMIT = 16  # the Law on Children 2016's; the value in force is age_limit() (a setting)
MAX_AMOUNT_VND = 10**12  # one thousand billion đồng: no support to one child comes near


@dataclass
class Result:
    clean: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def warn(self, path: str, message: str) -> None:
        self.warnings.setdefault(path, []).append(message)


def clean_text(value) -> str:
    """NFC, single spaces, no leading or trailing space."""
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def parse_amount(value) -> int | None:
    """Whole đồng: a number, or digits with "." or "," between thousands; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    text = str(value).replace(".", "").replace(",", "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def age_limit() -> int:
    """The age at which a person stops being a child for the register (the setting
    ``age_limit``: 16 by the Law on Children 2016, or as the rules in force say)."""
    return settings.value("age_limit")


def sixteenth_birthday(born: date, limit: int | None = None) -> date:
    """The birthday on which the child reaches the age limit (16 unless the setting says
    otherwise) and the record leaves the active lists."""
    years = limit or age_limit()
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return date(born.year + years, 3, 1)


def validate_record(data: dict, *, capture_date: date, codes=catalogue) -> Result:
    """Check and clean a whole record captured on ``capture_date``."""
    result = Result()
    child = validate_child(data.get("child") or {}, capture_date, result, codes)
    result.clean["child"] = child
    if data.get("household") is not None:
        result.clean["household"] = validate_household(data["household"], result, codes)
    circumstances = [
        validate_circumstance(item or {}, f"circumstances.{i}", capture_date, result, codes)
        for i, item in enumerate(data.get("circumstances") or [])
    ]
    result.clean["circumstances"] = circumstances
    result.clean["caregivers"] = [
        validate_caregiver(item or {}, f"caregivers.{i}", result, codes)
        for i, item in enumerate(data.get("caregivers") or [])
    ]
    result.clean["support"] = [
        validate_support(item or {}, f"support.{i}", capture_date, result, codes)
        for i, item in enumerate(data.get("support") or [])
    ]
    _caregiver_needed(result, circumstances, capture_date)
    if "household" in result.clean:  # else the household is the register's: see services
        refuse_not_poor(result.clean["household"]["poverty_status"], circumstances, result,
                        data.get("circumstances") or [])
    return result


def validate_name(value, path: str, label: str, result: Result, required: bool = True) -> str:
    name = clean_text(value)
    if name.islower() or name.isupper():  # typed all in one case on a phone: "nguyễn văn an"
        name = name.title()
    if not name:
        if required:
            result.error(path, f"{label}: vui lòng nhập.")
    elif not 2 <= len(name) <= 100:
        result.error(path, f"{label} có từ 2 đến 100 ký tự.")
    elif not NAME_CHARS.match(name):
        result.error(path, f"{label} chỉ gồm chữ cái và dấu cách, không có chữ số hay ký hiệu.")
    return name


def _code(value, list_name: str, path: str, label: str, result: Result, codes,
          required: bool = True) -> str | None:
    code = clean_text(value) or None
    if code is None:
        if required:
            result.error(path, f"{label}: vui lòng chọn.")
    elif not codes.exists(list_name, code):
        result.error(path, f"{label}: mã {code} không có trong danh mục.")
    return code


def _text(value, path: str, label: str, result: Result, limit: int = 200) -> str:
    text = clean_text(value)
    if len(text) > limit:
        result.error(path, f"{label} dài quá {limit} ký tự.")
    return text


def validate_child(data: dict, capture_date: date, result: Result, codes) -> dict:
    p = "child."
    clean = {
        "full_name": validate_name(data.get("full_name"), p + "full_name",
                                   child_label("child.full_name"), result),
        "sex": _code(data.get("sex"), "sex", p + "sex", child_label("child.sex"), result, codes),
        "date_of_birth": _birth_date(data.get("date_of_birth"), capture_date, result),
        "ethnicity_code": _code(data.get("ethnicity_code"), "ethnicity", p + "ethnicity_code",
                                child_label("child.ethnicity_code"), result, codes),
        "nationality": _code(data.get("nationality") or "VN", "nationality", p + "nationality",
                             child_label("child.nationality"), result, codes),
        "schooling_status": _code(data.get("schooling_status"), "schooling_status",
                                  p + "schooling_status", child_label("child.schooling_status"),
                                  result, codes, required=False),
        "village_code": clean_text(data.get("village_code")) or None,
        "current_residence": _text(data.get("current_residence"), p + "current_residence",
                                   child_label("child.current_residence"), result),
        "address": _text(data.get("address"), p + "address", child_label("child.address"), result),
    }
    if not clean["village_code"]:
        result.error(p + "village_code", f"{child_label('child.village')}: vui lòng chọn.")
    clean["personal_id"] = _child_id(data.get("personal_id"), clean, result)
    _schooling(data, clean, capture_date, result, codes)
    return clean


def _schooling(data: dict, clean: dict, capture_date: date, result: Result, codes) -> None:
    """A status that does not fit the age warns; a dropout (HT07) gives the level left and
    the day, which any other status clears (``children.schooling``)."""
    status, born = clean["schooling_status"], clean["date_of_birth"]
    if "child.date_of_birth" in result.errors:
        born = None  # no age to judge by: the birth date's own error says it
    clean["school_left_level"] = clean["school_left_on"] = None
    if status and codes.exists("schooling_status", status):
        warning = schooling.age_warning(status, born, capture_date,
                                        codes.label("schooling_status", status))
        if warning:
            result.warn("child.schooling_status", warning)
    if status != schooling.DROPPED_OUT:
        return
    path = "child.school_left_level"
    level = _code(data.get("school_left_level"), schooling.LEVEL_LIST, path,
                  child_label("child.school_left_level"), result, codes, required=False)
    if level is None:
        result.error(path, schooling.ASK_LEVEL)
    elif path not in result.errors:
        warning = schooling.level_warning(level, born, capture_date,
                                          codes.label(schooling.LEVEL_LIST, level))
        if warning:
            result.warn(path, warning)
    path, raw = "child.school_left_on", data.get("school_left_on")
    left_on = schooling.parse_left_on(raw)
    if raw in (None, ""):
        result.error(path, schooling.ASK_LEFT_ON)
    elif left_on is None:
        result.error(path, schooling.BAD_LEFT_ON)
    elif left_on > min(capture_date, date.today()) or (
            isinstance(born, date) and left_on < born):
        result.error(path, schooling.LEFT_ON_RANGE)
    clean["school_left_level"], clean["school_left_on"] = level, left_on


def _birth_date(value, capture_date: date, result: Result) -> date | None:
    path, label = "child.date_of_birth", child_label("child.date_of_birth")
    born = parse_date(value)
    if value in (None, ""):
        result.error(path, f"{label}: vui lòng nhập.")
    elif born is None:
        result.error(path, f"{label} không đúng định dạng ngày.")
    elif born > min(capture_date, date.today()):
        result.error(path, f"{label} không được sau ngày thu thập hoặc ở tương lai.")
    elif sixteenth_birthday(born, limit := age_limit()) <= capture_date:
        result.error(path, f"{label}: trẻ đã đủ {limit} tuổi vào ngày thu thập.")
    return born


def _child_id(value, child: dict, result: Result) -> str | None:
    number = re.sub(r"[\s.-]", "", str(value or ""))
    if not number:
        return None
    born = child.get("date_of_birth")
    check = check_personal_id(
        number, sex=child.get("sex"), birth_year=born.year if isinstance(born, date) else None
    )
    for message in check.errors:
        result.error("child.personal_id", message)
    for message in check.warnings:
        result.warn("child.personal_id", message)
    return number


def validate_household(data: dict, result: Result, codes) -> dict:
    p = "household."
    return {
        "head_name": validate_name(data.get("head_name"), p + "head_name", "Họ tên chủ hộ",
                                   result),
        "address": _text(data.get("address"), p + "address", "Địa chỉ hộ", result),
        "village_code": clean_text(data.get("village_code")) or None,
        "poverty_status": _code(data.get("poverty_status") or "none", "poverty_status",
                                p + "poverty_status", "Hộ nghèo/cận nghèo", result, codes),
    }


def validate_caregiver(data: dict, path: str, result: Result, codes) -> dict:
    clean = {
        "relation": _code(data.get("relation"), "caregiver_relation", f"{path}.relation",
                          "Quan hệ với trẻ", result, codes),
        "full_name": validate_name(data.get("full_name"), f"{path}.full_name",
                                   "Họ tên người nuôi dưỡng", result),
        "personal_id": re.sub(r"[\s.-]", "", str(data.get("personal_id") or "")) or None,
        "phone": re.sub(r"[\s.-]", "", str(data.get("phone") or "")) or None,
    }
    if clean["personal_id"]:
        check = check_adult_id(clean["personal_id"], "Số định danh người nuôi dưỡng")
        for message in check.errors:
            result.error(f"{path}.personal_id", message)
        for message in check.warnings:
            result.warn(f"{path}.personal_id", message)
    if clean["phone"] and not PHONE.match(clean["phone"]):
        result.error(f"{path}.phone", "Số điện thoại gồm 9 đến 12 chữ số.")
    return clean


def validate_circumstance(data: dict, path: str, capture_date: date, result: Result,
                          codes) -> dict:
    code = _code(data.get("code"), "circumstance", f"{path}.code", "Hoàn cảnh", result, codes)
    since = parse_date(data.get("since")) or (capture_date if not data.get("since") else None)
    until = parse_date(data.get("until"))
    if since is None:
        result.error(f"{path}.since", "Từ ngày: không đúng định dạng ngày.")
    elif since > capture_date:
        result.error(f"{path}.since", "Từ ngày không được sau ngày thu thập.")
    if data.get("until") and until is None:
        result.error(f"{path}.until", "Đến ngày: không đúng định dạng ngày.")
    elif until and since and until < since:
        result.error(f"{path}.until", "Đến ngày phải sau từ ngày.")
    detail = {}
    for list_name in (catalogue.DETAIL_LISTS.get(code, ()) if code else ()):
        value = clean_text((data.get("detail") or {}).get(list_name)) or None
        if value is None and code in catalogue.OPTIONAL_DETAILS:
            continue
        if value is None or not codes.exists(list_name, value):
            result.error(f"{path}.detail.{list_name}", DETAIL_MESSAGES[list_name])
        detail[list_name] = value
    note = _text(data.get("note"), f"{path}.note", "Ghi chú", result, 500)
    return {"code": code, "detail": detail, "since": since, "until": until, "note": note}


def validate_support(data: dict, path: str, capture_date: date, result: Result, codes) -> dict:
    given = parse_date(data.get("date"))
    if given is None:
        result.error(f"{path}.date", "Ngày trợ giúp: vui lòng nhập ngày hợp lệ.")
    elif given > capture_date:
        result.error(f"{path}.date", "Ngày trợ giúp không được sau ngày thu thập.")
    amount = data.get("amount_vnd")
    if amount in (None, ""):
        amount = None
    else:
        amount = parse_amount(amount)
        if amount is None or amount < 0:
            result.error(f"{path}.amount_vnd", "Số tiền (đồng) phải là số nguyên không âm.")
            amount = None
        elif amount > MAX_AMOUNT_VND:  # else the database refuses it (BIGINT) with a 500
            result.error(f"{path}.amount_vnd", "Số tiền (đồng) quá lớn, vui lòng kiểm tra.")
            amount = None
    return {
        "form": _code(data.get("form"), "support_form", f"{path}.form", "Hình thức trợ giúp",
                      result, codes),
        "date": given,
        "provider": _text(data.get("provider"), f"{path}.provider", "Đơn vị trợ giúp", result),
        "amount_vnd": amount,
        "note": _text(data.get("note"), f"{path}.note", "Ghi chú", result, 500),
    }


def _caregiver_needed(result: Result, circumstances: list[dict], capture_date: date) -> None:
    open_codes = {c["code"] for c in circumstances
                  if c.get("until") is None or c["until"] > capture_date}
    if not result.clean["caregivers"] and not open_codes & NO_CAREGIVER_NEEDED:
        result.error(
            "caregivers",
            "Người nuôi dưỡng: cần ít nhất một người (trừ trẻ bị bỏ rơi hoặc di cư, lánh nạn "
            "chưa xác định được cha mẹ).",
        )


def closure_cause(reason: str, injury, cause, path: str, result: Result,
                  codes=catalogue) -> str | None:
    """The cause of a death from injury, checked; ``None`` for any other closure. An older
    phone sends neither ``injury`` nor ``cause``: a death, cause unknown."""
    cause = clean_text(cause) or None
    if reason != "died":
        if cause:
            result.error(path, ONLY_DIED)
        return None
    if injury is False:
        return None
    if cause is None:
        if injury:
            result.error(path, ASK_CAUSE)
        return None
    if not codes.exists(CAUSE_LIST, cause):
        result.error(path, f"Nguyên nhân: mã {cause} không có trong danh mục.")
    return cause
