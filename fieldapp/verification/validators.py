"""The rules of one police result, in one place: the police's form and the officer's import of
the spreadsheet both use them (DOMAIN §7 for the number).

A result says either "found", with the verified 12-digit number and any corrections to the
identity fields, or "không tìm thấy" with a note. A blank correction leaves the field as sent:
the police supply values, they never erase one.
"""

import re
from datetime import date

from fieldapp.catalogue import services as catalogue
from fieldapp.children.validators import (
    Result,
    age_limit,
    check_adult_id,
    check_personal_id,
    clean_text,
    parse_date,
    sixteenth_birthday,
    validate_name,
)
from fieldapp.verification.identity import CAREGIVER_CORRECTABLE, CORRECTABLE, flat, label

NUMBER_LABEL = "Số định danh đã xác thực"
NOTE_LIMIT = 500


def digits(value) -> str:
    """A number as typed: spaces, dots and dashes between digit groups left out."""
    return re.sub(r"[\s.-]", "", str(value or ""))


def check_result(item, data: dict, *, taken: dict[str, int] | None = None,
                 today: date | None = None) -> Result:
    """Check the police's result for ``item``; ``clean`` holds what to store.

    :param data: ``not_found`` (bool), ``verified_id``, ``note`` and ``corrections`` (flat
        keys of :func:`identity.flat`: ``full_name``, ``caregivers.0.personal_id``…).
    :param taken: numbers already given to other rows of the batch, with their STT.
    """
    result = Result()
    today = today or date.today()
    note = clean_text(data.get("note"))
    if len(note) > NOTE_LIMIT:
        result.error("note", f"Ghi chú dài quá {NOTE_LIMIT} ký tự.")
    number = digits(data.get("verified_id"))
    corrections = _corrections(item.sent, data.get("corrections") or {}, result, today)
    if data.get("not_found"):
        outcome = "not_found"
        if number:
            result.error("verified_id", "Đã đánh dấu không tìm thấy thì không ghi số định danh.")
        if not note:
            result.error("note", "Ghi chú: vui lòng ghi lý do không tìm thấy.")
        if corrections:
            result.error("not_found", "Không tìm thấy thì không sửa thông tin nhân thân.")
    else:
        outcome = "corrected" if corrections else "verified"
        _check_number(number, item.sent, corrections, result)
        if number and taken and taken.get(number) not in (None, item.position):
            result.error("verified_id",
                         f"{NUMBER_LABEL}: số này đã ghi cho trẻ STT {taken[number]} "
                         "của danh sách.")
    result.clean = {"outcome": outcome, "verified_id": number or None, "note": note or None,
                    "corrections": corrections or None}
    return result


def _check_number(number: str, sent: dict, corrections: dict, result: Result) -> None:
    if not number:
        result.error("verified_id",
                     f"{NUMBER_LABEL}: vui lòng nhập (hoặc đánh dấu Không tìm thấy).")
        return
    sex = corrections.get("sex", sent.get("sex"))
    born = parse_date(corrections.get("date_of_birth", sent.get("date_of_birth")))
    check = check_personal_id(number, sex=sex, birth_year=born.year if born else None,
                              label=NUMBER_LABEL)
    for message in check.errors:
        result.error("verified_id", message)
    for message in check.warnings:
        result.warn("verified_id", message)


def _corrections(sent: dict, given: dict, result: Result, today: date) -> dict:
    """The corrections that differ from what was sent, each checked by its field's rule."""
    before = flat(sent)
    allowed = set(CORRECTABLE) | {
        f"caregivers.{i}.{name}" for i in range(len(sent.get("caregivers") or []))
        for name in CAREGIVER_CORRECTABLE}
    out = {}
    for key, raw in given.items():
        if key not in allowed or (clean_text(raw) == "" and not hasattr(raw, "isoformat")):
            continue  # not correctable, or left blank: as sent
        value = _clean(key, raw, result, today, label(key, sent))
        if value is not None and value != before.get(key):
            out[key] = value
    return out


def _clean(key: str, raw, result: Result, today: date, name: str):
    field = key.rsplit(".", 1)[-1]
    if field == "full_name":
        return validate_name(raw, key, name, result)
    if key == "sex":
        return _code(raw, "sex", key, name, result)
    if key == "ethnicity_code":
        return _code(raw, "ethnicity", key, name, result)
    if key == "date_of_birth":
        return _birth_date(raw, result, today)
    if field == "personal_id":
        number = digits(raw)
        for message in check_adult_id(number, name[0].upper() + name[1:]).errors:
            result.error(key, message)
        return number
    text = clean_text(raw)
    if len(text) > 200:
        result.error(key, f"{name} dài quá 200 ký tự.")
    return text


def _code(raw, list_name: str, key: str, name: str, result: Result) -> str | None:
    code = clean_text(raw)
    if not catalogue.exists(list_name, code):
        result.error(key, f"{name}: mã {code} không có trong danh mục.")
        return None
    return code


def _birth_date(raw, result: Result, today: date) -> str | None:
    born = parse_date(raw)
    if born is None:
        result.error("date_of_birth", "Ngày sinh không đúng định dạng ngày.")
    elif born > today:
        result.error("date_of_birth", "Ngày sinh không được ở tương lai.")
    elif sixteenth_birthday(born, limit := age_limit()) <= today:
        result.error("date_of_birth",
                     f"Ngày sinh: trẻ đã đủ {limit} tuổi, hồ sơ không còn trong danh sách trẻ "
                     "em đang quản lý; ghi vào ô ghi chú.")
    else:
        return born.isoformat()
    return None
