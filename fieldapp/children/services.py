"""The register's one public write API: a child or household is created or changed only
here — by the officer's forms, approved submissions (:func:`revise_child`), the cleaning
lists, merges and police verification, each with its :class:`Source` for the history.
Services flush; the view commits. How a change is written is ``children._changes``."""

import uuid
from datetime import date

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import _rules as rules
from fieldapp.children import (
    batch,
    consents,
    households,
    merge,
    pairs,
    periodic,
    periods,  # noqa: F401 (registers its Session hook)
    schooling,
)
from fieldapp.children import record as child_record
from fieldapp.children._changes import (  # noqa: F401 (Source, is_over_age: public)
    OFFICER_EDIT,
    Source,
    allowed,
    apply_child,
    changed,
    is_over_age,
    refuse,
    replace_caregivers,
    support_row,
    village_of,
    writable,
    write_history,
)
from fieldapp.children.households import (
    create_household,
    household_for,
    update_household,
)
from fieldapp.children.merge import check_mergeable
from fieldapp.children.models import (
    CLOSE_REASONS,
    Caregiver,
    Child,
    Circumstance,
    Household,
)
from fieldapp.children.validators import (
    Result,
    clean_text,
    closure_cause,
    parse_date,
    validate_circumstance,
    validate_record,
    validate_support,
)
from fieldapp.errors import NotFound, ValidationFailed
from fieldapp.extensions import db

FIELD_CLOSE_REASONS = ("moved_away", "died")  # merged is the officer's, never the field's


def _refuse_not_poor(household: Household, rows: list[dict], raw: list | None = None):
    result = Result()
    rules.refuse_not_poor(household.poverty_status, rows, result, raw)
    refuse(result)


def _by_hand(result: Result, refused: bool) -> set[int]:
    """The indexes of the ``NC02`` rows of a record: the officer's new-child form is refused
    them (``refused``); elsewhere (a phone, a merge) they are left out, the household's
    status deciding, so that no phone's queued submission is lost over them."""
    rows = {i for i, c in enumerate(result.clean.get("circumstances") or [])
            if c.get("code") == rules.FOLLOWS_HOUSEHOLD}
    if refused:
        for i in sorted(rows):
            result.error(f"circumstances.{i}.code", rules.NOT_BY_HAND)
    return rows


def _kept_dropout(child: Child, record: dict, result: Result) -> None:
    """A child the register holds as a dropout (HT07) from before its level and day were
    asked (migration 0013) keeps them unknown when a write leaves the status as it is and
    gives neither: the police's result or a merge is not refused over the register's own
    gap (the officer's form asks them)."""
    given = record.get("child") or {}
    if (child.schooling_status == schooling.DROPPED_OUT and child.school_left_level is None
            and child.school_left_on is None
            and (result.clean.get("child") or {}).get("schooling_status")
            == schooling.DROPPED_OUT
            and not given.get("school_left_level") and not given.get("school_left_on")):
        for path in ("child.school_left_level", "child.school_left_on"):
            result.errors.pop(path, None)


