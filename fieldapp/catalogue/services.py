"""The one small API to read code lists (DOMAIN §4).

Lists: ``sex``, ``ethnicity``, ``nationality``, ``schooling_status``, ``poverty_status``,
``circumstance``, ``support_form``, ``caregiver_relation`` and the circumstance details
``disability_type``, ``disability_level`` (of ``DB04``), ``risk_reason`` (of ``NC01``),
``injury_cause`` (of ``K03``).
"""

from flask import g
from sqlalchemy import select

from fieldapp.catalogue.models import CodeItem
from fieldapp.extensions import db

DETAIL_LISTS = {
    "DB04": ("disability_type", "disability_level"),
    "NC01": ("risk_reason",),
    "K03": ("injury_cause",),
}
BLOCK_LABELS = {"DB": "Hoàn cảnh đặc biệt", "NC": "Nguy cơ", "K": "Hoàn cảnh khác"}
RESTRICTED_LABEL = "hạn chế"


def items(list_name: str) -> list[CodeItem]:
    """Active entries of a list, in display order (cached for the request)."""
    cache = g.setdefault("_code_lists", {})
    if list_name not in cache:
        query = (
            select(CodeItem)
            .where(CodeItem.list_name == list_name, CodeItem.active.is_(True))
            .order_by(CodeItem.position, CodeItem.code)
        )
        cache[list_name] = list(db.session.scalars(query))
    return cache[list_name]


def get(list_name: str, code: str | None) -> CodeItem | None:
    return next((item for item in items(list_name) if item.code == code), None)


def exists(list_name: str, code: str | None) -> bool:
    return get(list_name, code) is not None


def label(list_name: str, code: str | None) -> str:
    """The Vietnamese label, or the code itself when it is unknown."""
    item = get(list_name, code)
    return item.label if item else (code or "")


def choices(list_name: str) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for a select field."""
    return [(item.code, item.label) for item in items(list_name)]


def is_restricted(circumstance_code: str) -> bool:
    item = get("circumstance", circumstance_code)
    return bool(item and item.restricted)


def detail_lists(circumstance_code: str) -> dict[str, list[CodeItem]]:
    """The detail options a circumstance asks for, by list name (empty when none)."""
    return {name: items(name) for name in DETAIL_LISTS.get(circumstance_code, ())}
