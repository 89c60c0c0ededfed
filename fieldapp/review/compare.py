"""A submission beside the register, field by field, in the snapshot's paths.

Each compared field has up to three values: ``base`` (the register at the version the
collector started from), ``current`` (the register now) and ``proposed`` (the submission,
cleaned by the register's rules). For a stale update they decide who changed what:

- only the collector changed it (base = current): the proposed value goes in by default;
- only the register changed it (proposed = base): the register's value stays by default;
- both changed it, differently: a person must choose (``Field.must_choose``).

A submission the officer matched to a register child ("đây là cùng một trẻ") has no base:
a field both hold with different values must be chosen; one only the submission fills takes
it by default, one only the register fills keeps it. The register's value may be kept even
when it is empty, except in a row the register does not have (``Field.keepable``).
"""

import copy
from dataclasses import dataclass

from sqlalchemy import func, select

from fieldapp.children import record as child_record
from fieldapp.children.models import Child, ChildChange
from fieldapp.children.validators import Result, validate_record
from fieldapp.collection.models import Submission
from fieldapp.extensions import db
from fieldapp.review.rows import linked

HOUSEHOLD = child_record.HOUSEHOLD_FIELDS
HOUSEHOLD_PATHS = {f"household.{name}" for name in HOUSEHOLD}
CHOICES = ("register", "proposed")
NEW_ROWS = ("circumstances", "supports")


@dataclass
class Field:
    path: str
    base: object
    current: object
    proposed: object
    stale: bool  # compared three ways

    @property
    def differs(self) -> bool:
        return self.current != self.proposed

    @property
    def who(self) -> str:
        """``collector``, ``register`` or ``both``: who changed it since the base."""
        if not self.stale or self.base == self.current:
            return "collector"
        return "register" if self.proposed == self.base else "both"

    @property
    def must_choose(self) -> bool:
        return self.stale and self.differs and self.who == "both"

    @property
    def keepable(self) -> bool:
        """Can the register's value be kept? An empty one too, except in a row the register
        does not have (a new circumstance or support: refuse the submission instead)."""
        return self.current is not None or self.path.split(".")[0] not in NEW_ROWS

    @property
    def default(self) -> str | None:
        return {"collector": "proposed", "register": "register"}.get(self.who)


@dataclass
class Comparison:
    data: dict  # the submission's data, its rows linked to the register's (review.rows)
    record: dict  # ``data`` as the register's record (``children.record.to_record``)
    fields: list[Field]
    result: Result  # the proposed record judged by today's rules
    positions: list[int]  # the snapshot position of each record circumstance
    current_version: int | None

    def differing(self) -> list[Field]:
        return [f for f in self.fields if f.differs]

    def by_path(self) -> dict[str, Field]:
        return {f.path: f for f in self.fields}

    @property
    def errors(self) -> dict[str, list[str]]:
        return child_record.api_messages(self.result.errors, self.positions)

    @property
    def warnings(self) -> dict[str, list[str]]:
        return child_record.api_messages(self.result.warnings, self.positions)


def base_flat(child: Child, base_version: int) -> dict:
    """The child's history snapshot at ``base_version``, rebuilt from the changes since."""
    changes = db.session.scalars(
        select(ChildChange.changes).where(ChildChange.child_id == child.id,
                                          ChildChange.version > base_version)
        .order_by(ChildChange.version, ChildChange.id))
    return child_record.at_version(child, list(changes))


def compare(submission: Submission, child: Child | None, today) -> Comparison:
    """The submission judged by today's rules and set beside ``child`` (for an update)."""
    data = linked(submission.data, child, submission.user) if child else submission.data
    record, positions = child_record.to_record(data)
    result = validate_record(record, capture_date=today)
    proposed = child_record.proposed_values(data, result.clean, positions)
    if child is None:
        fields = [Field(p, None, None, v, False) for p, v in proposed.items()]
        return Comparison(data, record, fields, result, positions, None)
    current = child_record.register_values(child_record.flat(child), child.household, data)
    matched = submission.base_version is None  # the officer said "the same child"
    stale = matched or submission.base_version < child.version
    base = {}
    if stale and not matched:
        base = child_record.register_values(base_flat(child, submission.base_version),
                                            child.household, data)
    known = not matched and _household_unchanged(child, submission.base_version, base)
    for name in HOUSEHOLD:  # unknown: as for a match, a value both sides hold is chosen
        base[f"household.{name}"] = current.get(f"household.{name}") if known else None
    paths = list(proposed) + [p for p in current if p not in proposed]
    fields = [Field(p, base.get(p), current.get(p), proposed.get(p),
                    stale or (not known and p in HOUSEHOLD_PATHS)) for p in paths]
    return Comparison(data, record, fields, result, positions, child.version)


def _household_unchanged(child: Child, base_version: int, base: dict) -> bool:
    """Households keep no history (and a change of one is no version of the child): the
    collector's household is today's only if the child is still in it and it has not been
    changed since the base version was written."""
    if base and base.get("household.id") != str(child.household_id):
        return False
    written = db.session.scalar(select(func.max(ChildChange.at)).where(
        ChildChange.child_id == child.id, ChildChange.version == base_version))
    return written is not None and child.household.updated_at <= written


def resolve(comparison: Comparison, choices: dict[str, str]) -> dict:
    """The submission's data with every field taken from where it was chosen (a field not
    chosen takes its default). Caregiver rows left wholly empty are dropped."""
    out = copy.deepcopy(comparison.data)
    for f in comparison.differing():
        if choices.get(f.path, f.default) == "register":
            _set(out, f.path, f.current)
    out["caregivers"] = [row for row in out.get("caregivers") or []
                         if any(v not in (None, "") for v in (row or {}).values())]
    return out


def _set(data: dict, path: str, value) -> None:
    """Set a dotted path, making the rows and sections on the way."""
    parts = path.split(".")
    node = data
    for part, after in zip(parts, parts[1:], strict=False):
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append({})
            node[index] = node[index] or {}
            node = node[index]
        else:
            if node.get(part) is None:
                node[part] = [] if after.isdigit() else {}
            node = node[part]
    node[parts[-1]] = value
