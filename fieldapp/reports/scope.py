"""Which place a user may report on (issue 15 §1): the commune officer and leader their
commune; the province viewer their province and each of its communes; the admin any. A place
outside the scope, or unknown, is not found (the same answer: nothing is learnt of it)."""

from dataclasses import dataclass
from datetime import date

from fieldapp import access, roles
from fieldapp.clock import today as vietnam_today
from fieldapp.errors import BadRequest, NotFound
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province

NOT_FOUND = "Không tìm thấy địa bàn này trong phạm vi của bạn."


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    province_code: str

    @property
    def is_commune(self) -> bool:
        return len(self.code) == 5


def default_code(user) -> str | None:
    if user.role in roles.COMMUNE:
        return user.commune_code
    if user.role == roles.PROVINCE_VIEWER:
        return user.province_code
    return None


def place_for(user, code: str | None) -> Place:
    """The place ``code`` (default: the user's own) if ``user`` may report on it."""
    access.require(user, "reports.read")
    code = (code or default_code(user) or "").strip()
    if not code:
        raise BadRequest("Chọn địa bàn (mã xã hoặc mã tỉnh).", {"place": ["Chọn địa bàn."]})
    if len(code) == 5 and code.isdigit():
        commune = db.session.get(Commune, code)
        if commune is None or not _sees_commune(user, commune):
            raise NotFound(NOT_FOUND)
        return Place(commune.code, commune.name, commune.province_code)
    if len(code) == 2 and code.isdigit():
        province = db.session.get(Province, code)
        if province is None or user.role not in (roles.ADMIN, roles.PROVINCE_VIEWER) or (
                user.role == roles.PROVINCE_VIEWER and user.province_code != code):
            raise NotFound(NOT_FOUND)
        return Place(province.code, province.name, province.code)
    raise NotFound(NOT_FOUND)


def _sees_commune(user, commune: Commune) -> bool:
    if user.role == roles.ADMIN:
        return True
    if user.role == roles.PROVINCE_VIEWER:
        return commune.province_code == user.province_code
    return commune.code == user.commune_code


def report_day(text: str | None) -> date:
    """The day asked for (ISO), today (Vietnam) when left out; never after today."""
    today = vietnam_today()
    if not text:
        return today
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest("Ngày báo cáo không hợp lệ (YYYY-MM-DD).",
                         {"date": ["Ngày không hợp lệ."]}) from None
    if day > today:
        raise BadRequest("Ngày báo cáo không được sau hôm nay.",
                         {"date": ["Không được sau hôm nay."]})
    if day.year < 2000:
        raise BadRequest("Ngày báo cáo quá xa.", {"date": ["Ngày không hợp lệ."]})
    return day
