"""Importing a register kept in a spreadsheet (``children.imports``): the rows under the
header, each read into a register record with the problems of reading it.

A row that only numbers the columns ("(1) (2) (3)") is passed over, and so are blank rows
and the "STT" column. A row holding nothing but a village's name ("BẢN NÀ SÀNG", often
merged across) names the village of the rows under it.
"""

import re
from dataclasses import dataclass, field

from fieldapp import text
from fieldapp.children import matching
from fieldapp.children.import_columns import (
    COUNTER,
    EXAMPLE,
    FIELDS,
    Column,
    cell_text,
    normal,
    sample,
)
from fieldapp.children.import_values import (
    MARKS,
    Lookups,
    circumstance_rows,
    day_of,
    marked,
    number_text,
    people_of,
    poverty_of,
    schooling_of,
    sex_of,
)
from fieldapp.children.search import fold
from fieldapp.children.table import Sheet
from fieldapp.children.validators import Result, clean_text
from fieldapp.places.models import Village

NUMBERING = re.compile(r"^\(?[0-9]{1,2}\)?$")
CAREGIVER_FIELDS = {"father": "father", "mother": "mother", "guardian": "guardian",
                    "caregiver": "other"}
# The register path a field's value goes to, where one field is one path.
READ_PATHS = {"full_name": "child.full_name", "date_of_birth": "child.date_of_birth",
              "sex": "child.sex", "ethnicity": "child.ethnicity_code",
              "nationality": "child.nationality", "personal_id": "child.personal_id",
              "village": "child.village_code", "address": "child.address",
              "current_residence": "child.current_residence",
              "schooling": "child.schooling_status",
              "school_left_level": "child.school_left_level",
              "school_left_on": "child.school_left_on", "head": "household.head_name",
              "poverty": "household.poverty_status", "circumstances": "circumstances"}


@dataclass
class Problem:
    row: int
    column: int | None
    level: str  # "error" (the row is not imported) or "warning"
    message: str


@dataclass
class Row:
    """One child row of the file, converted and judged."""

    number: int  # as the spreadsheet numbers it
    record: dict
    result: Result | None = None
    household: tuple = ()
    notes: list[str] = field(default_factory=list)  # for the history ("ngày sinh chỉ có năm")
    example: bool = False
    problems: list[Problem] = field(default_factory=list)
    facts: matching.Facts | None = None
    duplicate: dict | None = None
    pending: tuple = ()  # what reading found, until the row is judged

    @property
    def name(self) -> str:
        """As the register writes it ("GIÀNG A PÁO" → "Giàng A Páo")."""
        clean = (self.result.clean.get("child") or {}) if self.result else {}
        return clean.get("full_name") or clean_text(
            (self.record.get("child") or {}).get("full_name"))

    @property
    def good(self) -> bool:
        return not any(p.level == "error" for p in self.problems) and not self.example


def data_rows(sheet: Sheet, last_header: int, columns: list[Column], lookups: Lookups):
    """``(row number, cells, section village)`` of every row under the header that holds a
    child; and how many blank rows were passed over."""
    counter = next((c.index for c in columns if normal(c.header.split(" / ")[0]) in COUNTER),
                   None)
    read = [c.index for c in columns if c.field] + ([counter] if counter is not None else [])
    out, blank, section = [], 0, None
    for number in range(last_header + 1, len(sheet.rows) + 1):
        line = sheet.rows[number - 1]
        values = [v for v in line if v is not None and str(v).strip()]
        if not values:
            blank += 1
            continue
        if len(out) == 0 and all(NUMBERING.match(normal(v) or "-") for v in values) \
                and len(values) >= 3:
            continue  # the columns' numbers under the header: (1) (2) (3) …
        texts = {clean_text(cell_text(v)) for v in values}
        if len(texts) == 1:
            village = lookups.section(next(iter(texts)))
            if village is not None:
                section = village
                continue
        cells = {i: (line[i] if i < len(line) else None) for i in read}
        if not any(cells.get(c.index) not in (None, "") for c in columns if c.field):
            blank += 1
            continue
        cells["counter"] = line[counter] if counter is not None and counter < len(line) else None
        out.append((number, cells, section))
    return out, blank


