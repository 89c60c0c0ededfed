"""Importing a register kept in a spreadsheet (issue 14 §3.1): ``/children/import``.

A commune keeps its children in spreadsheets of every shape. This module reads one
(``children.table``: the cells), finds its header row, guesses what each column holds, turns
each row into a register record, judges it with the register's own rules
(``children.validators``: the same age limit, ID rules, households' NC02/DB14 rules as a
typed child) and looks for probable duplicates with the register's one scorer
(``children.matching``). The result is a :class:`Preview`; nothing is written until the
officer confirms, and then the good rows go through ``children.services.import_children``.

**The header** is the row, among the first :data:`HEADER_ROWS`, whose cells name the most
fields (a title such as "DANH SÁCH TRẺ EM THÔN …" above it is passed over); when a header
cell is merged over several columns ("Họ tên cha/mẹ" over "Cha" | "Mẹ", "Giới tính" over
"Nam" | "Nữ"), the row below names them and the two rows are read as one. A row that only
numbers the columns ("(1) (2) (3)") is passed over, and so are blank rows and the "STT"
column. A row holding nothing but a village's name ("BẢN NÀ SÀNG", often merged across)
names the village of the rows under it.

**Columns** are guessed from their header, lower-cased and without diacritics: the synonyms
of :data:`SYNONYMS` (whole header, then the longest synonym it holds as words, then a close
spelling by rapidfuzz). The officer sees each guess and may change it.

**Values**: "Nam"/"Nữ"/"1"/"2" (or an "x" — or a birth date — in a Nam | Nữ pair of
columns); ethnicities by name, without diacritics, with the common other spellings
("H'Mông", "Mèo", "Khmer"); dates as Excel dates, Excel serial numbers, ``dd/mm/yyyy``,
``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``; a **year alone is stored as 1 January** of
that year (and a month and year as the 1st of the month), with a warning in the preview and
in the child's history note, so that the officer completes it; villages by name, matched to
the commune's villages (close spellings too, with a warning), or the default village chosen
on the form; circumstances as codes ("DB04") or names ("Khuyết tật"), several separated by
``,`` ``;`` or line breaks, details in parentheses ("DB04 (Vận động, Nặng)").

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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from rapidfuzz import fuzz, process
from sqlalchemy import or_

from fieldapp import access, text
from fieldapp.catalogue import services as catalogue
from fieldapp.children import matching, table
from fieldapp.children._changes import Source
from fieldapp.children._rules import FOLLOWS_HOUSEHOLD, is_poor
from fieldapp.children.batch import NewChild
from fieldapp.children.models import Child
from fieldapp.children.search import fold
from fieldapp.children.table import FileRefused, Sheet
from fieldapp.children.validators import Result, clean_text, validate_record
from fieldapp.extensions import db
from fieldapp.places.models import Village

KEPT = timedelta(hours=24)  # an upload not confirmed by then is deleted
HEADER_ROWS = 20
SHOWN_DUPLICATES = 200  # rows offered "Vẫn nhập" on the page; the rest stay left out
SOURCE = "import"

# The fields a column can hold, in the order of the officer's select.
FIELDS = {
    "": "Bỏ qua",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "male": "Nam (ô đánh dấu hoặc ngày sinh)",
    "female": "Nữ (ô đánh dấu hoặc ngày sinh)",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "personal_id": "Số định danh cá nhân",
    "village": "Thôn/bản",
    "address": "Địa chỉ",
    "current_residence": "Nơi ở hiện tại",
    "schooling": "Tình trạng học tập",
    "school_left_level": "Cấp học khi bỏ học",
    "school_left_on": "Ngày bỏ học",
    "father": "Họ tên cha",
    "mother": "Họ tên mẹ",
    "parents": "Họ tên cha/mẹ (một cột)",
    "guardian": "Người giám hộ",
    "caregiver": "Người chăm sóc khác",
    "phone": "Điện thoại người nuôi dưỡng",
    "head": "Họ tên chủ hộ",
    "poverty": "Hộ nghèo/cận nghèo",
    "circumstances": "Hoàn cảnh",
}
# Headers, lower-cased, without diacritics, punctuation as spaces (:func:`normal`).
SYNONYMS = {
    "full_name": ("ho va ten", "ho ten", "ho ten tre", "ho va ten tre", "ho ten tre em",
                  "ho va ten tre em", "ten tre", "ten tre em", "ho ten khai sinh"),
    "date_of_birth": ("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "nam sinh",
                      "sinh ngay", "ngay sinh cua tre", "ns", "ngay thang nam", "sinh nam"),
    "sex": ("gioi tinh", "gioi", "gt", "nam nu", "phai"),
    "male": ("nam", "trai"),
    "female": ("nu", "gai"),
    "ethnicity": ("dan toc", "dan toc cua tre"),
    "nationality": ("quoc tich",),
    "personal_id": ("so dinh danh", "so dinh danh ca nhan", "ma dinh danh", "ma so dinh danh",
                    "so ddcn", "ma ddcn", "cccd", "so cccd", "can cuoc", "can cuoc cong dan",
                    "so can cuoc", "dinh danh", "ma dinh danh ca nhan", "so dinh danh cua tre"),
    "village": ("thon", "ban", "xom", "thon ban", "thon xom", "thon xom ban", "thon ban to",
                "to dan pho", "to", "tieu khu", "ap", "khu", "khoi", "thon to", "ten thon",
                "ten ban", "thon ban tdp", "thon ban tieu khu", "thon to dan pho"),
    "address": ("dia chi", "dia chi chi tiet", "dia chi thuong tru", "noi thuong tru",
                "thuong tru", "so nha", "dia chi cu tru", "noi cu tru", "que quan"),
    "current_residence": ("noi o hien tai", "noi o hien nay", "cho o hien nay",
                          "cho o hien tai", "noi o", "tam tru", "noi tam tru"),
    "schooling": ("tinh trang hoc tap", "hoc tap", "tinh trang di hoc", "di hoc", "hoc van",
                  "trinh do hoc van", "lop", "cap hoc", "dang hoc", "hoc lop"),
    "school_left_level": ("cap hoc khi bo hoc", "bo hoc cap", "bo hoc o cap", "cap bo hoc",
                          "bo hoc tu cap", "cap hoc da bo"),
    "school_left_on": ("ngay bo hoc", "thoi gian bo hoc", "bo hoc tu ngay", "bo hoc ngay",
                       "nam bo hoc", "thang nam bo hoc"),
    "father": ("cha", "bo", "ho ten cha", "ho va ten cha", "ho ten bo", "ho va ten bo",
               "ten cha", "ten bo"),
    "mother": ("me", "ho ten me", "ho va ten me", "ten me"),
    "parents": ("cha me", "bo me", "ho ten cha me", "ho va ten cha me", "ho ten bo me",
                "ho va ten bo me", "ten cha me", "ho ten cha hoac me", "cha me tre"),
    "guardian": ("nguoi giam ho", "giam ho", "ho ten nguoi giam ho"),
    "caregiver": ("nguoi nuoi duong", "nguoi cham soc", "ho ten nguoi nuoi duong",
                  "ho ten nguoi cham soc", "nguoi cham soc tre", "nguoi nuoi"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "so dt", "dien thoai lien he",
              "sdt lien he", "so dien thoai lien he"),
    "head": ("chu ho", "ho ten chu ho", "ho va ten chu ho", "ten chu ho"),
    "poverty": ("ho ngheo", "ho ngheo can ngheo", "ngheo can ngheo", "can ngheo",
                "ho can ngheo", "phan loai ho", "dien ho", "ho ngheo hoac can ngheo",
                "tinh trang ho", "ho ngheo can ngheo khong ngheo"),
    "circumstances": ("hoan canh", "hoan canh dac biet", "nhom hoan canh", "ma hoan canh",
                      "tre em co hoan canh dac biet", "hcdb", "doi tuong", "nhom doi tuong",
                      "dien doi tuong", "hoan canh cua tre"),
}
COUNTER = frozenset({"stt", "tt", "so tt", "so thu tu"})  # ignored; "Ví dụ" there: example
IGNORED = COUNTER | {"ghi chu", "ghi chu khac"}
EXAMPLE = frozenset({"vi du", "vd", "mau"})
CAREGIVER_FIELDS = {"father": "father", "mother": "mother", "guardian": "guardian",
                    "caregiver": "other"}
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
MARKS = frozenset({"x", "v", "1", "co", "c", "*", "+", "ok", "yes"})
MALE = frozenset({"nam", "1", "trai", "m", "male", "nam gioi", "be trai"})
FEMALE = frozenset({"nu", "2", "gai", "f", "female", "nu gioi", "be gai"})
UNKNOWN_SEX = frozenset({"3", "chua xac dinh", "khong ro"})
POOR = frozenset({"ngheo", "ho ngheo", "hn", "x", "co", "1", "poor"})
NEAR_POOR = frozenset({"can ngheo", "ho can ngheo", "hcn", "cn", "near poor"})
NOT_POOR = frozenset({"khong", "khong ngheo", "0", "k", "none", "binh thuong"})
# Other names of ethnicities (squeezed: no spaces); the list's own names are read from it.
ETHNIC_NAMES = {
    "viet": "01", "nguoikinh": "01", "khmer": "05", "khome": "05", "mong": "08",
    "hmong": "08", "meo": "08", "hmongg": "08", "khmu": "29", "kmu": "29", "jrai": "10",
    "giarai": "10", "ede": "12", "rade": "12", "bahnar": "13", "bana": "13", "xedang": "14",
    "caolan": "15", "sanchi": "15", "katu": "26", "cotu": "26", "vankieu": "23", "bru": "23",
    "taoi": "31", "paco": "31", "hanhi": "35", "lolo": "43", "lu": "42", "pupeo": "51",
    "romam": "54", "xtieng": "22", "stieng": "22", "chau ro": "32", "raglai": "21",
    "nuocngoai": "55", "khongro": "00",
}
CIRCUMSTANCE_NAMES = {
    "khuyet tat": "DB04", "bi bo roi": "DB02", "bo roi": "DB02", "mo coi ca cha va me": "DB01",
    "mo coi ca cha me": "DB01", "mo coi cha me": "DB01", "khong noi nuong tua": "DB03",
    "nhiem hiv": "DB05", "hiv": "DB05", "hiv aids": "DB05", "nghien ma tuy": "DB06",
    "ho ngheo": "NC02", "can ngheo": "NC02", "ho can ngheo": "NC02", "gia dinh ngheo": "NC02",
    "ngheo": "NC02", "nguy co": "NC01", "bi thuong tich": "K03", "thuong tich": "K03",
}
SCHOOLING_NAMES = {
    "chua den tuoi di hoc": "HT01", "chua den tuoi": "HT01", "mam non": "HT02",
    "mau giao": "HT02", "nha tre": "HT02", "tieu hoc": "HT03", "thcs": "HT04",
    "trung hoc co so": "HT04", "thpt": "HT05", "trung hoc pho thong": "HT05",
    "hoc nghe": "HT06", "trung cap": "HT06", "bo hoc": "HT07", "da bo hoc": "HT07",
    "khong di hoc": "HT08",
}
VILLAGE_WORDS = ("to dan pho", "tieu khu", "thon", "ban", "xom", "to", "ap", "khu", "khoi",
                 "lang", "so", "tdp")
CODE = re.compile(r"^(DB|NC|K)\s*0*([0-9]{1,2})$", re.IGNORECASE)
DAY = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})$")
SHORT_YEAR = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2})$")
ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T].*)?$")
MONTH = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})$")
WORDS_DAY = re.compile(r"^ngay ([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})$")
YEAR = re.compile(r"^(?:nam )?([0-9]{4})$")
NUMBERING = re.compile(r"^\(?[0-9]{1,2}\)?$")
SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?e\+?[0-9]+$", re.IGNORECASE)


def normal(value) -> str:
    """A header or a value compared: lower case, no diacritics, đ → d, punctuation as
    spaces ("Họ tên cha/mẹ" → "ho ten cha me")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(value or ""))).split())


