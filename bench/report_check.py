"""A straightforward recount of the indicators of issue 15 (the lead's definitions, written a
second time and independently): plain SELECTs of a place's periods, everything else counted
in Python, for bench/reports.py to hold the report's numbers against."""

from collections import Counter, defaultdict
from datetime import date

import sqlalchemy as sa

from fieldapp.children.models import ChildPeriod, MembershipPeriod
from fieldapp.children.periods import end_of_day
from fieldapp.children.queries import years_ago
from fieldapp.settings.services import value as setting
from fieldapp.verification.models import VerificationItem

ABUSE = {"DB02", "DB08", "DB10", "DB11", "DB12", "DB13", "K01"}
ONGOING = {"TG05", "TG06"}


def recount(session, place: str, day: date, start: date) -> dict[str, dict]:
    """``{key: {"value", "share", "breakdowns"}}`` of ``place`` (5 digits: a commune, 2: a
    province) at ``day``, the period starting on ``start``."""
    moment, limit = end_of_day(day), setting("age_limit")
    commune = len(place) == 5
    column = ChildPeriod.commune_code if commune else ChildPeriod.province_code
    of_place = sa.select(ChildPeriod.child_id).where(column == place)

    def known(row) -> bool:
        return row.recorded_from <= moment and (row.recorded_until is None
                                                or row.recorded_until > moment)

    frame = {}
    for row in session.execute(sa.select(ChildPeriod.__table__).where(column == place)):
        if known(row) and row.date_of_birth <= day:
            assert row.child_id not in frame, f"two periods of {row.child_id} known at once"
            frame[row.child_id] = row
    at_day, in_period, support, deaths = (defaultdict(list) for _ in range(4))
    for m in session.execute(sa.select(MembershipPeriod.__table__).where(
            MembershipPeriod.child_id.in_(of_place))):
        if not known(m) or m.child_id not in frame or m.since > day:
            continue
        if m.kind == "circumstance":
            if m.until is None or m.until >= day:
                at_day[m.child_id].append(m)
            if m.until is None or m.until >= start:
                in_period[m.child_id].append(m)
            if m.code == "K02" and m.since >= start:
                deaths[m.child_id].append(m)
        elif m.kind == "support" and (m.since >= start or (m.until and m.until >= start)
                                      or (m.until is None and m.code in ONGOING)):
            support[m.child_id].append(m)
    verified = {item.child_id for item in session.execute(
        sa.select(VerificationItem.child_id, VerificationItem.decided_at,
                  VerificationItem.outcome).where(VerificationItem.child_id.in_(of_place)))
        if item.outcome in ("verified", "corrected") and item.decided_at is not None
        and item.decided_at <= moment}

    too_old = years_ago(day, limit)
    active = {c for c, r in frame.items()
              if r.date_of_birth > too_old and (r.closed_on is None or r.closed_on > day)}

    def having(memberships, test) -> dict:  # child -> its memberships passing ``test``
        out = {c: [m for m in memberships[c] if test(m)] for c in active}
        return {c: ms for c, ms in out.items() if ms}

    special = having(at_day, lambda m: m.code.startswith("DB"))
    supported = {c: support[c] for c in special if support[c]}
    unsupported = {c: ms for c, ms in special.items() if c not in supported}
    at_risk = having(at_day, lambda m: m.code.startswith("NC"))
    abused = having(in_period, lambda m: m.code in ABUSE)
    injured = having(in_period, lambda m: m.code == "K03")
    with_id = {c for c in active if frame[c].has_personal_id}
    dropouts = {c for c in active if frame[c].schooling_status == "HT07"}

    def cause(m) -> str:
        return (m.detail or {}).get("injury_cause")

    def reason(m) -> str:
        return (m.detail or {}).get("risk_reason") if m.code == "NC01" else m.code

    def result(children, share_of=None, **own) -> dict:
        breakdowns = {
            "sex": Counter(frame[c].sex for c in children),
            "age_group": Counter(_age_group(frame[c].date_of_birth, day) for c in children),
            "ethnicity": Counter(frame[c].ethnicity_code for c in children),
            "place": Counter(frame[c].village_code if commune else frame[c].commune_code
                             for c in children)}
        for dimension, values in own.items():  # child -> its values, each counted once
            breakdowns[dimension] = Counter(v for c in children for v in set(values(c)))
        share = None if share_of is None else (len(children) / len(share_of)
                                               if share_of else None)
        return {"value": len(children), "share": share,
                "breakdowns": {k: dict(v) for k, v in breakdowns.items()}}

    return {
        "child_population": result(active),
        "special_circumstances": result(special, active,
                                        group=lambda c: [m.code for m in special[c]]),
        "special_circumstances_supported": result(
            supported, special, form=lambda c: [m.code for m in supported[c]]),
        "special_circumstances_unsupported": result(
            unsupported, special, group=lambda c: [m.code for m in unsupported[c]]),
        "at_risk": result(at_risk, active, reason=lambda c: map(reason, at_risk[c])),
        "abused": result(abused, active, form=lambda c: [m.code for m in abused[c]]),
        "injured": result(injured, active, cause=lambda c: map(cause, injured[c])),
        "injury_deaths": result(deaths, cause=lambda c: map(cause, deaths[c])),
        "with_personal_id": result(with_id, active, verification=lambda c: [
            "verified" if c in verified else "unverified"]),
        "dropouts": result(dropouts, active,
                           level=lambda c: [frame[c].school_left_level]),
    }


