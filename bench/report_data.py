"""Invented registers for bench/reports.py, written in bulk: households, children, their
circumstances and support, police verification, and the register's history in system time
(``child_period``, ``membership_period``) as ``children.periods`` would have written it.

The Session hook of ``children.periods`` does not run for Core inserts, so the periods are
written here: a child's open period equals its row, earlier ones (about one child in five,
and every closed child) differ in village, identity number, schooling or closure; a child's
memberships are copied afresh at each change of its rows, the earlier copies closed, and cut
where its period changes (they repeat its columns).
COPY on PostgreSQL (psycopg), multi-row INSERTs of 5,000 rows elsewhere. Every name is made up.
"""

import json
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from fieldapp.children.models import (
    Child,
    ChildPeriod,
    Circumstance,
    Household,
    MembershipPeriod,
    SupportRecord,
)
from fieldapp.children.periods import REPEATED
from fieldapp.clock import VIETNAM
from fieldapp.places.models import Commune, Village
from fieldapp.verification.models import VerificationBatch, VerificationItem

CHUNK = 5_000
ETHNIC = {"03": 50, "01": 15, "08": 20, "33": 8, "29": 7}
CIRCUMSTANCES = [  # (code, detail, weight): about one child in four has one
    ("DB01", {}, 3), ("DB02", {}, 2), ("DB04", {"disability_type": "KT01",
                                                "disability_level": "MD02"}, 4),
    ("DB04", {"disability_type": "KT05", "disability_level": "MD03"}, 2), ("DB05", {}, 2),
    ("DB07", {}, 2), ("DB08", {}, 1), ("DB10", {}, 1), ("DB11", {}, 1), ("DB12", {}, 1),
    ("DB13", {}, 1), ("DB14", {}, 3), ("NC01", {"risk_reason": "LD01"}, 2),
    ("NC01", {"risk_reason": "LD05"}, 3), ("NC01", {"risk_reason": "LD06"}, 2),
    ("NC02", {}, 4), ("K01", {}, 1), ("K03", {"injury_cause": "NN01"}, 2),
    ("K03", {"injury_cause": "NN02"}, 1), ("K03", {"injury_cause": "NN05"}, 1),
]
FORMS = ["TG01", "TG02", "TG03", "TG04", "TG05", "TG06"]


def places(connection, commune_codes: list[str], province: str, villages: int) -> dict:
    """Add the communes of ``commune_codes`` missing from the national list (invented, in
    ``province``) and ``villages`` villages to each; ``{commune: [village codes]}``."""
    known = set(connection.scalars(sa.select(Commune.code)))
    new = [{"code": code, "name": f"Xã {code}", "division_type": "xã",
            "province_code": province} for code in commune_codes if code not in known]
    if new:
        connection.execute(sa.insert(Commune), new)
    out, rows = {}, []
    for commune in commune_codes:
        out[commune] = [f"{commune}-{n:03d}" for n in range(1, villages + 1)]
        rows += [{"code": code, "commune_code": commune, "name": f"Bản {n}", "active": True,
                  "created_at": datetime.now(UTC)} for n, code in enumerate(out[commune], 1)]
    connection.execute(sa.insert(Village), rows)
    return out


