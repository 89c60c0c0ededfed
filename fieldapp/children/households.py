"""Households: created and changed through ``children.services`` (which opens these
functions to other features). A household's poverty status decides its children's ``NC02``
(``children._rules``): when it changes, each active child joins or leaves the group with a
version of its own."""

import uuid
from datetime import date

from sqlalchemy import select

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import _rules as rules
from fieldapp.children import record as child_record
from fieldapp.children._changes import OFFICER_EDIT, Source, changed, is_over_age, village_of
from fieldapp.children.models import Child, Circumstance, Household
from fieldapp.children.validators import Result, validate_household
from fieldapp.db import utcnow
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village


def household_for(actor, record: dict, village: Village, key=None) -> Household:
    """The household a child's record names (one of the actor's places), or a new one."""
    if record.get("household_id"):
        try:
            return access.get_or_404(Household, record["household_id"], actor)
        except NotFound:
            raise ValidationFailed(
                errors={"household_id": ["Hộ gia đình không thuộc địa bàn của bạn."]}
            ) from None
    data = dict(record.get("household") or {})
    data.setdefault("village_code", village.code)
    return create_household(actor, data, key=key)


def _clean_household(actor, data: dict, village_code: str | None = None):
    """Check who may write and what; the village defaults to ``village_code``."""
    access.require(actor, "children.edit")
    result = Result()
    clean = validate_household(data, result, catalogue)
    if result.errors:
        raise ValidationFailed("Hộ gia đình chưa hợp lệ.", result.errors)
    village = village_of(actor, clean["village_code"] or village_code, "household.village_code")
    return clean, village


def create_household(actor, data: dict, *, key: uuid.UUID | None = None) -> Household:
    """Create a household in a village of the actor's places.

    :param key: its id when made elsewhere (a phone's ``household.ref``, shared by siblings).
    """
    clean, village = _clean_household(actor, data)
    household = Household(
        id=key or uuid.uuid4(),
        village_code=village.code, commune_code=village.commune_code,
        head_name=clean["head_name"], address=clean["address"],
        poverty_status=clean["poverty_status"],
    )
    db.session.add(household)
    db.session.flush()
    audit(actor, "household_created", "household", household.id,
          commune_code=household.commune_code)
    return household


def update_household(actor, household: Household, data: dict, *,
                     source: Source = OFFICER_EDIT, skip: Child | None = None,
                     on: date | None = None) -> None:
    """Change a household's head, address, village or poverty status.

    When it becomes poor or near-poor, or stops being either, each of its active children
    joins or leaves ``NC02`` on ``on`` (today by default; a phone's day of capture), each with
    a new version (``skip``: a child whose own change, written by the caller, applies it).
    """
    clean, village = _clean_household(actor, data, household.village_code)
    was_poor = rules.is_poor(household.poverty_status)
    household.head_name, household.address = clean["head_name"], clean["address"]
    household.poverty_status, household.village_code = clean["poverty_status"], village.code
    household.updated_at = utcnow()
    audit(actor, "household_updated", "household", household.id,
          commune_code=household.commune_code)
    if rules.is_poor(household.poverty_status) != was_poor:
        _follow(actor, household, source, skip, on or date.today())


def _follow(actor, household: Household, source: Source, skip: Child | None, on: date):
    note = ("Hộ gia đình " + ("thuộc hộ nghèo/cận nghèo" if rules.is_poor(
        household.poverty_status) else "không còn nghèo, cận nghèo"))
    follows = Source(source.kind, source.ref, note=note)
    for child in household.children:
        if child is skip or child.closed_on is not None or is_over_age(child):
            continue
        before = child_record.flat(child)
        rules.follow_household(child, on)
        changed(actor, child, before, follows)


def align_household_groups(commune_code: str, on: date | None = None) -> int:
    """Bring a commune's active children in line with their household's poverty status
    (``NC02`` opened or ended on ``on``, today by default), each with a new version by the
    system; for a register kept before the rule (``flask children align``). Returns how many
    children changed."""
    on = on or date.today()
    source = Source("system", note="NC02 theo tình trạng nghèo, cận nghèo của hộ gia đình")
    in_nc02 = select(Circumstance.id).where(
        Circumstance.child_id == Child.id, Circumstance.code == rules.FOLLOWS_HOUSEHOLD,
        Circumstance.until.is_(None)).exists()
    poor = Household.poverty_status.in_(sorted(rules.POOR))
    children = db.session.scalars(  # only those out of line: a commune may hold 100,000
        select(Child).join(Child.household).where(
            Child.commune_code == commune_code, Child.closed_on.is_(None),
            (poor & ~in_nc02) | (~poor & in_nc02)).order_by(Child.id))
    count = 0
    for child in children:
        if is_over_age(child, on):
            continue
        before = child_record.flat(child)
        rules.follow_household(child, on)
        count += bool(changed(None, child, before, source))
    return count
