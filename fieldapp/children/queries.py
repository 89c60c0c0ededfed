"""The register as other features and pages read it.

The register list (filters, diacritics-insensitive search, sorting, keyset pagination), a
household's children, the records merged into a child and their joined history, the merge
page's side-by-side fields, and what a user may see of a child: restricted groups become "hạn chế"
for every role that may not see them (DOMAIN §4), in pages, JSON and exports alike, and
support records stay clear of what that masking hides.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import Date, Select, exists, func, or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from fieldapp import access
from fieldapp.audit.models import AuditEntry
from fieldapp.catalogue import services as catalogue
from fieldapp.children import merge
from fieldapp.children._changes import is_over_age
from fieldapp.children.models import Child, ChildChange, ChildTransfer, Circumstance
from fieldapp.children.periods import end_of_day, known_at  # noqa: F401 (for reports)
from fieldapp.children.search import fold
from fieldapp.children.validators import age_limit
from fieldapp.cursors import encode_cursor, read_cursor
from fieldapp.extensions import db

AGE_GROUPS = {"0-2": (0, 2), "3-5": (3, 5), "6-10": (6, 10), "11-15": (11, 15)}
SORTS = {
    "name": (Child.name_key, Child.id),
    "born": (Child.date_of_birth, Child.id),
    "village": (Child.village_code, Child.name_key, Child.id),
}
PAGE_SIZE = 50
# The merge page reads two records side by side through here (the write is services').
MERGE_FIELDS = merge.FIELDS
merge_differing = merge.differing
merge_display = merge.display


@dataclass
class Filters:
    village: str = ""
    sex: str = ""
    age_group: str = ""
    circumstance: str = ""  # a code (DB04) or a block (DB, NC, K)
    has_id: str = ""  # "yes" | "no" | ""
    status: str = "active"  # active | over_age | closed | all
    q: str = ""
    sort: str = "name"
    after: str = ""


def years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def filtered(user, f: Filters, today: date) -> Select:
    query = access.children(user)
    if f.village:
        query = query.where(Child.village_code == f.village)
    if f.sex:
        query = query.where(Child.sex == f.sex)
    if f.age_group in AGE_GROUPS:
        low, high = AGE_GROUPS[f.age_group]
        query = query.where(Child.date_of_birth > years_ago(today, high + 1),
                            Child.date_of_birth <= years_ago(today, low))
    if f.has_id == "yes":
        query = query.where(Child.personal_id.is_not(None))
    elif f.has_id == "no":
        query = query.where(Child.personal_id.is_(None))
    query = _status(query, f.status, today)
    if f.circumstance:
        query = query.where(_in_group(f.circumstance, user, today))
    if f.q.strip():
        query = query.where(_search(f.q))
    return query


def in_household(user, household_id, *, besides=None) -> list[Child]:
    """The children of a household that ``user`` may see, through the child page's own scope:
    a sibling in another village does not exist for a village head, here as on its page.

    :param besides: a child to leave out (the one whose page lists its siblings).
    """
    query = access.children(user).where(Child.household_id == household_id)
    if besides is not None:
        query = query.where(Child.id != besides)
    return list(db.session.scalars(query.order_by(Child.date_of_birth, Child.id)))


def _status(query: Select, status: str, today: date) -> Select:
    sixteen = years_ago(today, age_limit())
    if status == "closed":
        return query.where(Child.closed_on.is_not(None))
    if status == "over_age":
        return query.where(Child.closed_on.is_(None), Child.date_of_birth <= sixteen)
    if status == "all":
        return query
    return query.where(Child.closed_on.is_(None), Child.date_of_birth > sixteen)


def group_codes(group: str, user) -> list[str]:
    """The circumstance codes a filter value stands for, those the user may see only."""
    items = catalogue.items("circumstance")
    codes = [i.code for i in items if i.code == group or i.block == group]
    if not access.sees_restricted(user):
        codes = [c for c in codes if not catalogue.is_restricted(c)]
    return codes


def _in_group(group: str, user, today: date):
    return exists().where(
        Circumstance.child_id == Child.id,
        Circumstance.code.in_(group_codes(group, user) or [""]),
        or_(Circumstance.until.is_(None), Circumstance.until >= today),
    )


def _search(text: str):
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and digits == text.strip().replace(" ", ""):
        return Child.personal_id.like(f"{digits}%")
    key = fold(text).replace("\\", "").replace("%", "").replace("_", "")
    return Child.name_key.like(f"%{key}%")


def page(user, f: Filters, today: date | None = None, size: int = PAGE_SIZE):
    """One page of children, the cursor of the next page (or None) and the total count."""
    today = today or date.today()
    query = filtered(user, f, today)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    columns = SORTS.get(f.sort, SORTS["name"])
    after = decode_cursor(f.after, columns)
    if after is not None:
        query = query.where(tuple_(*columns) > tuple_(*after))
    query = query.options(selectinload(Child.circumstances), joinedload(Child.village))
    rows = list(db.session.scalars(query.order_by(*columns).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    cursor = encode_cursor([_value(getattr(rows[-1], c.key)) for c in columns]) if more else None
    return rows, cursor, total


def _value(value):
    return value.isoformat() if isinstance(value, date) else str(value)


def decode_cursor(cursor: str, columns) -> list | None:
    """The sort values after which the page starts, typed like their columns; None if bad."""
    if not cursor:
        return None
    try:
        values = read_cursor(cursor)
        if not isinstance(values, list) or len(values) != len(columns):
            return None
        return [_typed(column, value) for column, value in zip(columns, values, strict=True)]
    except (ValueError, TypeError):
        return None


def _typed(column, value: str):
    if column.key == "id":
        return uuid.UUID(str(value))  # a forged cursor may hold any JSON value
    if isinstance(column.type, Date):
        return date.fromisoformat(str(value))
    return str(value)

MASKED = {"code": None, "label": catalogue.RESTRICTED_LABEL, "block": None, "details": [],
          "note": "", "masked": True}


def circumstance(c: Circumstance, user) -> dict:
    """One membership as the user may see it (dates always; code, label, detail if allowed)."""
    base = {"id": str(c.id), "since": c.since, "until": c.until,
            "open": c.until is None or c.until >= date.today()}
    if catalogue.is_restricted(c.code) and not access.sees_restricted(user):
        return {**base, **MASKED}
    item = catalogue.get("circumstance", c.code)
    detail = c.detail or {}
    details = [catalogue.label(name, detail[name])
               for name in catalogue.DETAIL_LISTS.get(c.code, ()) if detail.get(name)]
    return {**base, "code": c.code, "label": item.label if item else c.code,
            "block": catalogue.BLOCK_LABELS.get(item.block) if item else None,
            "details": details, "note": c.note, "masked": False}


def group_text(c: dict) -> str:
    """A group as a list or a paper writes it: "DB04 · Khuyết tật", or the mask alone."""
    return c["label"] if c["masked"] else f"{c['code']} · {c['label']}"


def circumstances(child: Child, user, *, open_only: bool = False) -> list[dict]:
    rows = [circumstance(c, user) for c in child.circumstances]
    return [row for row in rows if row["open"]] if open_only else rows


class Support(NamedTuple):
    """A support record as a user may see it (the note empty when it may not be shown)."""

    id: object
    form: str
    given_on: date
    provider: str
    amount_vnd: int | None
    note: str
    until: date | None = None  # an ongoing form's end (periodic review)
    confirmed_on: date | None = None


def supports(child: Child, user) -> list[Support]:
    """The child's support records as ``user`` may see them (``None``: as printed for anyone).

    A role that may not see the restricted groups sees no note (free text can say what the
    masking hides: "hỗ trợ vụ xâm hại tình dục" beside a masked DB12) and, for a child who is
    or was in a restricted group, no support at all: no record says which group a support
    answered, so any of them may be that group's.
    """
    rows = [Support(s.id, s.form, s.given_on, s.provider or "", s.amount_vnd, s.note or "",
                    s.until, s.confirmed_on) for s in child.support]
    if user is not None and access.sees_restricted(user):
        return rows
    if any(catalogue.is_restricted(c.code) for c in child.circumstances):
        return []
    return [row._replace(note="") for row in rows]


def status(child: Child) -> str:
    if child.closed_on is not None:
        return "closed"
    return "over_age" if is_over_age(child) else "active"


class _StatusLabels(Mapping):
    """The statuses' labels; "Đã đủ 16 tuổi" says the age limit in force (a setting)."""

    KEYS = ("active", "over_age", "closed")

    def __getitem__(self, key: str) -> str:
        return {"active": "Đang quản lý", "over_age": f"Đã đủ {age_limit()} tuổi",
                "closed": "Đã đóng"}[key]

    def __iter__(self):
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