def create_child(actor, record: dict, *, capture_date: date | None = None,
                 source: Source = OFFICER_EDIT, household_key: uuid.UUID | None = None,
                 validated: Result | None = None) -> Child:
    """Create a child with household, caregivers, circumstances and support from a record.

    :param record: sections ``child``, ``household`` (new) or ``household_id`` (existing),
        ``caregivers``, ``circumstances``, ``support`` (see validators).
    :param household_key: the id of the new household, when made elsewhere (a phone).
    :param validated: ``validate_record(record)`` on ``capture_date``, when the caller has
        already judged the record (a review approval); judged here otherwise.
    """
    allowed(actor, source)
    day = capture_date or date.today()
    result = validated if validated is not None else validate_record(record, capture_date=day)
    skipped = _by_hand(result, source.kind == "officer_edit")
    refuse(result)
    clean = result.clean
    village = village_of(actor, clean["child"]["village_code"], "child.village_code")
    household = household_for(actor, record, village, household_key)
    _refuse_not_poor(household, clean["circumstances"])  # every row is new here
    rows = [c for i, c in enumerate(clean["circumstances"]) if i not in skipped]
    with db.session.no_autoflush:
        child = Child(version=1)
        apply_child(child, clean["child"], village)
        child.caregivers = [Caregiver(position=i, **c) for i, c in enumerate(clean["caregivers"])]
        child.circumstances = [Circumstance(**c) for c in rows]
        child.support = [support_row(s) for s in clean["support"]]
        child.household = household
        rules.follow_household(child, day)
        death = rules.death_in(rows)
        if death:
            rules.close_as_died(child, death["since"])
        db.session.add(child)
    db.session.flush()
    write_history(actor, child, {}, source)
    audit(actor, "child_created", "child", child.id, commune_code=child.commune_code,
          detail={"source": source.kind})
    return child


def update_child(actor, child: Child, record: dict, *, capture_date: date | None = None,
                 source: Source = OFFICER_EDIT) -> list[dict]:
    """Replace a child's own fields and caregivers (and household, when given).

    Circumstances and support change through their own services. Returns the changes.
    """
    writable(actor, child, source)
    data = dict(record)
    data["circumstances"] = [_circumstance_data(c) for c in child.circumstances]
    result = validate_record(data, capture_date=capture_date or date.today())
    if source.kind != OFFICER_EDIT.kind:
        _kept_dropout(child, record, result)
    refuse(result)
    before = child_record.flat(child)
    village = village_of(actor, result.clean["child"]["village_code"], "child.village_code")
    if record.get("household_id") or record.get("household"):
        child.household = household_for(actor, record, village)
    apply_child(child, result.clean["child"], village)
    replace_caregivers(child, result.clean["caregivers"])
    rules.follow_household(child, date.today())
    db.session.flush()  # a new household is only a relationship until then: no household_id
    return changed(actor, child, before, source)


def revise_child(actor, child: Child, record: dict, *, source: Source,
                 closure: dict | None = None, household_key: uuid.UUID | None = None,
                 capture_date: date | None = None,
                 validated: Result | None = None) -> list[dict]:
    """Apply ``record`` to ``child``; rows with an ``id`` change that row, rows without are
    added; rows the record does not name are left as they are. Returns the changes.

    :param record: ``child``, ``household`` (its fields) and ``household_id`` (existing) or
        none (a new household, made with ``household_key``), ``caregivers``,
        ``circumstances`` and ``support`` (each row may carry its ``id``).
    :param closure: ``{"reason": "moved_away" | "died", "date", "note"}`` to close the record.
    :param validated: ``validate_record(record)`` on ``capture_date``, when the caller has
        already judged the record (a review approval); judged here otherwise.
    """
    writable(actor, child, source)
    day = capture_date or date.today()
    result = validated if validated is not None else validate_record(record, capture_date=day)
    _check_rows(child, record, result)
    closing = _field_closure(closure, child, day, result)
    skipped = _by_hand(result, False)
    _kept_dropout(child, record, result)
    refuse(result)
    clean = result.clean
    before = child_record.flat(child)
    village = village_of(actor, clean["child"]["village_code"], "child.village_code")
    child.household = _revised_household(actor, record, clean, village, household_key,
                                          source, child, day)
    if "household" not in clean:
        _refuse_not_poor(child.household, clean["circumstances"], record.get("circumstances"))
    apply_child(child, clean["child"], village)
    replace_caregivers(child, clean["caregivers"])
    rows = {str(c.id): c for c in child.circumstances}
    pairs_ = zip(record.get("circumstances") or [], clean["circumstances"], strict=True)
    for i, (raw, data) in enumerate(pairs_):
        if i in skipped or (raw.get("id") and rows[str(raw["id"])].code
                            == rules.FOLLOWS_HOUSEHOLD):
            continue  # NC02 follows the household, whatever the record says
        if raw.get("id"):
            for name, value in data.items():
                setattr(rows[str(raw["id"])], name, value)
        else:
            child.circumstances.append(Circumstance(**data))
    given = {str(s.id): s for s in child.support}
    for raw, data in zip(record.get("support") or [], clean["support"], strict=True):
        if raw.get("id"):
            row, new = given[str(raw["id"])], support_row(data)
            for name in child_record.SUPPORT_FIELDS[1:]:
                setattr(row, name, getattr(new, name))
        else:
            child.support.append(support_row(data))
    rules.follow_household(child, day)
    death = rules.death_in([data for i, data in enumerate(clean["circumstances"])
                            if not (record["circumstances"][i] or {}).get("id")])
    if closing:
        on, reason, note, cause = closing
        child.closed_on, child.closed_reason, child.closed_note = on, reason, note
        if cause:
            rules.died_of_injury(child, on, cause)
    elif death:
        rules.close_as_died(child, death["since"])
    db.session.flush()
    return changed(actor, child, before, source)


