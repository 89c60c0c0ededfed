"""A submission's circumstance rows matched to the register's before it is compared or applied.

- A new row (no id) for a group the child is already in, open, is that membership: it gets
  its id, so approving changes the membership instead of opening a second one (a collector
  who did not know, or a submission matched to a register child).
- A row naming a restricted membership its author may not see is passed back as masked,
  whatever it says: a collector cannot rewrite what they were never shown.
- Likewise a support its author was never shown (``children.queries.supports``) stays as the
  register holds it, and an empty note from an author who is shown no note means "as it
  is", not "erase it" (a note they write is theirs, and the officer sees it change).
"""

import copy

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries as child_queries
from fieldapp.children import record as child_record
from fieldapp.children.models import Child


def linked(data: dict, child: Child, author) -> dict:
    out = copy.deepcopy(data)
    rows = out.get("circumstances") or []
    known = {str(c.id): c for c in child.circumstances}
    named = {str((row or {}).get("id")) for row in rows if (row or {}).get("id")}
    open_by_code = {c.code: c for c in child.circumstances
                    if c.until is None and str(c.id) not in named}
    hidden = not access.sees_restricted(author)
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("masked"):
            continue
        register = known.get(str(row.get("id"))) if row.get("id") else None
        if register is not None and hidden and catalogue.is_restricted(register.code):
            rows[i] = {"id": row["id"], "masked": True}
        elif not row.get("id") and row.get("code") in open_by_code:
            row["id"] = str(open_by_code.pop(row["code"]).id)
    if hidden:
        _supports(out, child, author)
    return out


def _supports(out: dict, child: Child, author) -> None:
    shown = {str(s.id) for s in child_queries.supports(child, author)}
    register = {str(s.id): s for s in child.support}
    rows = out.get("supports") or []
    for i, row in enumerate(rows):
        kept = register.get(str(row.get("id"))) if isinstance(row, dict) else None
        if kept is None:
            continue
        if str(kept.id) in shown:
            row["note"] = row.get("note") or kept.note
        else:
            rows[i] = child_record.of_support(kept)