def squeezed(value) -> str:
    return normal(value).replace(" ", "")


_BY_SYNONYM = {synonym: key for key, synonyms in SYNONYMS.items() for synonym in synonyms}
_LONG = sorted((s for s in _BY_SYNONYM if len(s) >= 5), key=len, reverse=True)


@lru_cache(maxsize=4096)
def guess(header: str) -> str:
    """The field a header names ("" for none): the whole header a synonym, else the longest
    synonym it holds as words, else a synonym spelt closely (rapidfuzz ratio ≥ 85)."""
    text = normal(header)
    if not text or text in IGNORED:
        return ""
    if text in _BY_SYNONYM:
        return _BY_SYNONYM[text]
    padded = f" {text} "
    for synonym in _LONG:
        if f" {synonym} " in padded:
            return _BY_SYNONYM[synonym]
    found = process.extractOne(text, _LONG, scorer=fuzz.ratio, score_cutoff=85)
    return _BY_SYNONYM[found[0]] if found else ""


def guess_pair(top, sub) -> str:
    """The field of a column headed by ``top`` with ``sub`` below it (a merged header):
    the sub-header alone when it is a field's name ("Cha", "Nam"), else both read as one,
    else the top alone."""
    if sub is None or normal(sub) == normal(top):
        return guess(str(top or ""))
    return (_BY_SYNONYM.get(normal(sub)) or guess(f"{top or ''} {sub}")
            or guess(str(top or "")) or guess(str(sub)))


