"""Many new children at once (a bulk approval), written as :func:`children.services.create_child`
writes each one — household, child, caregivers, circumstances, support, history, audit — but
with a number of statements that does not grow with the children: the villages and the
households named by a phone's key read once, every row added and flushed together, the audit
entries in one INSERT per action (issue 13: 19 statements a child before).

Private to ``children``: ``children.services.create_children`` is the way in.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from fieldapp import access
from fieldapp.audit.services import record_many
from fieldapp.catalogue import services as catalogue
from fieldapp.children import _rules as rules
from fieldapp.children import record as child_record
from fieldapp.children._changes import Source, allowed, apply_child, support_row
from fieldapp.children.models import Caregiver, Child, ChildChange, Circumstance, Household
from fieldapp.children.validators import Result, validate_household
from fieldapp.db import utcnow
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Village

NOT_YOURS = "Thôn/bản không thuộc địa bàn của bạn."


@dataclass
class NewChild:
    """One child to create: its record as judged (``result``), through what it came, and the
    id of its new household when made elsewhere (a phone's ``household.ref``)."""

    record: dict
    result: Result
    source: Source
    household_key: uuid.UUID | None = None
    capture_date: date | None = None  # the day NC02 starts, in a poor household


def create_children(actor, items: list[NewChild]) -> list[Child | ValidationFailed]:
    """Create each item's child and new household; an item refused (its record, its village,
    its household) is answered with its :class:`ValidationFailed` and nothing of it written.

    Only new households are made here, and siblings of one batch share theirs: an item
    naming an existing household (``household_id``, or a key already in the register) is
    answered :class:`LookElsewhere`, for the caller to create with ``create_child``.
    """
    for item in items:
        allowed(actor, item.source)
    codes = {code for item in items for code in _village_codes(item)}
    villages = {v.code: v for v in db.session.scalars(
        access.villages(actor).where(Village.code.in_(sorted(codes))))}
    keys = sorted({item.household_key for item in items if item.household_key})
    known = set(db.session.scalars(select(Household.id).where(Household.id.in_(keys))))
    made: dict[uuid.UUID, Household] = {}
    out: list[Child | ValidationFailed] = []
    with db.session.no_autoflush:
        for item in items:
            try:
                out.append(_build(item, villages, known, made))
            except ValidationFailed as refused:
                out.append(refused)
    db.session.flush()
    sources = {id(c): item.source for item, c in zip(items, out, strict=True)}
    children = [c for c in out if isinstance(c, Child)]
    if children:  # as write_history writes each, in one INSERT (no ids wanted back)
        db.session.execute(insert(ChildChange), [_history(actor, c, sources[id(c)])
                                                 for c in children])
    now = utcnow()
    for commune in sorted({c.commune_code for c in children}):
        record_many(actor, "household", [
            ("household_created", h.id, None) for h in made.values()
            if h.commune_code == commune], commune_code=commune, address=None, at=now)
        record_many(actor, "child", [
            ("child_created", c.id, {"source": sources[id(c)].kind}) for c in children
            if c.commune_code == commune], commune_code=commune, address=None, at=now)
    return out


class LookElsewhere(ValidationFailed):
    """Not for the batch: an existing household (create it with ``create_child``)."""


def _history(actor, child: Child, source: Source) -> dict:
    return {"child_id": child.id, "version": child.version,
            "user_id": getattr(actor, "id", None),
            "username": getattr(actor, "username", "hệ thống"), "source": source.kind,
            "source_ref": source.ref, "note": source.note,
            "changes": child_record.diff({}, child_record.flat(child))}


def _village_codes(item: NewChild) -> list[str]:
    return [code for code in ((item.result.clean.get("child") or {}).get("village_code"),
                              (item.record.get("household") or {}).get("village_code"))
            if code]


def _village(villages: dict, code, path: str) -> Village:
    village = villages.get(code)
    if village is None or not village.active:
        raise ValidationFailed(errors={path: [NOT_YOURS]})
    return village


def _build(item: NewChild, villages: dict, known: set, made: dict) -> Child:
    if item.result.errors:
        raise ValidationFailed("Hồ sơ trẻ em chưa hợp lệ.", item.result.errors)
    clean = item.result.clean
    village = _village(villages, clean["child"]["village_code"], "child.village_code")
    key = item.household_key
    if item.record.get("household_id") or key in known:
        raise LookElsewhere()
    household = made.get(key) if key else None
    if household is None:
        household = _household(item.record.get("household") or {}, village, villages, key)
        made[household.id] = household
        db.session.add(household)
    child = Child(id=uuid.uuid4(), version=1)
    apply_child(child, clean["child"], village)
    child.caregivers = [Caregiver(id=uuid.uuid4(), position=i, **c)
                        for i, c in enumerate(clean["caregivers"])]
    rows = [c for c in clean["circumstances"] if c["code"] != rules.FOLLOWS_HOUSEHOLD]
    child.circumstances = [Circumstance(id=uuid.uuid4(), **c) for c in rows]
    child.support = [support_row(s) for s in clean["support"]]
    for row in child.support:
        row.id = uuid.uuid4()
    refused = Result()
    rules.refuse_not_poor(household.poverty_status, clean["circumstances"], refused)  # all new
    if refused.errors:
        raise ValidationFailed("Hồ sơ trẻ em chưa hợp lệ.", refused.errors)
    child.household = household
    rules.follow_household(child, item.capture_date or date.today())  # NC02: the household's
    for row in child.circumstances:
        row.id = row.id or uuid.uuid4()
    death = rules.death_in(rows)
    if death:
        rules.close_as_died(child, death["since"])
    db.session.add(child)
    return child


def _household(data: dict, village: Village, villages: dict, key) -> Household:
    result = Result()
    clean = validate_household(dict(data), result, catalogue)
    if result.errors:
        raise ValidationFailed("Hộ gia đình chưa hợp lệ.", result.errors)
    place = (_village(villages, clean["village_code"], "household.village_code")
             if clean["village_code"] else village)
    return Household(id=key or uuid.uuid4(), village_code=place.code,
                     commune_code=place.commune_code, head_name=clean["head_name"],
                     address=clean["address"], poverty_status=clean["poverty_status"])