def read_row(number: int, cells: dict, columns: list[Column], lookups: Lookups,
         section: Village | None) -> Row:
    """One row read: its record (the register's shape) and the problems of reading it, each
    at its column (judged by the register's rules later: ``children.imports``)."""
    by_field = {c.field: c.index for c in columns if c.field}
    value = {key: cells.get(index) for key, index in by_field.items()}
    row = Row(number, {})
    row.example = normal(cell_text(cells.get("counter") or "")) in EXAMPLE
    at: dict[str, int | None] = {}  # register path → the column its value came from
    problems: dict[str, list[str]] = {}  # path → what could not be read
    warnings: list[tuple[str, str]] = []

    def column(key: str) -> int | None:
        return by_field.get(key)

    for key, cell in list(value.items()):  # what no field may hold (fieldapp/text.py)
        if isinstance(cell, str) and not text.storable(cell):
            path = READ_PATHS.get(key, f"cell.{key}")
            at[path] = column(key)
            problems.setdefault(path, []).append(
                f"{FIELDS[key]}: {text.MESSAGE[0].lower()}{text.MESSAGE[1:]}")
            value[key] = None

    child: dict = {"nationality": "VN"}
    for key in ("full_name", "address", "current_residence"):
        if value.get(key) is not None:
            child[key] = clean_text(cell_text(value[key]))
            at[f"child.{key}"] = column(key)
    # Sex, and a birth date written in a Nam | Nữ pair of columns.
    born_cell, born_at = value.get("date_of_birth"), column("date_of_birth")
    if value.get("sex") is not None:
        child["sex"] = sex_of(value["sex"])
        at["child.sex"] = column("sex")
        if child["sex"] is None:
            problems.setdefault("child.sex", []).append(
                f"Giới tính «{clean_text(cell_text(value['sex']))}»: ghi Nam hoặc Nữ.")
    male, female = marked(value.get("male")), marked(value.get("female"))
    if "male" in by_field or "female" in by_field:
        if male and female:
            problems.setdefault("child.sex", []).append(
                "Đánh dấu cả cột Nam và cột Nữ: chỉ đánh dấu một cột.")
            at["child.sex"] = column("male")
        elif male or female:
            key = "male" if male else "female"
            child.setdefault("sex", "1" if male else "2")
            at.setdefault("child.sex", column(key))
            mark = value[key]
            if born_cell in (None, "") and normal(cell_text(mark)) not in MARKS:
                born_cell, born_at = mark, column(key)  # the birth date under Nam or Nữ
    if born_cell not in (None, ""):
        at["child.date_of_birth"] = born_at
        born, kind, problem = day_of(born_cell)
        if problem:
            problems.setdefault("child.date_of_birth", []).append(
                f"Ngày sinh «{sample(born_cell)}»: {problem}.")
            child["date_of_birth"] = None
        else:
            child["date_of_birth"] = born
            if kind in ("year", "month"):
                what = f"năm {born.year}" if kind == "year" else f"tháng {born:%m/%Y}"
                warnings.append(("child.date_of_birth",
                                 f"Chỉ có {what}: ghi ngày sinh {born:%d/%m/%Y}, cần bổ sung "
                                 "ngày sinh đúng."))
                row.notes.append(f"ngày sinh trong tệp chỉ có {what}, ghi {born:%d/%m/%Y}")
    # Codes from names.
    for key, path, index, list_name, label in (
            ("ethnicity", "child.ethnicity_code", lookups.ethnicities, "ethnicity", "Dân tộc"),
            ("nationality", "child.nationality", lookups.nationalities, "nationality",
             "Quốc tịch")):
        if value.get(key) not in (None, ""):
            at[path] = column(key)
            code, said = lookups.code(index, list_name, value[key])
            child[path.split(".")[1]] = code
            if code is None:
                problems.setdefault(path, []).append(
                    f"{label} «{clean_text(cell_text(value[key]))}» không có trong danh mục.")
            elif said:
                warnings.append((path, f"{label} {said}"))
    if value.get("schooling") not in (None, ""):
        at["child.schooling_status"] = column("schooling")
        code = schooling_of(value["schooling"], lookups)
        child["schooling_status"] = code
        if code is None:
            problems.setdefault("child.schooling_status", []).append(
                f"Tình trạng học tập «{clean_text(cell_text(value['schooling']))}» không có trong "
                "danh mục.")
    _dropout(value, child, column, problems, at)
    if value.get("personal_id") not in (None, ""):
        at["child.personal_id"] = column("personal_id")
        number_, said = number_text(value["personal_id"])
        child["personal_id"] = number_
        if said == "scientific":
            problems.setdefault("child.personal_id", []).append(
                f"Số định danh «{number_}» đã bị Excel đổi thành số dạng mũ, mất các chữ số "
                "cuối: định dạng cột là Văn bản (Text) rồi nhập lại số.")
        elif said == "zeros":
            warnings.append(("child.personal_id",
                             f"Số định danh thiếu số 0 ở đầu (Excel bỏ đi): ghi {number_}."))
    # The village: the cell's, else the block's heading row, else the form's default.
    village = None
    if value.get("village") not in (None, ""):
        at["child.village_code"] = column("village")
        village, said = lookups.village(value["village"])
        if village is None:
            problems.setdefault("child.village_code", []).append(
                f"Thôn/bản «{clean_text(cell_text(value['village']))}» không có trong danh sách "
                "thôn/bản của xã.")
        elif said:
            warnings.append(("child.village_code", said))
    else:
        village = section
        if village is None:
            problems.setdefault("child.village_code", []).append(
                "Thôn/bản: tệp không ghi; chọn thôn/bản mặc định ở trên.")
    child["village_code"] = village.code if village else None
    # Caregivers and the household.
    caregivers: list[dict] = []
    for key, relation in CAREGIVER_FIELDS.items():
        if value.get(key) not in (None, ""):
            caregivers.append({"relation": relation, "full_name": cell_text(value[key]),
                               "_at": column(key)})
    if value.get("parents") not in (None, ""):
        for relation, name in people_of(value["parents"], "other"):
            caregivers.append({"relation": relation, "full_name": name, "_at": column("parents")})
    if caregivers and value.get("phone") not in (None, ""):
        phone, _ = number_text(value["phone"])
        if isinstance(value["phone"], int | float) and len(phone) == 9:
            phone = "0" + phone  # a number cell: Excel drops the leading zero
        caregivers[0]["phone"] = phone
        caregivers[0]["_phone_at"] = column("phone")
    for i, caregiver in enumerate(caregivers):
        at[f"caregivers.{i}"] = caregiver.pop("_at")
        if "_phone_at" in caregiver:
            at[f"caregivers.{i}.phone"] = caregiver.pop("_phone_at")
    head = clean_text(cell_text(value["head"])) if value.get("head") not in (None, "") else ""
    if head:
        at["household.head_name"] = column("head")
    else:
        named = next((c for c in caregivers if c["relation"] == "father"), None) or next(
            iter(caregivers), None)
        head = clean_text(named["full_name"]) if named else ""
        if named:
            at["household.head_name"] = at[f"caregivers.{caregivers.index(named)}"]
    poverty = "none"
    if value.get("poverty") not in (None, ""):
        at["household.poverty_status"] = column("poverty")
        poverty = poverty_of(value["poverty"])
        if poverty is None:
            problems.setdefault("household.poverty_status", []).append(
                f"Hộ nghèo/cận nghèo «{clean_text(cell_text(value['poverty']))}»: ghi Nghèo, Cận "
                "nghèo hoặc để trống.")
            poverty = "none"
    circumstances: list[dict] = []
    if value.get("circumstances") not in (None, ""):
        at["circumstances"] = column("circumstances")
        circumstances, unread = circumstance_rows(value["circumstances"], lookups)
        for message in unread:
            problems.setdefault("circumstances", []).append(message)
    row.record = {
        "child": child,
        "household": {"head_name": head, "address": child.get("address") or "",
                      "village_code": child["village_code"], "poverty_status": poverty},
        "caregivers": caregivers, "circumstances": circumstances, "support": [],
    }
    row.household = _household_key(row, number, value, village)
    row.pending = (problems, warnings, at, by_field)
    return row