# --- the preview -------------------------------------------------------------------------

@dataclass
class Column:
    index: int  # 0-based
    header: str  # as the file writes it ("Họ tên cha/mẹ / Cha" for two rows)
    guessed: str  # the field guessed from the header
    field: str  # the field used: the guess, or the officer's choice
    samples: list[str] = field(default_factory=list)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


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
    found = [(sheet, _header(sheet)) for sheet in sheets]
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
    data, blank = _data_rows(sheet, rows[-1], columns, lookups)
    if len(data) > table.MAX_ROWS:
        raise table.too_many()
    out = []
    for number, cells, section in data:
        out.append(_row(number, cells, columns, lookups, section or default_village))
    _share_households(out)
    for row in out:
        _judge(row, today)
    _samples(columns, data)
    _find_duplicates(actor, [row for row in out if row.good], today, lookups)
    return Preview(sheet.name, [s.name for s, _ in usable], rows, columns, out, blank,
                   options)


def clean_options(options: dict | None) -> dict:
    options = dict(options or {})
    columns = options.get("columns") or {}
    return {"sheet": options.get("sheet") or None, "village": options.get("village") or "",
            "columns": {str(k): v for k, v in columns.items() if v in FIELDS}}


# --- the header ----------------------------------------------------------------------------

def _header(sheet: Sheet) -> tuple[list[int], list[Column]] | None:
    """The header rows (one, or two under merged cells) and the columns they name."""
    best, best_score = None, (1, 0, 0)  # at least two fields named
    for number in range(1, min(len(sheet.rows), HEADER_ROWS) + 1):
        spans = [s for s in sheet.spans if s[0] <= number <= s[2] and s[2] == number]
        distinct = {normal(v) for v in sheet.rows[number - 1] if v is not None}
        # A cell merged over some columns heads the row below; a title merged across the
        # whole width (one distinct value in the row) heads nothing.
        choices = [[number]] + ([[number, number + 1]] if spans and len(distinct) > 1 else [])
        for rows in choices:
            columns = _columns(sheet, rows)
            named = len({c.guessed for c in columns if c.guessed})
            score = (named, -rows[0], len(rows))
            if score > best_score:
                best, best_score = (rows, columns), score
    return best


