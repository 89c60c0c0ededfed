"""The child record, owned by the register: its fields and labels, and its shapes.

One record has three shapes, all translated here so that every feature speaks of the same
field by the same path and the same Vietnamese label (DOMAIN §4):

- the **snapshot**, as the phone and the sync API send it (``child.village``,
  ``supports.0.code``, ``supports.0.amount``, ``household.id``);
- the **record** the register's validators and services take (``child.village_code``,
  ``support.0.form``, ``support.0.amount_vnd``, ``household_id``): :func:`to_record` and back
  (:func:`of_child`, :func:`api_messages`);
- the **flat paths** of a register child, for history and review (``child.full_name``,
  ``caregivers.0.personal_id``, ``circumstances.1.until``): :func:`flat` and :func:`diff`.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Field:
    """A field of the record, named by its snapshot path."""

    path: str
    label: str  # DOMAIN §4, as forms, review and merge show it
    codes: str | None = None  # the catalogue list of its values
    restricted: bool = False  # may be masked ("hạn chế") for those not allowed to see it
    short: str | None = None  # the compact form lists, sheets and one-line notes use

    @property
    def heading(self) -> str:
        return self.short or self.label


FIELDS = (
    Field("child.personal_id", "Số định danh cá nhân"),
    Field("child.full_name", "Họ và tên"),
    Field("child.sex", "Giới tính", "sex"),
    Field("child.date_of_birth", "Ngày, tháng, năm sinh", short="Ngày sinh"),
    Field("child.ethnicity_code", "Dân tộc", "ethnicity"),
    Field("child.nationality", "Quốc tịch", "nationality"),
    Field("child.village", "Thôn, xóm, bản", short="Thôn/bản"),
    Field("child.current_residence", "Nơi ở hiện tại"),
    Field("child.address", "Địa chỉ chi tiết", short="Địa chỉ"),
    Field("child.schooling_status", "Tình trạng học tập", "schooling_status"),
    Field("child.school_left_level", "Cấp học khi bỏ học", "school_level"),
    Field("child.school_left_on", "Ngày bỏ học"),
    Field("household.id", "Hộ gia đình"),
    Field("household.head_name", "Họ tên chủ hộ"),
    Field("household.address", "Địa chỉ hộ"),
    Field("household.poverty_status", "Hộ nghèo/cận nghèo", "poverty_status"),
    Field("closure.reason", "Lý do đóng hồ sơ"),
    Field("closure.date", "Ngày chuyển đi/mất"),
    Field("closure.note", "Ghi chú đóng hồ sơ"),
    Field("closure.cause", "Nguyên nhân tai nạn thương tích", "injury_cause"),
    Field("caregivers.relation", "Quan hệ", "caregiver_relation"),
    Field("caregivers.full_name", "Họ tên"),
    Field("caregivers.personal_id", "Số định danh"),
    Field("caregivers.phone", "Điện thoại"),
    Field("circumstances.code", "Nhóm", "circumstance", restricted=True),
    Field("circumstances.since", "Từ ngày"),
    Field("circumstances.until", "Đến ngày"),
    Field("circumstances.detail", "Chi tiết", restricted=True),
    Field("circumstances.note", "Ghi chú", restricted=True),
    Field("supports.code", "Hình thức", "support_form"),
    Field("supports.date", "Ngày"),
    Field("supports.provider", "Đơn vị"),
    Field("supports.amount", "Số tiền (đồng)"),
    Field("supports.note", "Ghi chú"),
)
BY_PATH = {f.path: f for f in FIELDS}
# The rows of a record, by snapshot section (their fields are ``<section>.<name>`` above).
ROWS = {"caregivers": "Người nuôi dưỡng", "circumstances": "Hoàn cảnh", "supports": "Trợ giúp"}
# The register's attribute of a child field, where it differs from the snapshot's name.
REGISTER_NAMES = {"village": "village_code"}


def label(path: str) -> str:
    """The Vietnamese label of a snapshot path (``child.village`` → "Thôn, xóm, bản")."""
    return BY_PATH[path].label


def heading(path: str) -> str:
    """The compact label of a snapshot path (``child.village`` → "Thôn/bản")."""
    return BY_PATH[path].heading


def child_path(name: str) -> str:
    """The snapshot path of a register child attribute (``village_code`` → ``child.village``)."""
    snapshot = {v: k for k, v in REGISTER_NAMES.items()}.get(name, name)
    return f"child.{snapshot}"


# --- the record the register takes -----------------------------------------------------

# The child's own fields, in the register's names, as the forms and validators take them.
CHILD_FIELDS = ("full_name", "sex", "date_of_birth", "ethnicity_code", "nationality",
                "personal_id", "village_code", "address", "current_residence",
                "schooling_status", "school_left_level", "school_left_on")
CAREGIVER_FIELDS = ("relation", "full_name", "personal_id", "phone")
SUPPORT_NAMES = {"form": "code", "amount_vnd": "amount"}  # register name → snapshot name


def to_record(data: dict) -> tuple[dict, list[int]]:
    """The register's record for a snapshot, and for each record circumstance its snapshot
    position (masked circumstances are not the collector's to change, so they are left out)."""
    child = dict(data.get("child") or {})
    household = dict(data.get("household") or {})
    record = {"child": {**{k: v for k, v in child.items() if k != "village"},
                        "village_code": child.get("village")}}
    record["household"] = {
        "head_name": household.get("head_name"), "address": household.get("address"),
        "village_code": household.get("village") or child.get("village"),
        "poverty_status": household.get("poverty_status"),
    }
    if household.get("id"):
        record["household_id"] = household["id"]
    circumstances = data.get("circumstances") or []
    positions = [i for i, c in enumerate(circumstances) if not (c or {}).get("masked")]
    record["circumstances"] = [_circumstance(circumstances[i]) for i in positions]
    record["caregivers"] = [dict(c or {}) for c in data.get("caregivers") or []]
    record["support"] = [
        {"id": s.get("id"), "form": s.get("code"), "date": s.get("date"),
         "provider": s.get("provider"), "amount_vnd": s.get("amount"), "note": s.get("note")}
        for s in (dict(s or {}) for s in data.get("supports") or [])
    ]
    return record, positions


def _circumstance(item: dict) -> dict:
    # The id names a recorded membership (an update changes it in place); None for a new one.
    return {"id": item.get("id"), "code": item.get("code"), "since": item.get("since"),
            "until": item.get("until"), "detail": item.get("detail") or {},
            "note": item.get("note")}


def api_path(path: str, positions: list[int]) -> str:
    """The snapshot path of a register path: ``support.0.form`` → ``supports.0.code``."""
    parts = path.split(".")
    head = parts[0]
    if head == "household_id":
        return "household.id"
    if head in ("child", "household") and parts[-1] == "village_code":
        return f"{head}.village"
    if head == "support":
        parts[0] = "supports"
        if len(parts) == 3:
            parts[2] = SUPPORT_NAMES.get(parts[2], parts[2])
    if head == "circumstances" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        parts[1] = str(positions[index]) if index < len(positions) else parts[1]
    return ".".join(parts)


def api_messages(messages: dict[str, list[str]], positions: list[int]) -> dict[str, list[str]]:
    """Messages keyed by register paths, re-keyed by the snapshot's paths."""
    out: dict[str, list[str]] = {}
    for path, items in messages.items():
        out.setdefault(api_path(path, positions), []).extend(items)
    return out


# --- the snapshot of a register child --------------------------------------------------

def of_household(household) -> dict:
    return {"id": str(household.id), "village": household.village_code,
            "head_name": household.head_name, "address": household.address,
            "poverty_status": household.poverty_status}


def of_child(child, circumstances: list[dict], supports: list) -> dict:
    """A register child as the phone keeps it: id, version and its snapshot sections.

    :param circumstances: the child's circumstances as the user may see them
        (``children.queries.circumstances``), masked ones without code or detail.
    :param supports: its support records as the user may see them
        (``children.queries.supports``).
    """
    return {
        "id": str(child.id), "version": child.version, "household_id": str(child.household_id),
        "child": {**{name: plain(getattr(child, name)) for name in CHILD_FIELDS
                     if name != "village_code"}, "village": child.village_code},
        "caregivers": [{name: getattr(c, name) for name in CAREGIVER_FIELDS}
                       for c in child.caregivers],
        "circumstances": [_seen_circumstance(c, row)
                          for c, row in zip(child.circumstances, circumstances, strict=True)],
        "supports": [of_support(s) for s in supports],
    }


def of_support(s) -> dict:
    """A support record (the register's, or as seen) in the snapshot's names."""
    return {"id": str(s.id), "code": s.form, "date": s.given_on.isoformat(),
            "provider": s.provider, "amount": s.amount_vnd, "note": s.note}


def _seen_circumstance(c, row: dict) -> dict:
    base = {"id": str(c.id), "since": plain(c.since), "until": plain(c.until)}
    if row["masked"]:
        return {**base, "masked": True}
    return {**base, "code": c.code, "detail": plain(c.detail or {}), "note": c.note}


# --- flat paths and the diff (history, review) -----------------------------------------

FLAT_CHILD_FIELDS = (
    "personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code", "nationality",
    "village_code", "current_residence", "address", "schooling_status", "school_left_level",
    "school_left_on", "household_id",
    "closed_on", "closed_reason", "closed_note",
)
# Rows carry their id, so that an earlier version can be rebuilt row by row (review's
# base / current / proposed); the change log does not show ids (``ChildChange.shown``).
CIRCUMSTANCE_FIELDS = ("id", "code", "detail", "since", "until", "note", "confirmed_on")
SUPPORT_FIELDS = ("id", "form", "given_on", "provider", "amount_vnd", "note")
# An ongoing support's end and last confirmation (the periodic review's, not a form's).
SUPPORT_REVIEW_FIELDS = ("until", "confirmed_on")


def plain(value):
    """A JSON-able form of a value (dates as ISO text, ids as text)."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in sorted(value.items())}
    return str(value)


def flat(child) -> dict:
    """The register child as flat paths: ``{"child.full_name": …, "support.0.form": …}``."""
    out = {f"child.{name}": plain(getattr(child, name)) for name in FLAT_CHILD_FIELDS}
    for prefix, rows, fields in (
        ("caregivers", child.caregivers, CAREGIVER_FIELDS),
        ("circumstances", child.circumstances, CIRCUMSTANCE_FIELDS),
        ("support", child.support, SUPPORT_FIELDS + SUPPORT_REVIEW_FIELDS),
    ):
        for i, row in enumerate(rows):
            for name in fields:
                out[f"{prefix}.{i}.{name}"] = plain(getattr(row, name))
    return out


def diff(before: dict, after: dict) -> list[dict]:
    """``[{"field", "old", "new"}]`` for every path whose value differs, in path order."""
    paths = sorted(set(before) | set(after), key=_order)
    return [
        {"field": path, "old": before.get(path), "new": after.get(path)}
        for path in paths
        if before.get(path) != after.get(path)
    ]


def at_version(child, changes_since: list[list[dict]]) -> dict:
    """The child's flat paths as they were before ``changes_since`` (newest last) were made."""
    out = flat(child)
    for changes in reversed(changes_since):
        for item in changes:
            if item["old"] is None:
                out.pop(item["field"], None)
            else:
                out[item["field"]] = item["old"]
    return out


def _order(path: str):
    parts = path.split(".")
    return [int(part) if part.isdigit() else part for part in parts]


# --- a record's values in snapshot paths (review's base / current / proposed) ----------

# The snapshot fields of a row that review compares (ids link rows, they are not compared).
COMPARED_CIRCUMSTANCE = ("code", "since", "until", "detail", "note")
COMPARED_SUPPORT = ("code", "date", "provider", "amount", "note")
SUPPORT_REGISTER = {"code": "form", "date": "given_on", "provider": "provider",
                    "amount": "amount_vnd", "note": "note"}
HOUSEHOLD_FIELDS = ("head_name", "address", "poverty_status")


def _value(value):
    value = plain(value)
    return None if value in ("", {}, []) else value


def proposed_values(data: dict, clean: dict, positions: list[int]) -> dict:
    """A submission's fields in snapshot paths, as its record was cleaned by the register's
    rules (``clean``: ``validate_record(...).clean``; names in NFC, ISO dates)."""
    out = {child_path(name): _value(clean["child"].get(name)) for name in CHILD_FIELDS}
    household = data.get("household") or {}
    out["household.id"] = household.get("id")
    for name in HOUSEHOLD_FIELDS:
        out[f"household.{name}"] = _value((clean.get("household") or {}).get(name))
    for i, row in enumerate(clean["caregivers"]):
        out.update({f"caregivers.{i}.{name}": _value(row.get(name)) for name in CAREGIVER_FIELDS})
    for i, row in enumerate(clean["circumstances"]):
        out.update({f"circumstances.{positions[i]}.{name}": _value(row.get(name))
                    for name in COMPARED_CIRCUMSTANCE})
    for i, row in enumerate(clean["support"]):
        out.update({f"supports.{i}.{name}": _value(row.get(SUPPORT_REGISTER[name]))
                    for name in COMPARED_SUPPORT})
    closure = data.get("closure") or {}
    if closure:
        out.update({f"closure.{name}": _value(closure.get(name))
                    for name in ("reason", "date", "note", "cause")})
    return out


def register_values(paths: dict, household, data: dict) -> dict:
    """The register's fields (``paths``: :func:`flat` of a child) in the submission's paths:
    circumstances and support matched to the submission's rows by id."""
    out = {child_path(name): _value(paths.get(f"child.{name}"))
           for name in CHILD_FIELDS}
    out["household.id"] = paths.get("child.household_id")
    for name in HOUSEHOLD_FIELDS:
        out[f"household.{name}"] = _value(getattr(household, name)) if household else None
    i = 0
    while f"caregivers.{i}.full_name" in paths:
        out.update({f"caregivers.{i}.{name}": _value(paths.get(f"caregivers.{i}.{name}"))
                    for name in CAREGIVER_FIELDS})
        i += 1
    rows = {prefix: _rows_by_id(paths, prefix) for prefix in ("circumstances", "support")}
    for section, prefix, names in (("circumstances", "circumstances", None),
                                   ("supports", "support", SUPPORT_REGISTER)):
        for i, item in enumerate(data.get(section) or []):
            row = rows[prefix].get(str((item or {}).get("id")))
            if row is None or (item or {}).get("masked"):
                continue
            for name in (COMPARED_CIRCUMSTANCE if names is None else COMPARED_SUPPORT):
                out[f"{section}.{i}.{name}"] = _value(row.get(names[name] if names else name))
    if data.get("closure"):
        out.update({"closure.reason": _value(paths.get("child.closed_reason")),
                    "closure.date": _value(paths.get("child.closed_on")),
                    "closure.note": _value(paths.get("child.closed_note")),
                    "closure.cause": None})  # an open record has no cause of death
    return out


def _rows_by_id(paths: dict, prefix: str) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for path, value in paths.items():
        parts = path.split(".", 2)
        if parts[0] == prefix and len(parts) == 3:
            rows.setdefault(parts[1], {})[parts[2]] = value
    return {str(row.get("id")): row for row in rows.values() if row.get("id")}


# --- labels of flat paths (the change history as people read it) -----------------------

# Register names of flat paths whose snapshot path differs from ``<section>.<name>``.
FLAT_SNAPSHOT = {"child.household_id": "household.id", "child.closed_on": "closure.date",
                 "child.closed_reason": "closure.reason", "child.closed_note": "closure.note"}
ROW_SNAPSHOT = {"support": ("supports", {"form": "code", "given_on": "date",
                                         "amount_vnd": "amount"})}
EXTRA_LABELS = {"confirmed_on": "Ngày xác nhận", "id": "Mã dòng", "until": "Đến ngày"}


def flat_field(path: str) -> Field | None:
    """The :class:`Field` of a flat path (``support.0.form`` → ``supports.code``), if any."""
    if path in FLAT_SNAPSHOT:
        return BY_PATH[FLAT_SNAPSHOT[path]]
    parts = path.split(".")
    if parts[0] == "child" and len(parts) == 2:
        return BY_PATH.get(child_path(parts[1]))
    if len(parts) == 3 and parts[1].isdigit():
        section, names = ROW_SNAPSHOT.get(parts[0], (parts[0], {}))
        return BY_PATH.get(f"{section}.{names.get(parts[2], parts[2])}")
    return None


def flat_label(path: str) -> str:
    """The Vietnamese label of a flat path: ``child.village_code`` → "Thôn, xóm, bản",
    ``support.0.form`` → "Trợ giúp 1 · Hình thức" (the path itself when it has none)."""
    field = flat_field(path)
    parts = path.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        section = ROW_SNAPSHOT.get(parts[0], (parts[0],))[0]
        name = field.label if field else EXTRA_LABELS.get(parts[2])
        if section in ROWS and name:
            return f"{ROWS[section]} {int(parts[1]) + 1} · {name}"
        return path
    return field.label if field else path
