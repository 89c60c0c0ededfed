"""Importing a register kept in a spreadsheet (issue 14 §3.1): ``/children/import``.

A commune keeps its children in spreadsheets of every shape. This module reads one
(``children.table``: the cells), finds its header row, guesses what each column holds, turns
each row into a register record, judges it with the register's own rules
(``children.validators``: the same age limit, ID rules, households' NC02/DB14 rules as a
typed child) and looks for probable duplicates with the register's one scorer
(``children.matching``). The result is a :class:`Preview`; nothing is written until the
officer confirms, and then the good rows go through ``children.services.import_children``.

The header and the columns: ``children.import_columns``; a cell's value:
``children.import_values``; a row read: ``children.import_rows``.

**Households**: rows with the same household head in the same village share one new
household, else rows with the same father and mother (and guardian) there; a row with none
of them is a household alone. The head's name is the "Chủ hộ" column's, else the father's,
the mother's, the guardian's.

**Duplicates**: a good row that is a probable duplicate of an active register child, or of
an earlier good row of the file, is **left out by default**: re-importing a sheet that
overlaps the register (the usual mistake) then adds nothing twice, and the officer ticks
"Vẫn nhập" for a row that really is another child.
"""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_

from fieldapp.children import matching, table
from fieldapp.children._changes import Source
from fieldapp.children._rules import FOLLOWS_HOUSEHOLD, is_poor
from fieldapp.children.batch import NewChild
from fieldapp.children.import_columns import FIELDS, Column, find_header, samples
from fieldapp.children.import_rows import Problem, Row, data_rows, read_row
from fieldapp.children.import_values import Lookups
from fieldapp.children.models import Child
from fieldapp.children.search import fold
from fieldapp.children.table import FileRefused
from fieldapp.children.validators import Result, clean_text, validate_record

KEPT = timedelta(hours=24)  # an upload not confirmed by then is deleted
SHOWN_DUPLICATES = 200  # rows offered "Vẫn nhập" on the page; the rest stay left out
SOURCE = "import"

# Which columns a register path's message belongs to, in order of preference.
PATH_COLUMNS = {
    "child.full_name": ("full_name",), "child.sex": ("sex", "male", "female"),
    "child.date_of_birth": ("date_of_birth", "male", "female"),
    "child.ethnicity_code": ("ethnicity",), "child.nationality": ("nationality",),
    "child.personal_id": ("personal_id",), "child.village_code": ("village",),
    "child.address": ("address",), "child.current_residence": ("current_residence",),
    "child.schooling_status": ("schooling",),
    "child.school_left_level": ("school_left_level", "schooling"),
    "child.school_left_on": ("school_left_on", "schooling"), "household.head_name": ("head",),
    "household.address": ("address",), "household.poverty_status": ("poverty",),
    "household.village_code": ("village",),
    "caregivers": ("father", "mother", "parents", "guardian", "caregiver", "head"),
    "circumstances": ("circumstances",),
}


# --- the preview -------------------------------------------------------------------------

@dataclass
class Preview:
    sheet: str
    sheets: list[str]
    header_rows: list[int]
    columns: list[Column]
    rows: list[Row]
    blank: int
    options: dict

    @property
    def problems(self) -> list[Problem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if row.good]

    @property
    def duplicates(self) -> list[Row]:
        return [row for row in self.good if row.duplicate]

    def to_import(self, included: set[int]) -> list[Row]:
        """The good rows, less the probable duplicates the officer did not include."""
        return [row for row in self.good if not row.duplicate or row.number in included]

    @property
    def fingerprint(self) -> str:
        """What the officer confirms: the choices, the good rows and which are duplicates."""
        body = json.dumps([self.options, [r.number for r in self.good],
                           [r.number for r in self.duplicates]], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:32]

    def counts(self) -> dict:
        good = self.good
        households = {row.household for row in good if not row.duplicate}
        return {
            "rows": len(self.rows), "good": len(good),
            "errors": sum(1 for row in self.rows if not row.good and not row.example),
            "warnings": sum(1 for row in self.rows
                            if any(p.level == "warning" for p in row.problems)),
            "duplicates": len(self.duplicates), "blank": self.blank,
            "examples": sum(1 for row in self.rows if row.example),
            "households": len(households),
            "to_import": sum(1 for row in good if not row.duplicate),
        }

    def stored(self) -> dict:
        """The preview as the page shows it, kept with the upload (JSON: no dates)."""
        headers = {c.index: c for c in self.columns}
        names = {row.number: row.name for row in self.rows}

        def where(problem: Problem) -> dict:
            column = headers.get(problem.column)
            return {"row": problem.row, "name": names.get(problem.row, ""),
                    "column": column.letter if column else "",
                    "header": column.header if column else "", "level": problem.level,
                    "message": problem.message}

        return {
            "sheet": self.sheet, "sheets": self.sheets, "header_rows": self.header_rows,
            "columns": [{"index": c.index, "letter": c.letter, "header": c.header,
                         "guessed": c.guessed, "field": c.field, "samples": c.samples}
                        for c in self.columns],
            "counts": self.counts(),
            "problems": [where(p) for p in self.problems],
            "duplicates": [{"row": row.number, "name": row.name,
                            "born": _shown_day(row.facts.born) if row.facts else "",
                            **(row.duplicate or {})} for row in self.duplicates],
            "examples": [row.number for row in self.rows if row.example],
            "fingerprint": self.fingerprint,
        }