def _columns(sheet: Sheet, rows: list[int]) -> list[Column]:
    width = max((len(sheet.rows[r - 1]) for r in rows if r <= len(sheet.rows)), default=0)
    columns, taken = [], set()
    for index in range(width):
        top = sheet.value(rows[0], index)
        sub = sheet.value(rows[1], index) if len(rows) > 1 else None
        top_text = clean_text(_text(top)) if top is not None else ""
        sub_text = clean_text(_text(sub)) if sub is not None else ""
        if not top_text and not sub_text:
            continue
        if isinstance(top, datetime | date) or isinstance(sub, datetime | date):
            key = ""
        else:
            key = guess_pair(top_text, sub_text or None)
        if key in taken:
            key = ""  # the first column naming a field keeps it
        taken.add(key)
        shown = top_text if not sub_text or normal(sub_text) == normal(top_text) \
            else f"{top_text} / {sub_text}" if top_text else sub_text
        columns.append(Column(index, shown, key, key))
    return columns


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _data_rows(sheet: Sheet, last_header: int, columns: list[Column], lookups: "Lookups"):
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
        texts = {clean_text(_text(v)) for v in values}
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


def _samples(columns: list[Column], data: list) -> None:
    for column in columns:
        for _, cells, _ in data:
            value = cells.get(column.index)
            if value not in (None, "") and len(column.samples) < 3:
                column.samples.append(_sample(value))
            if len(column.samples) >= 3:
                break


