"""The groups that follow from something else (issue 14): a death from injury (``K02``)
closes the record, and the household's poverty status sets ``NC02`` and allows ``DB14``.

Private to ``children``: its services and batch apply these rules to the child they write,
before its one new version, so that the rule's change is in the same history entry.
"""

from datetime import date

from fieldapp.children.models import Child, Circumstance

POOR = frozenset({"poor", "near_poor"})
FOLLOWS_HOUSEHOLD = "NC02"  # sống trong gia đình nghèo, cận nghèo
NEEDS_POOR = "DB14"  # bệnh hiểm nghèo ... thuộc hộ nghèo hoặc cận nghèo
DIED_OF_INJURY = "K02"  # bị tử vong do tai nạn thương tích
CAUSE_LIST = "injury_cause"

NOT_BY_HAND = ("NC02 theo tình trạng nghèo, cận nghèo của hộ gia đình, không nhập tay: "
               "sửa tình trạng của hộ ở trang hộ gia đình.")
NOT_POOR = ("DB14 chỉ dành cho trẻ thuộc hộ nghèo hoặc cận nghèo; hộ của trẻ không nghèo, "
            "không cận nghèo.")
ASK_INJURY = "Trẻ mất có do tai nạn thương tích không? Vui lòng chọn."
ASK_CAUSE = "Chọn nguyên nhân tai nạn thương tích."
ONLY_DIED = "Nguyên nhân tai nạn thương tích chỉ ghi khi trẻ đã mất."


def is_poor(status: str | None) -> bool:
    return status in POOR


def follow_household(child: Child, on: date) -> None:
    """Open ``NC02`` on ``on`` if the child's household is poor or near-poor and the child
    is not in it; end it on ``on`` if the household is neither."""
    poor = child.household is not None and is_poor(child.household.poverty_status)
    current = [c for c in child.circumstances if c.code == FOLLOWS_HOUSEHOLD and c.until is None]
    if poor and not current:
        child.circumstances.append(
            Circumstance(code=FOLLOWS_HOUSEHOLD, detail={}, since=on, note=""))
    elif not poor:
        for row in current:
            row.until = max(on, row.since)


def refuse_not_poor(status: str | None, rows: list[dict], result, raw: list | None = None):
    """A new open ``DB14`` among ``rows`` (cleaned circumstances; ``raw``, as given, says which
    rows are the register's own by their ``id``) for a household that is neither poor nor
    near-poor: an error next to its code. A DB14 the register holds already stays (it is not
    ended with the household's poverty), so that its child's other changes are not refused."""
    if is_poor(status):
        return
    for i, row in enumerate(rows):
        kept = raw is not None and i < len(raw) and (raw[i] or {}).get("id")
        if row.get("code") == NEEDS_POOR and row.get("until") is None and not kept:
            result.error(f"circumstances.{i}.code", NOT_POOR)


def died_of_injury(child: Child, on: date, cause: str, note: str = "") -> None:
    """Record ``K02`` from ``on`` with its cause (if the child is not in it already)."""
    if not any(c.code == DIED_OF_INJURY and c.until is None for c in child.circumstances):
        child.circumstances.append(Circumstance(
            code=DIED_OF_INJURY, detail={CAUSE_LIST: cause}, since=on, note=note))


def close_as_died(child: Child, on: date, note: str | None = None) -> None:
    child.closed_on, child.closed_reason = on, "died"
    child.closed_note = note or "Tử vong do tai nạn thương tích."


def death_in(rows: list[dict]) -> dict | None:
    """The first open ``K02`` row of cleaned circumstances, if any."""
    return next((r for r in rows if r.get("code") == DIED_OF_INJURY and r.get("until") is None),
                None)