def _age_group(born: date, day: date) -> str:
    if born > years_ago(day, 3):
        return "0-2"
    if born > years_ago(day, 6):
        return "3-5"
    return "6-10" if born > years_ago(day, 11) else "11-15"


def results(report) -> dict[str, dict]:
    """The report's indicators in the recount's shape."""
    return {r.key: {"value": r.value, "share": r.share, "breakdowns": r.breakdowns}
            for r in report.indicators}


def _clean(breakdown: dict) -> dict:
    """Zeros left out, keys as text, dashes plain: only the counts are compared."""
    return {str(k).replace("–", "-").replace(" ", ""): v for k, v in breakdown.items() if v}


def differences(shown: dict, mine: dict) -> tuple[list[str], list[str]]:
    """What differs between the report's indicator and the recount's; what only the
    definitions leave open (a share they do not give, an own breakdown named otherwise)."""
    wrong = [] if shown["value"] == mine["value"] else ["value"]
    notes = []
    if mine["share"] is None and shown["share"] is not None:
        notes.append("a share the definitions do not give")
    elif abs((shown["share"] or 0) - (mine["share"] or 0)) > 1e-9:
        wrong.append(f"share {shown['share']} vs {mine['share']}")
    given = {d: _clean(c) for d, c in (shown["breakdowns"] or {}).items()}
    for dimension, counts in mine["breakdowns"].items():
        counts = _clean(counts)
        if given.get(dimension) == counts:
            continue
        alias = [d for d, c in given.items() if c == counts and d not in mine["breakdowns"]]
        if dimension not in given and alias:
            notes.append(f"its '{dimension}' is named '{alias[0]}' in the report")
        else:
            wrong.append(f"{dimension}: report {given.get(dimension)}, recount {counts}")
    return wrong, notes


def table(label: str, shown: dict[str, dict], counted: dict[str, dict],
          province: dict | None = None) -> list[str]:
    """Print, for each indicator, ``report/recount`` of each place side by side (and the
    province report's count of each of these communes); the differences, said."""
    places = list(counted)
    print(f"  {label}: report/recount of {', '.join(places)}"
          + ("; then the province report's commune breakdown/recount" if province else ""))
    failures, notes = [], {}
    for key in counted[places[0]]:
        cells, bad = [], False
        for place in places:
            mine, theirs = counted[place][key], shown[place].get(key)
            if theirs is None:
                failures.append(f"{label}: {key} missing from the report of {place}")
                cells.append(f"-/{mine['value']}")
                bad = True
                continue
            wrong, said = differences(theirs, mine)
            notes.update(dict.fromkeys(f"{key}: {n}" for n in said))
            failures += [f"{label}, {place}, {key}: {w}" for w in wrong]
            bad = bad or bool(wrong)
            cells.append(f"{theirs['value']}/{mine['value']}")
        if province is not None:
            of = ((province.get(key) or {}).get("breakdowns") or {}).get("place") or {}
            pairs = [(of.get(c, 0), counted[c][key]["value"]) for c in places]
            if any(a != b for a, b in pairs):
                failures.append(f"{label}, the province's {key} by commune: {pairs}")
                bad = True
            cells += [f"{a}/{b}" for a, b in pairs]
        print(f"    {key:<34} " + " ".join(f"{c:>11}" for c in cells)
              + ("   DIFFERENT" if bad else ""))
    for note in notes:
        print(f"    note: {note}")
    for failure in failures:
        print(f"    DIFFERENT: {failure}")
    return failures