def _sample(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return clean_text(_text(value))[:40]


# --- values --------------------------------------------------------------------------------

class Lookups:
    """The code lists and the commune's villages, indexed for the values of a file; each
    distinct value converted once (a commune's lists repeat)."""

    def __init__(self, actor):
        villages = list(db.session.scalars(
            access.villages(actor).where(Village.active.is_(True)).order_by(Village.code)))
        self.villages = {v.code: v for v in villages}
        self.village_names, self.village_exact = {}, {}
        for village in villages:
            for key in (clean_text(village.name).lower(),
                        clean_text(village.name).lower().split(" ", 1)[-1]):
                self.village_exact.setdefault(key, village)
            for key in (normal(village.name), _village_key(village.name), normal(village.code)):
                if key:
                    self.village_names.setdefault(key, village)
        self.ethnicities = self._index("ethnicity", ETHNIC_NAMES)
        self.nationalities = self._index("nationality", {"vietnam": "VN", "vn": "VN"})
        self.schooling = {normal(item.label): item.code
                          for item in catalogue.items("schooling_status")}
        self.schooling.update({k: v for k, v in SCHOOLING_NAMES.items()
                               if catalogue.exists("schooling_status", v)})
        self.circumstances = {normal(item.label): item.code
                              for item in catalogue.items("circumstance")}
        self.circumstances.update(CIRCUMSTANCE_NAMES)
        self.cache: dict = {}

    @staticmethod
    def _index(list_name: str, more: dict) -> dict[str, str]:
        index = {}
        for item in catalogue.items(list_name):
            for key in (squeezed(item.label), item.code.lower()):
                index.setdefault(key, item.code)
        for key, code in more.items():
            if catalogue.exists(list_name, code):
                index.setdefault(key.replace(" ", ""), code)
        return index

    def village_by_code(self, code) -> Village | None:
        return self.villages.get(code or "")

    def village(self, value) -> tuple[Village | None, str | None]:
        """The village a cell names, and a warning when it was a close spelling."""
        key = ("village", value)
        if key not in self.cache:
            text, written = normal(value), clean_text(_text(value)).lower()
            found = (self.village_exact.get(written) or self.village_names.get(text)
                     or self.village_names.get(_village_key(text)))
            said = None
            if found is None and self.village_names:
                near = process.extractOne(_village_key(text), list(self.village_names),
                                          scorer=fuzz.ratio, score_cutoff=85)
                if near:
                    found = self.village_names[near[0]]
                    said = (f"Thôn/bản «{clean_text(value)}» hiểu là {found.name} (tên gần "
                            "giống).")
            self.cache[key] = (found, said)
        return self.cache[key]

    def section(self, text: str) -> Village | None:
        """The village a row holding only a name heads ("BẢN NÀ SÀNG", "I. Thôn 3")."""
        bare = re.sub(r"^(?:[ivx]+|[0-9]+|[a-z])\s+", "", normal(text))
        return self.village_names.get(bare) or self.village_names.get(_village_key(bare))

    def code(self, index: dict, list_name: str, value) -> tuple[str | None, str | None]:
        key = (list_name, value)
        if key not in self.cache:
            text = squeezed(value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                text = f"{int(value):02d}" if float(value).is_integer() else text
            found, said = index.get(text) or index.get(text.lower()), None
            if found is None and len(text) >= 3:
                near = process.extractOne(text, list(index), scorer=fuzz.ratio,
                                          score_cutoff=85)
                if near:
                    found = index[near[0]]
                    said = (f"«{clean_text(value)}» hiểu là {found} · "
                            f"{catalogue.label(list_name, found)} (tên gần giống).")
            self.cache[key] = (found, said)
        return self.cache[key]


def _village_key(text: str) -> str:
    """A village's name without the words that say what it is ("Bản", "Thôn", "Tổ dân phố
    số")."""
    words = normal(text).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for prefix in VILLAGE_WORDS:
            size = len(prefix.split())
            if words[:size] == prefix.split() and len(words) > size:
                words, changed = words[size:], True
                break
    return " ".join(words)


def day_of(value) -> tuple[date | None, str, str | None]:
    """A birth date cell: ``(date, kind, problem)``; kind ``day``, ``month`` (1st of it) or
    ``year`` (1 January); the problem when it is no date."""
    if isinstance(value, datetime):
        return value.date(), "day", None
    if isinstance(value, date):
        return value, "day", None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return date(int(value), 1, 1), "year", None
        if 1 <= value < 2_958_466:  # an Excel serial number in a cell not formatted as a date
            return from_excel(value).date(), "day", None
        return None, "", "không phải ngày hợp lệ"
    text = clean_text(value)
    bare = normal(text)
    for pattern, order in ((DAY, "dmy"), (ISO, "ymd"), (WORDS_DAY, "dmy")):
        match = pattern.match(text if pattern is not WORDS_DAY else bare)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()[:3]), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"]), "day", None
            except ValueError:
                return None, "", "không phải ngày có thật"
    match = MONTH.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return date(int(match.group(2)), int(match.group(1)), 1), "month", None
    match = YEAR.match(bare)
    if match and 1900 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), 1, 1), "year", None
    if SHORT_YEAR.match(text):
        return None, "", "năm sinh cần đủ 4 chữ số"
    return None, "", "không phải ngày (ghi ngày/tháng/năm, ví dụ 04/03/2015)"