def _shown_day(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def preview(actor, raw: bytes, filename: str, options: dict | None = None,
            today: date | None = None) -> Preview:
    """Read, map, convert, judge and match every row of an uploaded file (nothing written),
    or :class:`FileRefused` with a message for the officer."""
    options = clean_options(options)
    today = today or date.today()
    sheets = table.read(raw, filename)
    found = [(sheet, find_header(sheet)) for sheet in sheets]
    usable = [(sheet, header) for sheet, header in found if header is not None]
    if not usable:
        if not any(sheet.rows for sheet in sheets):
            raise FileRefused("Tệp không có dòng nào.")
        raise FileRefused("Không tìm thấy dòng tiêu đề của danh sách: tệp cần có các cột như "
                          "«Họ và tên», «Ngày sinh», «Giới tính» ở một trong 20 dòng đầu. Hãy "
                          "dùng tệp mẫu nếu cần.")
    sheet, header = next(((s, h) for s, h in usable if s.name == options.get("sheet")),
                         usable[0])
    rows, columns = header
    fields = [options["columns"].get(str(c.index), c.guessed) for c in columns]
    for column, chosen in zip(columns, fields, strict=True):
        column.field = chosen
    lookups = Lookups(actor)
    default_village = lookups.village_by_code(options.get("village"))
    data, blank = data_rows(sheet, rows[-1], columns, lookups)
    if len(data) > table.MAX_ROWS:
        raise table.too_many()
    out = []
    for number, cells, section in data:
        out.append(read_row(number, cells, columns, lookups, section or default_village))
    _share_households(out)
    for row in out:
        _judge(row, today)
    samples(columns, data)
    _find_duplicates(actor, [row for row in out if row.good], today, lookups)
    return Preview(sheet.name, [s.name for s, _ in usable], rows, columns, out, blank,
                   options)


def clean_options(options: dict | None) -> dict:
    options = dict(options or {})
    columns = options.get("columns") or {}
    return {"sheet": options.get("sheet") or None, "village": options.get("village") or "",
            "columns": {str(k): v for k, v in columns.items() if v in FIELDS}}


# --- households and judging ---------------------------------------------------------------

def _share_households(rows: list[Row]) -> None:
    """Every row of a household with the same household fields: the first row's head and
    address, the first poverty status written (the batch writes the household once, from
    its first child, and judges DB14 and NC02 by it)."""
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.household, []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        shared = dict(group[0].record["household"])
        for name in ("head_name", "address"):
            shared[name] = next((r.record["household"][name] for r in group
                                 if r.record["household"][name]), shared[name])
        shared["poverty_status"] = next(
            (r.record["household"]["poverty_status"] for r in group
             if r.record["household"]["poverty_status"] != "none"), "none")
        for row in group:
            row.record["household"] = dict(shared)


def _judge(row: Row, today: date) -> None:
    """The register's judgement of a row's record, each message at its column."""
    problems, warnings, at, by_field = row.pending
    circumstances = row.record["circumstances"]
    if any(c["code"] == FOLLOWS_HOUSEHOLD for c in circumstances) and not is_poor(
            row.record["household"]["poverty_status"]):
        warnings.append(("circumstances", "NC02 theo tình trạng nghèo, cận nghèo của hộ: "
                         "hộ không ghi là nghèo hoặc cận nghèo nên trẻ chưa vào NC02 (thêm "
                         "cột Hộ nghèo/cận nghèo, hoặc sửa ở trang hộ gia đình)."))
    result = validate_record(row.record, capture_date=today)
    row.result = result
    _judged(row, result, problems, warnings, at, by_field)
    if row.good:
        clean = result.clean["child"]
        row.facts = matching.Facts(
            f"row:{row.number}", clean["full_name"], fold(clean["full_name"]),
            clean["sex"] or "", clean["date_of_birth"], clean["village_code"] or "", None,
            clean["personal_id"], tuple(fold(c["full_name"]) for c in result.clean["caregivers"]))


def _judged(row: Row, result: Result, problems: dict, warnings: list, at: dict,
            by_field: dict) -> None:
    """The row's problems: what could not be read, then the register's errors (but where a
    value could not be read: that says it better) and warnings, each at its column."""

    def column_of(path: str) -> int | None:
        parts = path.split(".")
        for size in range(len(parts), 0, -1):
            prefix = ".".join(parts[:size])
            if prefix in at:
                return at[prefix]
        for key in PATH_COLUMNS.get(path, PATH_COLUMNS.get(parts[0], ())):
            if key in by_field:
                return by_field[key]
        return None

    for path, messages in problems.items():
        for message in messages:
            row.problems.append(Problem(row.number, column_of(path), "error", message))
    for path, messages in result.errors.items():
        if path in problems:
            continue
        for message in messages:
            row.problems.append(Problem(row.number, column_of(path), "error", message))
    for path, message in warnings:
        row.problems.append(Problem(row.number, column_of(path), "warning", message))
    for path, messages in result.warnings.items():
        for message in messages:
            row.problems.append(Problem(row.number, column_of(path), "warning", message))


# --- duplicates ----------------------------------------------------------------------------

def _find_duplicates(actor, rows: list[Row], today: date, lookups: Lookups) -> None:
    """Mark each good row that is a probable duplicate of an active register child of the
    commune, or of an earlier good row of the file (the register's scorer and blocks)."""
    mine = [row for row in rows if row.facts is not None]
    if not mine:
        return
    years = sorted({row.facts.born.year for row in mine})
    numbers = sorted({row.facts.personal_id for row in mine if row.facts.personal_id})
    near = [Child.date_of_birth.between(date(y, 1, 1), date(y, 12, 31)) for y in years]
    if numbers:
        near.append(Child.personal_id.in_(numbers))
    register = matching.read_active(actor.commune_code, today, or_(*near))
    everyone = register + [row.facts for row in mine]
    pairs = sorted(matching.candidates(everyone))
    matching.add_caregivers({everyone[n].id: everyone[n] for pair in pairs for n in pair
                             if n < len(register)})
    found: dict[int, dict] = {}
    for i, j in pairs:
        if j < len(register):
            continue  # two register children: the register's own list shows them
        verdict = matching.score(everyone[i], everyone[j])
        if not verdict.probable:
            continue
        later = mine[j - len(register)]
        if i < len(register):
            other = everyone[i]
            village = lookups.villages.get(other.village_code)
            match = {"child_id": str(other.id), "other_name": other.full_name,
                     "other_born": _shown_day(other.born),
                     "other_village": village.name if village else other.village_code,
                     "other_row": None}
        else:
            first = mine[i - len(register)]
            match = {"child_id": None, "other_name": first.name,
                     "other_born": _shown_day(first.facts.born), "other_village": "",
                     "other_row": first.number}
        match.update(score=verdict.score, reasons=verdict.reasons)
        best = found.get(later.number)
        if best is None or (match["child_id"] is not None, match["score"]) > (
                best["child_id"] is not None, best["score"]):
            found[later.number] = match
    for row in mine:
        row.duplicate = found.get(row.number)


# --- what the confirmation writes ---------------------------------------------------------

def new_children(found: Preview, filename: str, sha256: str,
                 included: set[int]) -> list[NewChild]:
    """The children to create for the good rows (less the duplicates not included), one
    new household per household of the file; each with its history note."""
    keys: dict[tuple, uuid.UUID] = {}
    out = []
    for row in found.to_import(included):
        key = keys.setdefault(row.household, uuid.uuid4())
        note = "; ".join([f"Nhập từ tệp {filename}", *row.notes])[:500]
        out.append(NewChild(row.record, row.result, Source(SOURCE, sha256, note), key,
                            date.today()))
    return out


def safe_filename(name: str | None) -> str:
    """The uploaded file's name as the history and the page show it: no folder, no control
    character, at most 200 characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(ch for ch in clean_text(base) if ch.isprintable())
    return base[:200] or "tệp không tên"
