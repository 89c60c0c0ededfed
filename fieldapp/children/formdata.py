"""Between the child form and the record dict the services take (and back, for errors)."""

from fieldapp.catalogue.services import DETAIL_LISTS
from fieldapp.children.record import CHILD_FIELDS


def record_from_form(form) -> tuple[dict, dict[str, list[int]]]:
    """The record, and for each sub-form list the form row of each record row (blank rows
    are left out, so record row 0 may be form row 2)."""
    record = {"child": {name: form[name].data for name in CHILD_FIELDS}}
    rows: dict[str, list[int]] = {}
    if "household_id" in form:
        if form.household_id.data:
            record["household_id"] = form.household_id.data
        else:
            record["household"] = dict(form.household.form.data)
    for name, convert in (("caregivers", _plain), ("circumstances", circumstance_data),
                          ("support", _plain)):
        if name not in form:
            continue
        kept = [i for i, entry in enumerate(form[name]) if not entry.form.is_blank()]
        rows[name] = kept
        record[name] = [convert(form[name][i].form) for i in kept]
    return record, rows


def _plain(subform) -> dict:
    return dict(subform.data)


def circumstance_data(subform) -> dict:
    data = subform.data
    code = data.get("code")
    detail = {name: data.get(name) for name in DETAIL_LISTS.get(code, ())}
    return {"code": code, "detail": detail, "since": data.get("since"), "note": data.get("note")}


def show_errors(form, errors: dict, rows: dict | None = None, prefix_map=None) -> list[str]:
    """Put each message next to its field; return those that have no field (form-level)."""
    unplaced = []
    for path, messages in errors.items():
        field = _field(form, path, rows or {}, prefix_map or {})
        if field is None:
            unplaced.extend(messages)
        else:
            field.errors = list(field.errors or []) + list(messages)
    return unplaced


def _field(form, path: str, rows: dict, prefix_map: dict):
    parts = path.split(".")
    head = prefix_map.get(parts[0], parts[0])
    try:
        if head == "child" and len(parts) == 2:
            return form[parts[1]]
        if head == "household" and len(parts) == 2:
            return form.household.form[parts[1]] if "household" in form else form[parts[1]]
        if head in ("caregivers", "circumstances", "support") and len(parts) >= 3:
            index = rows.get(head, list(range(99)))[int(parts[1])]
            return form[head][index].form[parts[-1]]
        if head == "item" and len(parts) >= 2:
            return form.item.form[parts[-1]]
        if len(parts) == 1 and parts[0] in form:
            return form[parts[0]]
    except (KeyError, IndexError, ValueError):
        return None
    return None