STATUS_LABELS = _StatusLabels()


def age(born: date, on: date | None = None) -> int:
    on = on or date.today()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_shown(born: date, on: date | None = None) -> str:
    """"7 tháng tuổi" under a year, "3 tuổi" from then on."""
    on = on or date.today()
    years = age(born, on)
    if years >= 1:
        return f"{years} tuổi"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    return f"{months} tháng tuổi" if months > 0 else "chưa đủ 1 tháng tuổi"


def merged_records(child: Child) -> list[Child]:
    """The records merged into ``child``, and those merged into them, oldest merge first."""
    found, seen, frontier = [], {child.id}, [child.id]
    while frontier:
        rows = [row for row in db.session.scalars(
            select(Child).where(Child.merged_into_id.in_(frontier))
            .order_by(Child.closed_on, Child.id)) if row.id not in seen]
        seen.update(row.id for row in rows)
        found += rows
        frontier = [row.id for row in rows]
    return found


def joined_history(child: Child, merged: list[Child], limit: int = 50) -> list[ChildChange]:
    """The change history of ``child`` and of the records merged into it, newest first."""
    ids = [child.id, *(row.id for row in merged)]
    return list(db.session.scalars(select(ChildChange).where(ChildChange.child_id.in_(ids))
                                   .order_by(ChildChange.id.desc()).limit(limit)))


ACCESS_ACTIONS = ("child_viewed", "child_exported")


def accesses(child: Child, limit: int | None = None) -> list[AuditEntry]:
    """Who viewed or exported the record, newest first (from the audit log)."""
    query = (select(AuditEntry).where(AuditEntry.object_type == "child",
                                      AuditEntry.object_id == str(child.id),
                                      AuditEntry.action.in_(ACCESS_ACTIONS))
             .order_by(AuditEntry.id.desc()))
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def transfers_waiting(user) -> int:
    """How many children other communes sent to the user's commune wait to be received."""
    query = access.transfers(user).where(ChildTransfer.to_commune_code == user.commune_code,
                                         ChildTransfer.status == "pending")
    return db.session.scalar(select(func.count()).select_from(query.subquery()))