def _check_rows(child: Child, record: dict, result: Result) -> None:
    """Rows named by id must be this child's own."""
    for section, rows in (("circumstances", child.circumstances), ("support", child.support)):
        ids = {str(row.id) for row in rows}
        for i, raw in enumerate(record.get(section) or []):
            if raw.get("id") and str(raw["id"]) not in ids:
                result.error(f"{section}.{i}", "Dòng này không thuộc hồ sơ của trẻ.")


def _field_closure(closure: dict | None, child: Child, day: date, result: Result):
    if not closure or not closure.get("reason"):
        return None
    if closure["reason"] not in FIELD_CLOSE_REASONS:
        result.error("closure.reason", "Lý do đóng hồ sơ: chuyển đi hoặc đã mất.")
        return None
    on = parse_date(closure.get("date")) if closure.get("date") else day
    if on is None or on > date.today() or on < child.date_of_birth:
        result.error("closure.date", "Ngày chuyển đi/mất phải từ ngày sinh đến hôm nay.")
        return None
    cause = closure_cause(closure["reason"], closure.get("injury"), closure.get("cause"),
                          "closure.cause", result)
    return on, closure["reason"], clean_text(closure.get("note"))[:500] or None, cause


def _revised_household(actor, record: dict, clean: dict, village, key,
                       source: Source = OFFICER_EDIT, child: Child | None = None,
                       day: date | None = None) -> Household:
    """The household named (its fields brought up to date), else a new one."""
    fields = dict(record.get("household") or {})
    if record.get("household_id"):
        try:
            household = access.get_or_404(Household, record["household_id"], actor)
        except NotFound:
            raise ValidationFailed(errors={"household_id": [
                "Hộ gia đình không thuộc địa bàn của bạn."]}) from None
        wanted = clean.get("household") or {}
        if any(wanted.get(name) not in (None, getattr(household, name))
               for name in ("head_name", "address", "poverty_status")):
            update_household(actor, household, fields, source=source, skip=child, on=day)
        return household
    fields.setdefault("village_code", village.code)
    return create_household(actor, fields, key=key)