def write(connection, model, rows: list[dict]) -> None:
    """``rows`` into ``model``'s table: COPY on PostgreSQL, chunked INSERTs elsewhere."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), CHUNK):
            connection.execute(sa.insert(model), rows[start:start + CHUNK])
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{model.__tablename__}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, dict) else v
                            for v in (row[name] for name in columns)])


class Register:
    """The rows of one commune's children, made by :meth:`commune` and written by
    :meth:`flush`. ``today`` and ``now`` anchor every date; a fixed seed, the same rows."""

    def __init__(self, today: date, now: datetime, seed: int, user_id: int):
        self.rng, self.today, self.now, self.user_id = random.Random(seed), today, now, user_id
        self.tables = {model: [] for model in (Household, Child, ChildPeriod, Circumstance,
                                               SupportRecord, MembershipPeriod,
                                               VerificationBatch, VerificationItem)}
        self.count = {"children": 0, "periods": 0, "memberships": 0, "membership_periods": 0}

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, low: datetime, high: datetime) -> datetime:
        return low + (high - low) * self.rng.random()

    def commune(self, commune: str, province: str, villages: list[str], children: int):
        rng, batch = self.rng, self.uuid()
        self.tables[VerificationBatch].append({
            "id": batch, "commune_code": commune, "number": 1, "title": "Danh sách số 1",
            "state": "finished", "created_by_id": self.user_id, "created_at": self.now,
            "finished_by_id": self.user_id, "finished_at": self.now})
        household, made = None, 0
        for _ in range(children):
            village = rng.choice(villages)
            if household is None or rng.random() < 0.5:
                household = self.uuid()
                self.tables[Household].append({
                    "id": household, "village_code": village, "commune_code": commune,
                    "head_name": "Chủ hộ", "address": "", "poverty_status": "none",
                    "created_at": self.now, "updated_at": self.now})
            child = self.child(household, village, commune, province, villages)
            if child["personal_id"] and rng.random() < 0.4:
                made += 1
                self.verified(batch, made, child["id"], child["created_at"])

    def child(self, household, village, commune, province, villages) -> dict:
        rng, today = self.rng, self.today
        born = today - timedelta(days=rng.randint(0, 18 * 365 - 1))
        first = min(self.now, max(self.now - timedelta(days=730),  # after birth, by now
                                  datetime.combine(born, time(), VIETNAM)))
        created = self.moment(first, self.now)
        state = {"village_code": village, "commune_code": commune, "province_code": province,
                 "sex": rng.choice("12"), "date_of_birth": born,
                 "ethnicity_code": rng.choices(list(ETHNIC), list(ETHNIC.values()))[0],
                 "personal_id": f"014{rng.randint(0, 10**9 - 1):09d}"
                 if rng.random() < 0.7 else None,
                 "schooling_status": _schooling((today - born).days // 365),
                 "school_left_level": None, "school_left_on": None,
                 "closed_on": None, "closed_reason": None}
        age = (today - born).days // 365
        if age >= 8 and rng.random() < 0.06:
            state.update(schooling_status="HT07",
                         school_left_level="TH" if age < 12 else "THCS" if age < 16 else "THPT",
                         school_left_on=today - timedelta(days=rng.randint(0, 700)))
        changes = sorted(self.moment(created, self.now)
                         for _ in range(rng.choice([1, 2]) if rng.random() < 0.2 else 0))
        death = None
        if rng.random() < 0.03:  # closed later than recorded: a history row
            if not changes:
                changes = [self.moment(created, self.now)]
            closed = max(changes[-1].date() - timedelta(days=rng.randint(0, 30)), born)
            reason = rng.choice(["moved_away", "moved_away", "died"])
            state.update(closed_on=closed, closed_reason=reason)
            death = (closed, changes[-1]) if reason == "died" else None
        child_id = self.uuid()
        self.tables[Child].append({
            "id": child_id, "household_id": household, **state, "full_name": "Trẻ em",
            "name_key": "tre em", "nationality": "VN", "current_residence": "", "address": "",
            "version": 1 + len(changes), "closed_note": None, "merged_into_id": None,
            "created_at": created, "updated_at": changes[-1] if changes else created})
        periods = self.periods(child_id, state, [created, *changes], villages)
        self.memberships(child_id, born, created, death, periods)
        self.count["children"] += 1
        return {"id": child_id, "personal_id": state["personal_id"], "created_at": created}

    def periods(self, child_id, state: dict, moments: list[datetime], villages) -> list:
        """The child's periods (returned), newest first: each earlier state undoes one
        change."""
        states = [state]
        for _ in moments[1:]:
            earlier = dict(states[0])
            if earlier["closed_on"]:
                earlier.update(closed_on=None, closed_reason=None)
            elif earlier["personal_id"] and self.rng.random() < 0.5:
                earlier["personal_id"] = None
            elif earlier["schooling_status"] == "HT07":
                earlier.update(schooling_status="HT04", school_left_level=None,
                             school_left_on=None)
            else:
                earlier["village_code"] = self.rng.choice(villages)
            states.insert(0, earlier)
        ends = [*moments[1:], None]
        out = []
        for one, start, end in zip(states, moments, ends, strict=True):
            row = {key: one[key] for key in state if key != "personal_id"}
            out.append({"child_id": child_id, **row, "has_personal_id": bool(one["personal_id"]),
                        "recorded_from": start, "recorded_until": end})
            self.count["periods"] += 1
        self.tables[ChildPeriod] += out
        return out

    def memberships(self, child_id, born: date, created: datetime, death, periods) -> None:
        rng, today = self.rng, self.today
        rows = []  # [kind, values before the change (None: added then), values now]
        if rng.random() < 0.25:
            for _ in range(2 if rng.random() < 0.1 else 1):
                code, detail, _ = rng.choices(CIRCUMSTANCES, [c[2] for c in CIRCUMSTANCES])[0]
                since = max(born, today - timedelta(days=rng.randint(0, 1000)))
                until = since + timedelta(days=rng.randint(30, 400))
                now = {"code": code, "detail": detail, "since": since,
                       "until": until if until <= today and rng.random() < 0.2 else None}
                rows.append(["circumstance", dict(now, until=None), now])
            if rows[0][2]["code"].startswith("DB") and rng.random() < 0.6:
                for _ in range(rng.choice([1, 1, 2])):
                    form = rng.choice(FORMS)
                    given = max(born, today - timedelta(days=rng.randint(0, 700)))
                    ongoing = form in ("TG05", "TG06")
                    ended = ongoing and rng.random() < 0.3
                    now = {"code": form, "detail": None, "since": given,
                           "until": min(today, given + timedelta(days=180)) if ended else None,
                           "amount_vnd": rng.choice([None, 360_000, 500_000])}
                    rows.append(["support", dict(now), now])
        if death:
            rows.append(["circumstance", None, {"code": "K02", "since": death[0], "until": None,
                         "detail": {"injury_cause": rng.choice(["NN01", "NN01", "NN03"])}}])
        if not rows:
            return
        change = death[1] if death else (self.moment(created, self.now)
                                         if rng.random() < 0.3 else None)
        if change and not death:  # added then: a support row; ended then: a circumstance
            for row in rows:
                if row[0] == "support" and rng.random() < 0.5:
                    row[1] = None
        for kind, before, now in rows:
            row_id = self.uuid()
            if kind == "circumstance":
                self.tables[Circumstance].append({
                    "id": row_id, "child_id": child_id, "code": now["code"],
                    "detail": now["detail"], "since": now["since"], "until": now["until"],
                    "note": "", "confirmed_on": None, "created_at": created})
            else:
                self.tables[SupportRecord].append({
                    "id": row_id, "child_id": child_id, "form": now["code"],
                    "given_on": now["since"], "provider": "UBND xã",
                    "amount_vnd": now["amount_vnd"], "note": "", "until": now["until"],
                    "confirmed_on": None, "created_at": created})
            versions = [(before, created, change), (now, change, None)] if change else \
                [(now, created, None)]
            for values, start, end in versions:
                if values is None:
                    continue
                for period, begins, ends in _beside(periods, start, end):
                    self.tables[MembershipPeriod].append({
                        "child_id": child_id, "kind": kind, "row_id": row_id,
                        "code": values["code"], "detail": values["detail"],
                        "since": values["since"], "until": values["until"],
                        "amount_vnd": values.get("amount_vnd"), "recorded_from": begins,
                        "recorded_until": ends, **{name: period[name] for name in REPEATED}})
                    self.count["membership_periods"] += 1
            self.count["memberships"] += 1

    def verified(self, batch, position: int, child_id, created: datetime) -> None:
        outcome = self.rng.choices(["verified", "corrected", "not_found", "pending"],
                                   [60, 10, 10, 20])[0]
        self.tables[VerificationItem].append({
            "id": self.uuid(), "batch_id": batch, "position": position, "child_id": child_id,
            "row_key": f"{position:032d}", "sent": {}, "outcome": outcome,
            "verified_id": None, "corrections": None, "note": None,
            "decided_by_id": None if outcome == "pending" else self.user_id,
            "decided_at": None if outcome == "pending" else self.moment(created, self.now),
            "applied_version": None})

    def flush(self, connection) -> None:
        for model, rows in self.tables.items():
            write(connection, model, rows)
            rows.clear()


def _beside(periods: list[dict], start: datetime, end: datetime | None):
    """The child periods valid some time from ``start`` to ``end`` (None: open), each with
    the part of that time both were valid: a membership period repeats its child's columns,
    so it is cut where they change (as ``children.periods`` writes it)."""
    for period in periods:
        until = period["recorded_until"]
        if (end is None or period["recorded_from"] < end) and (until is None or start < until):
            ends = until if end is None else end if until is None else min(end, until)
            yield period, max(start, period["recorded_from"]), ends


def _schooling(age: int) -> str:
    return ("HT01" if age < 3 else "HT02" if age < 6 else "HT03" if age < 11
            else "HT04" if age < 15 else "HT05")
