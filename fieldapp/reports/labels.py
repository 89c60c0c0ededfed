"""What a person reads for a breakdown's value: a code list's label, an age group, a place's
name; pages, the Excel file and the print share these."""

from sqlalchemy import select

from fieldapp.catalogue import services as catalogue
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Village

LISTS = {"sex": ("sex",), "ethnicity": ("ethnicity",), "group": ("circumstance",),
         "form": ("support_form",), "reason": ("risk_reason", "circumstance"),
         "cause": ("injury_cause",), "level": ("school_level",)}
VERIFICATION = {"verified": "Đã được công an xác thực", "unverified": "Chưa xác thực"}
UNKNOWN = "Chưa rõ"


def places(codes) -> dict[str, str]:
    """Names of villages (9-character codes) and communes (5 digits), read in two queries."""
    codes = set(codes)
    villages = [c for c in codes if len(c) == 9]
    communes = [c for c in codes if len(c) == 5]
    names = {}
    if villages:
        names.update(db.session.execute(
            select(Village.code, Village.name).where(Village.code.in_(villages))).all())
    if communes:
        names.update(db.session.execute(
            select(Commune.code, Commune.name).where(Commune.code.in_(communes))).all())
    return names


def code_lists(dimension: str, own: str | tuple | None = None) -> tuple[str, ...]:
    """The code lists a breakdown's values come from: an indicator's own (``By.codes``),
    else the dimension's."""
    if own:
        return (own,) if isinstance(own, str) else tuple(own)
    return LISTS.get(dimension, ())


def value(dimension: str, code: str | None, names: dict | None = None,
          lists: str | tuple | None = None) -> str:
    """The label of ``code``; ``lists`` (an indicator's own code lists) before the
    dimension's."""
    if not code:
        return UNKNOWN
    if dimension == "age_group":
        return f"{code.replace('-', '–')} tuổi"
    if dimension == "verification":
        return VERIFICATION.get(code, code)
    if dimension == "place":
        return (names or {}).get(code, code)
    for name in code_lists(dimension, lists):
        item = catalogue.get(name, code)
        if item:
            return item.label
    return code
