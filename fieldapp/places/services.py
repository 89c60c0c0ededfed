"""Loading the national list of places and keeping each commune's villages."""

import unicodedata

from sqlalchemy import select
from vietnam_provinces import Province as VpProvince
from vietnam_provinces import Ward as VpWard

from fieldapp.audit.services import record
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province, Village


def load_places() -> dict[str, int]:
    """Insert or correct the 34 provinces and 3,321 communes; a second run changes nothing.

    :returns: counts of ``added``, ``changed`` and ``unchanged`` rows.
    """
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    provinces = {p.code: p for p in db.session.scalars(select(Province))}
    for vp in VpProvince.iter_all():
        code = f"{int(vp.code):02d}"
        _upsert(provinces.get(code), Province, counts, code=code, name=vp.name,
                division_type=vp.division_type.value)
    db.session.flush()
    communes = {c.code: c for c in db.session.scalars(select(Commune))}
    for ward in VpWard.iter_all():
        code = f"{int(ward.code):05d}"
        _upsert(communes.get(code), Commune, counts, code=code, name=ward.name,
                division_type=ward.division_type.value,
                province_code=f"{int(ward.province_code):02d}")
    db.session.flush()
    return counts


def _upsert(existing, model, counts: dict, **values) -> None:
    if existing is None:
        db.session.add(model(**values))
        counts["added"] += 1
    elif any(getattr(existing, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(existing, key, value)
        counts["changed"] += 1
    else:
        counts["unchanged"] += 1


def clean_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def _check_name(commune_code: str, name: str, exclude: str | None = None) -> str:
    name = clean_name(name)
    if not 2 <= len(name) <= 100:
        raise ValidationFailed(errors={"name": ["Tên thôn/bản có từ 2 đến 100 ký tự."]})
    # Compared in Python: SQLite's lower() folds ASCII only ("BẢN" would not match "bản").
    query = select(Village.name).where(Village.commune_code == commune_code)
    if exclude:
        query = query.where(Village.code != exclude)
    if any(other.casefold() == name.casefold() for other in db.session.scalars(query)):
        raise ValidationFailed(errors={"name": ["Xã đã có thôn/bản với tên này."]})
    return name


def next_village_code(commune_code: str) -> str:
    codes = db.session.scalars(select(Village.code).where(Village.commune_code == commune_code))
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise ValidationFailed(errors={"name": ["Xã đã có đủ 999 thôn/bản."]})
    return f"{commune_code}-{number:03d}"


def create_village(actor, commune_code: str, name: str, address: str | None = None) -> Village:
    """Add a village to ``commune_code`` with the next free code ``<commune>-NNN``."""
    village = Village(
        code=next_village_code(commune_code),
        commune_code=commune_code,
        name=_check_name(commune_code, name),
    )
    db.session.add(village)
    db.session.flush()
    record(actor, "village_created", "village", village.code, commune_code=commune_code,
           address=address)
    return village


def rename_village(actor, village: Village, name: str, address: str | None = None) -> None:
    village.name = _check_name(village.commune_code, name, exclude=village.code)
    record(actor, "village_renamed", "village", village.code,
           commune_code=village.commune_code, address=address)


def set_village_active(actor, village: Village, active: bool, address=None) -> None:
    """Deactivate (kept with its code and history, no new assignments) or reactivate."""
    village.active = active
    action = "village_reactivated" if active else "village_deactivated"
    record(actor, action, "village", village.code, commune_code=village.commune_code,
           address=address)