def number_text(value) -> tuple[str, str | None]:
    """An ID number cell as text, and a warning when zeros Excel dropped were put back."""
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if 0 <= value < 10**12 and len(text) in (10, 11):
            return f"{value:012d}", None  # a number cell: Excel drops the leading zeros
        return text, None
    text = clean_text(value)
    if SCIENTIFIC.match(text):
        return text, "scientific"
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isascii() and digits.isdigit():
        if len(digits) in (10, 11):
            return digits.zfill(12), "zeros"
        return digits, None
    return text, None


def _sex(value) -> str | None:
    text = normal(_text(value))
    if text in MALE:
        return "1"
    if text in FEMALE:
        return "2"
    if text in UNKNOWN_SEX:
        return "3"
    return None


def _marked(value) -> bool:
    return value is not None and (isinstance(value, datetime | date | int | float)
                                  or normal(_text(value)) != "")


def split_list(text: str) -> list[str]:
    """Items separated by ``,`` ``;`` or line breaks; commas inside parentheses, or after a
    colon (until the next ``;`` or line break), stay."""
    items, depth, current, detail = [], 0, [], False
    for char in str(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ":":
            detail = True  # "DB04: vận động, nặng": the commas are the details'
        if char in ";\n" or (char == "," and depth == 0 and not detail):
            items.append("".join(current))
            current, detail = [], False
        else:
            current.append(char)
    items.append("".join(current))
    return [clean_text(item) for item in items if clean_text(item)]


def circumstance_rows(text, lookups: Lookups) -> tuple[list[dict], list[str]]:
    """The circumstances a cell names (codes or names, details in parentheses or after a
    colon), and what could not be read."""
    rows, problems = [], []
    for item in split_list(_text(text)):
        match = re.match(r"^([^(:]+?)\s*(?:[(:](.*?)\)?)?$", item)
        head, detail = (match.group(1), match.group(2) or "") if match else (item, "")
        code = _circumstance_code(head, lookups)
        if code is None:
            problems.append(f"Hoàn cảnh «{item}» không có trong danh mục (ghi mã như DB04 "
                            "hoặc tên nhóm).")
            continue
        details = {}
        for part in split_list(detail.replace("/", ",")):
            found = _detail(code, part)
            if found is None:
                problems.append(f"Hoàn cảnh {code}: «{part}» không có trong danh mục chi tiết "
                                "của nhóm này.")
            else:
                details[found[0]] = found[1]
        rows.append({"code": code, "detail": details, "since": None, "until": None,
                     "note": ""})
    return rows, problems


def _circumstance_code(head: str, lookups: Lookups) -> str | None:
    match = CODE.match(head.strip())
    if match:
        code = f"{match.group(1).upper()}{int(match.group(2)):02d}"
        return code if catalogue.exists("circumstance", code) else None
    text = normal(head)
    if text in lookups.circumstances:
        return lookups.circumstances[text]
    near = process.extractOne(text, list(lookups.circumstances), scorer=fuzz.ratio,
                              score_cutoff=90)
    return lookups.circumstances[near[0]] if near else None


def _detail(code: str, text: str) -> tuple[str, str] | None:
    wanted = normal(text)
    for list_name, items in catalogue.detail_lists(code).items():
        for item in items:
            if wanted in (normal(item.label), item.code.lower()):
                return list_name, item.code
    for list_name, items in catalogue.detail_lists(code).items():
        for item in items:
            if len(wanted) >= 3 and normal(item.label).startswith(wanted):
                return list_name, item.code
    return None


def _poverty(value) -> str | None:
    text = normal(_text(value))
    if not text or text in NOT_POOR:
        return "none"
    if text in NEAR_POOR:
        return "near_poor"
    if text in POOR:
        return "poor"
    return text if catalogue.exists("poverty_status", text) else None


RELATIONS = {"cha": "father", "bo": "father", "me": "mother", "ma": "mother",
             "nguoi giam ho": "guardian", "giam ho": "guardian"}
SAID_BEFORE = re.compile(r"^(cha|bo|me|ma|nguoi giam ho|giam ho)\s*:\s*")
SAID_AFTER = re.compile(r"\s*\((cha|bo|me|ma|nguoi giam ho|giam ho)\)$")


def _people(text, default: str) -> list[tuple[str, str]]:
    """The people of a "Họ tên cha/mẹ" cell: ``(relation, name)``, by "Cha:", "Mẹ:" before
    the name or "(cha)" after it, else by "Thị" (a woman's middle name) or "Văn" (a man's),
    else ``default``."""
    out = []
    for part in re.split(r"[;\n,]|\s+-\s+|\s*/\s*", _text(text)):
        part = clean_text(part)
        if not part:
            continue
        folded = fold(part)  # as long as ``part``: NFC letters fold one for one
        said = SAID_BEFORE.match(folded) or SAID_AFTER.search(folded)
        if said:
            relation = RELATIONS[said.group(1)]
            part = clean_text(part[said.end():] if said.start() == 0 else part[:said.start()])
        else:
            words = normal(part).split()
            relation = ("mother" if "thi" in words[1:-1] else
                        "father" if "van" in words[1:-1] else default)
        if part:
            out.append((relation, part))
    return out


def _row(number: int, cells: dict, columns: list[Column], lookups: Lookups,
         section: Village | None) -> Row:
    """One row read: its record (the register's shape) and the problems of reading it, each
    at its column (judged by the register's rules later: :func:`_judge`)."""
    by_field = {c.field: c.index for c in columns if c.field}
    value = {key: cells.get(index) for key, index in by_field.items()}
    row = Row(number, {})
    row.example = normal(_text(cells.get("counter") or "")) in EXAMPLE
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
            child[key] = clean_text(_text(value[key]))
            at[f"child.{key}"] = column(key)
    # Sex, and a birth date written in a Nam | Nữ pair of columns.
    born_cell, born_at = value.get("date_of_birth"), column("date_of_birth")
    if value.get("sex") is not None:
        child["sex"] = _sex(value["sex"])
        at["child.sex"] = column("sex")
        if child["sex"] is None:
            problems.setdefault("child.sex", []).append(
                f"Giới tính «{clean_text(_text(value['sex']))}»: ghi Nam hoặc Nữ.")
    male, female = _marked(value.get("male")), _marked(value.get("female"))
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
            if born_cell in (None, "") and normal(_text(mark)) not in MARKS:
                born_cell, born_at = mark, column(key)  # the birth date under Nam or Nữ
    if born_cell not in (None, ""):
        at["child.date_of_birth"] = born_at
        born, kind, problem = day_of(born_cell)
        if problem:
            problems.setdefault("child.date_of_birth", []).append(
                f"Ngày sinh «{_sample(born_cell)}»: {problem}.")
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
                    f"{label} «{clean_text(_text(value[key]))}» không có trong danh mục.")
            elif said:
                warnings.append((path, f"{label} {said}"))
    if value.get("schooling") not in (None, ""):
        at["child.schooling_status"] = column("schooling")
        code = _schooling(value["schooling"], lookups)
        child["schooling_status"] = code
        if code is None:
            problems.setdefault("child.schooling_status", []).append(
                f"Tình trạng học tập «{clean_text(_text(value['schooling']))}» không có trong "
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
                f"Thôn/bản «{clean_text(_text(value['village']))}» không có trong danh sách "
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
            caregivers.append({"relation": relation, "full_name": _text(value[key]),
                               "_at": column(key)})
    if value.get("parents") not in (None, ""):
        for relation, name in _people(value["parents"], "other"):
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
    head = clean_text(_text(value["head"])) if value.get("head") not in (None, "") else ""
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
        poverty = _poverty(value["poverty"])
        if poverty is None:
            problems.setdefault("household.poverty_status", []).append(
                f"Hộ nghèo/cận nghèo «{clean_text(_text(value['poverty']))}»: ghi Nghèo, Cận "
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


def _schooling(value, lookups: Lookups) -> str | None:
    text = normal(_text(value))
    code = str(value).strip().upper()
    if catalogue.exists("schooling_status", code):
        return code
    if text in lookups.schooling:
        return lookups.schooling[text]
    match = re.match(r"^(?:lop )?([0-9]{1,2})$", text)
    if match and text.startswith("lop"):
        grade = int(match.group(1))
        code = "HT03" if 1 <= grade <= 5 else "HT04" if grade <= 9 else "HT05" \
            if grade <= 12 else None
        return code if code and catalogue.exists("schooling_status", code) else None
    return None


LEVELS = {"th": "TH", "tieu hoc": "TH", "cap 1": "TH", "cap i": "TH", "thcs": "THCS",
          "trung hoc co so": "THCS", "cap 2": "THCS", "cap ii": "THCS", "thpt": "THPT",
          "trung hoc pho thong": "THPT", "cap 3": "THPT", "cap iii": "THPT"}


def _dropout(value: dict, child: dict, column, problems: dict, at: dict) -> None:
    """A dropout's level left ("Tiểu học", "THCS", "cấp 2") and day (as a birth date is
    written, a month or a year giving the first day); the register's rules then ask for
    both when the status is HT07."""
    if value.get("school_left_level") not in (None, ""):
        at["child.school_left_level"] = column("school_left_level")
        level = LEVELS.get(normal(_text(value["school_left_level"])))
        child["school_left_level"] = level
        if level is None:
            problems.setdefault("child.school_left_level", []).append(
                f"Cấp học «{clean_text(_text(value['school_left_level']))}» không có trong "
                "danh mục (Tiểu học, THCS, THPT).")
    if value.get("school_left_on") not in (None, ""):
        at["child.school_left_on"] = column("school_left_on")
        day, _, problem = day_of(value["school_left_on"])
        child["school_left_on"] = day
        if problem:
            problems.setdefault("child.school_left_on", []).append(
                f"Ngày bỏ học «{_sample(value['school_left_on'])}»: {problem}.")


def _household_key(row: Row, number: int, value: dict, village: Village | None) -> tuple:
    """Rows of one household: the same head in the same village, else the same parents."""
    place = village.code if village else ""
    if value.get("head") not in (None, ""):
        return ("head", place, fold(clean_text(_text(value["head"]))))
    people = tuple(sorted((c["relation"], fold(clean_text(c["full_name"])))
                          for c in row.record["caregivers"]))
    if people:
        return ("parents", place, people)
    return ("row", number)


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
