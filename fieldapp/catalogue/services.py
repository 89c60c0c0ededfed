"""The one small API to read code lists (DOMAIN §4).

Lists: ``sex``, ``ethnicity``, ``nationality``, ``schooling_status``, ``poverty_status``,
``circumstance``, ``support_form``, ``caregiver_relation`` and the circumstance details
``disability_type``, ``disability_level`` (of ``DB04``), ``risk_reason`` (of ``NC01``),
``injury_cause`` (of ``K03``, and of ``K02``: the cause of a death from injury, which
only the officer's forms require, so that an older phone's ``K02`` stays valid).
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from fieldapp.catalogue.models import CodeItem
from fieldapp.extensions import db

DETAIL_LISTS = {
    "DB04": ("disability_type", "disability_level"),
    "NC01": ("risk_reason",),
    "K02": ("injury_cause",),
    "K03": ("injury_cause",),
}
OPTIONAL_DETAILS = {"K02"}  # a phone's K02 may come without its cause
BLOCK_LABELS = {"DB": "Hoàn cảnh đặc biệt", "NC": "Nguy cơ", "K": "Hoàn cảnh khác"}
RESTRICTED_LABEL = "hạn chế"
CACHE = "fieldapp.code_lists"


@dataclass(frozen=True)
class Code:
    """One entry of a code list, as read: a plain value, safe to keep between requests."""

    list_name: str
    code: str
    label: str
    position: int
    restricted: bool
    block: str | None
    parent: str | None


def _lists() -> tuple[dict[str, list[Code]], dict[str, dict[str, Code]]]:
    """Every active list, read in one query the first time the app needs one.

    Code lists change only by data migrations, which a deployment follows with a restart.
    """
    cached = current_app.extensions.get(CACHE)
    if cached is None:
        query = (select(CodeItem).where(CodeItem.active.is_(True))
                 .order_by(CodeItem.list_name, CodeItem.position, CodeItem.code))
        lists: dict[str, list[Code]] = {}
        for row in db.session.scalars(query):
            lists.setdefault(row.list_name, []).append(Code(
                row.list_name, row.code, row.label, row.position, bool(row.restricted),
                row.block, row.parent))
        index = {name: {c.code: c for c in codes} for name, codes in lists.items()}
        cached = current_app.extensions[CACHE] = (lists, index)
    return cached


def items(list_name: str) -> list[Code]:
    """Active entries of a list, in display order."""
    return _lists()[0].get(list_name, [])


def get(list_name: str, code: str | None) -> Code | None:
    return _lists()[1].get(list_name, {}).get(code)


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


def detail_lists(circumstance_code: str) -> dict[str, list[Code]]:
    """The detail options a circumstance asks for, by list name (empty when none)."""
    return {name: items(name) for name in DETAIL_LISTS.get(circumstance_code, ())}
