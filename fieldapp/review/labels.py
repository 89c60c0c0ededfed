"""Vietnamese names for a snapshot path, and a value as a person reads it."""

from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import CLOSE_REASONS
from fieldapp.children.validators import parse_date
from fieldapp.schemas import local_time

NAMES = {
    "child.personal_id": "Số định danh cá nhân",
    "child.full_name": "Họ và tên",
    "child.sex": "Giới tính",
    "child.date_of_birth": "Ngày, tháng, năm sinh",
    "child.ethnicity_code": "Dân tộc",
    "child.nationality": "Quốc tịch",
    "child.village": "Thôn, xóm, bản",
    "child.current_residence": "Nơi ở hiện tại",
    "child.address": "Địa chỉ chi tiết",
    "child.schooling_status": "Tình trạng học tập",
    "household.id": "Hộ gia đình",
    "household.head_name": "Họ tên chủ hộ",
    "household.address": "Địa chỉ hộ",
    "household.poverty_status": "Hộ nghèo/cận nghèo",
    "closure.reason": "Lý do đóng hồ sơ",
    "closure.date": "Ngày chuyển đi/mất",
    "closure.note": "Ghi chú đóng hồ sơ",
}
ROW_NAMES = {
    "caregivers": ("Người nuôi dưỡng", {"relation": "Quan hệ", "full_name": "Họ tên",
                                         "personal_id": "Số định danh", "phone": "Điện thoại"}),
    "circumstances": ("Hoàn cảnh", {"code": "Nhóm", "since": "Từ ngày", "until": "Đến ngày",
                                    "detail": "Chi tiết", "note": "Ghi chú"}),
    "supports": ("Trợ giúp", {"code": "Hình thức", "date": "Ngày", "provider": "Đơn vị",
                              "amount": "Số tiền (đồng)", "note": "Ghi chú"}),
}
LISTS = {
    "child.sex": "sex", "child.ethnicity_code": "ethnicity", "child.nationality": "nationality",
    "child.schooling_status": "schooling_status", "household.poverty_status": "poverty_status",
    "caregivers.relation": "caregiver_relation", "circumstances.code": "circumstance",
    "supports.code": "support_form",
}
DATES = {"child.date_of_birth", "closure.date", "circumstances.since", "circumstances.until",
         "supports.date"}


def _generic(path: str) -> str:
    """``caregivers.0.phone`` → ``caregivers.phone``."""
    parts = path.split(".")
    return f"{parts[0]}.{parts[2]}" if len(parts) == 3 and parts[1].isdigit() else path


def name(path: str) -> str:
    if path in NAMES:
        return NAMES[path]
    parts = path.split(".")
    if len(parts) == 3 and parts[0] in ROW_NAMES:
        row, fields = ROW_NAMES[parts[0]]
        return f"{row} {int(parts[1]) + 1}: {fields.get(parts[2], parts[2])}"
    return path


def shown(path: str, value, places: dict | None = None) -> str:
    """``value`` of ``path`` for a person: labels for codes, dd/mm/yyyy for dates, names of
    villages and households (``places``: their codes and ids → names)."""
    places = places or {}
    if path == "household.id":
        return places.get(value, "Hộ đã có trong sổ") if value else "Hộ mới"
    if path in ("child.village", "household.village") and value:
        return places.get(value, value)
    if value is None:
        return "—"
    generic = _generic(path)
    if generic in LISTS:
        return f"{catalogue.label(LISTS[generic], value)}"
    if generic in DATES:
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else str(value)
    if generic == "circumstances.detail":
        return ", ".join(catalogue.label(key, item) for key, item in sorted(value.items()) if item)
    if path == "closure.reason":
        return CLOSE_REASONS.get(value, value)
    if generic == "supports.amount":
        return f"{int(value):,}".replace(",", ".")
    return str(value)


local = local_time  # the review's templates read it as names.local