LEVELS = {"th": "TH", "tieu hoc": "TH", "cap 1": "TH", "cap i": "TH", "thcs": "THCS",
          "trung hoc co so": "THCS", "cap 2": "THCS", "cap ii": "THCS", "thpt": "THPT",
          "trung hoc pho thong": "THPT", "cap 3": "THPT", "cap iii": "THPT"}


def _dropout(value: dict, child: dict, column, problems: dict, at: dict) -> None:
    """A dropout's level left ("Tiểu học", "THCS", "cấp 2") and day (as a birth date is
    written, a month or a year giving the first day); the register's rules then ask for
    both when the status is HT07."""
    if value.get("school_left_level") not in (None, ""):
        at["child.school_left_level"] = column("school_left_level")
        level = LEVELS.get(normal(cell_text(value["school_left_level"])))
        child["school_left_level"] = level
        if level is None:
            problems.setdefault("child.school_left_level", []).append(
                f"Cấp học «{clean_text(cell_text(value['school_left_level']))}» không có trong "
                "danh mục (Tiểu học, THCS, THPT).")
    if value.get("school_left_on") not in (None, ""):
        at["child.school_left_on"] = column("school_left_on")
        day, _, problem = day_of(value["school_left_on"])
        child["school_left_on"] = day
        if problem:
            problems.setdefault("child.school_left_on", []).append(
                f"Ngày bỏ học «{sample(value['school_left_on'])}»: {problem}.")


def _household_key(row: Row, number: int, value: dict, village: Village | None) -> tuple:
    """Rows of one household: the same head in the same village, else the same parents."""
    place = village.code if village else ""
    if value.get("head") not in (None, ""):
        return ("head", place, fold(clean_text(cell_text(value["head"]))))
    people = tuple(sorted((c["relation"], fold(clean_text(c["full_name"])))
                          for c in row.record["caregivers"]))
    if people:
        return ("parents", place, people)
    return ("row", number)

