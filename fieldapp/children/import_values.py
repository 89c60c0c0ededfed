"""Importing a register kept in a spreadsheet (``children.imports``): a cell's value
converted.

"Nam"/"Nữ"/"1"/"2" (or an "x" — or a birth date — in a Nam | Nữ pair of columns);
ethnicities by name, without diacritics, with the common other spellings ("H'Mông", "Mèo",
"Khmer"); dates as Excel dates, Excel serial numbers, ``dd/mm/yyyy``, ``d/m/yyyy``,
``dd-mm-yyyy``, ``dd.mm.yyyy``; a **year alone is stored as 1 January** of that year (and a
month and year as the 1st of the month), with a warning in the preview and in the child's
history note, so that the officer completes it; villages by name, matched to the commune's
villages (close spellings too, with a warning), or the default village chosen on the form;
circumstances as codes ("DB04") or names ("Khuyết tật"), several separated by ``,`` ``;`` or
line breaks, details in parentheses ("DB04 (Vận động, Nặng)").
"""

import re
from datetime import date, datetime

from openpyxl.utils.datetime import from_excel
from rapidfuzz import fuzz, process

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children.import_columns import cell_text, normal, squeezed
from fieldapp.children.search import fold
from fieldapp.children.validators import clean_text
from fieldapp.extensions import db
from fieldapp.places.models import Village

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
SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?e\+?[0-9]+$", re.IGNORECASE)


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
            text, written = normal(value), clean_text(cell_text(value)).lower()
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


def sex_of(value) -> str | None:
    text = normal(cell_text(value))
    if text in MALE:
        return "1"
    if text in FEMALE:
        return "2"
    if text in UNKNOWN_SEX:
        return "3"
    return None


def marked(value) -> bool:
    return value is not None and (isinstance(value, datetime | date | int | float)
                                  or normal(cell_text(value)) != "")


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
    for item in split_list(cell_text(text)):
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


def poverty_of(value) -> str | None:
    text = normal(cell_text(value))
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


def people_of(text, default: str) -> list[tuple[str, str]]:
    """The people of a "Họ tên cha/mẹ" cell: ``(relation, name)``, by "Cha:", "Mẹ:" before
    the name or "(cha)" after it, else by "Thị" (a woman's middle name) or "Văn" (a man's),
    else ``default``."""
    out = []
    for part in re.split(r"[;\n,]|\s+-\s+|\s*/\s*", cell_text(text)):
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


def schooling_of(value, lookups: Lookups) -> str | None:
    text = normal(cell_text(value))
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