def add_circumstance(actor, child: Child, data: dict, *, source: Source = OFFICER_EDIT):
    """Put a child in a group from ``since`` (today by default), with the group's details."""
    writable(actor, child, source)
    result = Result()
    clean = validate_circumstance(data, "circumstance", date.today(), result, catalogue)
    if clean["code"] == rules.FOLLOWS_HOUSEHOLD:
        result.error("circumstance.code", rules.NOT_BY_HAND)
    elif clean["code"] == rules.NEEDS_POOR and not rules.is_poor(
            child.household.poverty_status):
        result.error("circumstance.code", rules.NOT_POOR)
    elif clean["code"] == rules.DIED_OF_INJURY and not clean["detail"].get(rules.CAUSE_LIST):
        result.error(f"circumstance.detail.{rules.CAUSE_LIST}", rules.ASK_CAUSE)
    elif any(c.code == clean["code"] and c.until is None for c in child.circumstances):
        result.error("circumstance.code", "Trẻ đang thuộc nhóm hoàn cảnh này.")
    if clean["since"] and clean["since"] < child.date_of_birth:
        result.error("circumstance.since", "Từ ngày không được trước ngày sinh.")
    refuse(result)
    before = child_record.flat(child)
    child.circumstances.append(Circumstance(**clean))
    if clean["code"] == rules.DIED_OF_INJURY:  # a death from injury closes the record
        rules.close_as_died(child, clean["since"], clean["note"] or None)
    return changed(actor, child, before, source)


def end_circumstance(actor, circumstance: Circumstance, until: date | None,
                     *, source: Source = OFFICER_EDIT):
    """Close a group membership on ``until`` (today by default); its history stays."""
    child = circumstance.child
    writable(actor, child, source)
    if circumstance.code == rules.FOLLOWS_HOUSEHOLD:
        raise ValidationFailed(rules.NOT_BY_HAND, {"until": [rules.NOT_BY_HAND]})
    until = until or date.today()
    if circumstance.until is not None:
        raise ValidationFailed(errors={"until": ["Hoàn cảnh này đã kết thúc."]})
    if until < circumstance.since or until > date.today():
        raise ValidationFailed(
            errors={"until": ["Đến ngày phải từ ngày bắt đầu đến hôm nay."]}
        )
    before = child_record.flat(child)
    circumstance.until = until
    return changed(actor, child, before, source)


def record_support(actor, child: Child, data: dict, *, source: Source = OFFICER_EDIT):
    """Record support received (form, date, provider, amount in VND, note)."""
    writable(actor, child, source)
    result = Result()
    clean = validate_support(data, "support", date.today(), result, catalogue)
    refuse(result)
    before = child_record.flat(child)
    child.support.append(support_row(clean))
    return changed(actor, child, before, source)


def close_child(actor, child: Child, reason: str, on: date | None, note: str = "",
                *, source: Source = OFFICER_EDIT, merged_into: Child | None = None,
                injury: str | None = None, injury_cause: str | None = None):
    """Close a record (moved away, died, merged): it stays, read-only, with its history.

    :param injury: the answer to "Do tai nạn thương tích?" on a death: ``"yes"``, ``"no"``,
        ``""`` when the form asked and it was not answered (refused), ``None`` when not asked.
    :param injury_cause: of a death from injury (``injury_cause`` code): the child joins
        ``K02`` on the day of death, with that cause, in the same version.
    """
    writable(actor, child, source)
    result = Result()
    if reason not in CLOSE_REASONS:
        result.error("reason", "Chọn lý do đóng hồ sơ.")
    on = on or date.today()
    if on > date.today() or on < child.date_of_birth:
        result.error("closed_on", "Ngày đóng hồ sơ phải từ ngày sinh đến hôm nay.")
    if reason == "died" and injury == "":
        result.error("injury", rules.ASK_INJURY)
    answered = {"yes": True, "no": False}.get(injury or "", bool(injury_cause) or None)
    cause = closure_cause(reason, answered, injury_cause if answered else None,
                          "injury_cause", result)
    if result.errors:
        raise ValidationFailed("Chưa đóng được hồ sơ.", result.errors)
    before = child_record.flat(child)
    child.closed_on, child.closed_reason = on, reason
    child.closed_note = (note or "").strip()[:500] or None
    child.merged_into_id = merged_into.id if merged_into else None
    if cause:
        rules.died_of_injury(child, on, cause)
    return changed(actor, child, before, source)


def _circumstance_data(c: Circumstance) -> dict:
    return {"code": c.code, "detail": c.detail, "since": c.since, "until": c.until,
            "note": c.note}


