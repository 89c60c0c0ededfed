"""Importing a register kept in a spreadsheet (``children.imports``): the header and the
columns.

**The header** is the row, among the first :data:`HEADER_ROWS`, whose cells name the most
fields (a title such as "DANH SÁCH TRẺ EM THÔN …" above it is passed over); when a header
cell is merged over several columns ("Họ tên cha/mẹ" over "Cha" | "Mẹ", "Giới tính" over
"Nam" | "Nữ"), the row below names them and the two rows are read as one.

**Columns** are guessed from their header, lower-cased and without diacritics: the synonyms
of :data:`SYNONYMS` (whole header, then the longest synonym it holds as words, then a close
spelling by rapidfuzz). The officer sees each guess and may change it.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from openpyxl.utils import get_column_letter
from rapidfuzz import fuzz, process

from fieldapp.children.search import fold
from fieldapp.children.table import Sheet
from fieldapp.children.validators import clean_text

HEADER_ROWS = 20

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


def find_header(sheet: Sheet) -> tuple[list[int], list[Column]] | None:
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
        top_text = clean_text(cell_text(top)) if top is not None else ""
        sub_text = clean_text(cell_text(sub)) if sub is not None else ""
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


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)



def samples(columns: list[Column], data: list) -> None:
    for column in columns:
        for _, cells, _ in data:
            value = cells.get(column.index)
            if value not in (None, "") and len(column.samples) < 3:
                column.samples.append(sample(value))
            if len(column.samples) >= 3:
                break


def sample(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return clean_text(cell_text(value))[:40]