def record_version(actor, child: Child, source: Source) -> None:
    """A new version that changes no field, so that the history says something happened
    (a merge that took nothing from the other record)."""
    child.version += 1
    db.session.flush()
    write_history(actor, child, {}, source, [])


def merge_children(actor, kept: Child, other: Child, take: set[str],
                   *, today: date | None = None) -> list[dict]:
    """Merge ``other`` into ``kept``; returns the kept record's changes.

    A merge keeps one record and closes the other as "merged" (``merged_into`` the kept one).
    The officer chooses, field by field, whose value the kept record takes (the caregivers as
    one block); the other's circumstances and support are copied where the kept one lacks
    them. The kept record changes through :func:`revise_child`: one version, one history entry
    with a note naming the merged record.

    :param take: the fields (keys of ``children.merge.FIELDS``) whose value comes
        from ``other``.
    """
    check_mergeable(kept, other)
    unknown = set(take) - merge.FIELDS.keys()
    if unknown:
        raise ValidationFailed("Có trường không gộp được.", {key: ["Không rõ trường này."]
                                                              for key in sorted(unknown)})
    today = today or date.today()
    note = f"Gộp hồ sơ {other.full_name} (sinh {other.date_of_birth:%d/%m/%Y}) vào hồ sơ này"
    source = Source("officer_edit", ref=str(other.id), note=note)
    changes = revise_child(actor, kept, merge.merged_record(kept, other, set(take)),
                           source=source, capture_date=today)
    if not changes:  # nothing new, still one version: the history says the merge happened
        record_version(actor, kept, source)
    close_child(actor, other, "merged", today, "Trùng, đã gộp vào hồ sơ giữ lại.",
                source=Source("officer_edit", ref=str(kept.id), note="Gộp vào hồ sơ khác"),
                merged_into=kept)
    audit(actor, "children_merged", "child", kept.id, commune_code=kept.commune_code,
          detail={"merged": str(other.id), "version": kept.version, "taken": sorted(take)})
    return changes


# Many new children at once (a bulk approval), in a few statements (``children.batch``).
create_children = batch.create_children
NewChild, LookElsewhere = batch.NewChild, batch.LookElsewhere


def import_children(actor, items: list[NewChild], *, sha256: str, detail: dict) -> list[Child]:
    """Create the children of an imported spreadsheet (``children.imports``), each with its
    new household, caregivers, circumstances and its history note, through the batch
    writer: all of them or none (a refused one raises :class:`ValidationFailed`, the caller
    rolls the transaction back). One audit entry for the file: its SHA-256 and ``detail``
    (counts only, no name)."""
    made = create_children(actor, items)
    refused = {i: r for i, r in enumerate(made) if not isinstance(r, Child)}
    if refused:
        raise ValidationFailed("Có dòng không ghi được: chưa nhập trẻ nào.", {
            str(i): [r.detail or "Hồ sơ trẻ em chưa hợp lệ.", *[
                m for messages in r.errors.values() for m in messages]]
            for i, r in refused.items()})
    audit(actor, "children_imported", "child", None, commune_code=actor.commune_code,
          detail={**detail, "children": len(made),
                  "households": len({c.household_id for c in made}), "sha256": sha256})
    return made

# The register's probable duplicate pairs, kept as it changes (``children.pairs``).
refresh_pairs = pairs.refresh
rebuild_pairs = pairs.rebuild
near_any = pairs.near_any

# A register kept before the NC02 rule brought in line (``children.households``).
align_household_groups = households.align_household_groups

# The periodic review of memberships and ongoing support: ``children.periodic``.
confirm_circumstances = periodic.confirm_circumstances
review_memberships = periodic.review_memberships

# Who consented to what, and when (DOMAIN §9): ``children.consents``.
record_consent = consents.record_consent
withdraw_consent = consents.withdraw_consent
