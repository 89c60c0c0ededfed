"""Is this the same child? How alike two children are (register records, or a proposed new
child of a submission): a score (0–100) and its reasons, and the blocks that hold every pair
that can be probable. The one scorer of the probable duplicates: the register's list
(``quality.matcher``), the review panel, the inbox's filter and the bulk approval
(``review.duplicates``).

Names are compared Vietnamese-aware: NFC, case and diacritics folded (đ → d, the register's
``name_key``), token order ignored, and the common middle names weighed lightly (:data:`LIGHT`
always, :data:`LIGHT_MIDDLE` unless it is the last word, the given name: "Lê Văn Minh"). A
middle name is known by its diacritics when it has them ("Vân" is a given name, "Văn" a middle
name) and by its letters when typed without ("Van"). A differing or missing middle name costs
4 points of the name's 100, any other word 20, a word spelt differently up to 40: twins with
the same birth date, household and mother but different given names stay below 80.

The score: the name 60 points, the birth date 25 (same day; 12 day and month swapped; 10 same
month; 5 same year), sex 5 (a different sex −20), village 5, a caregiver's name 5; the same
ID number +30 and at least 85, two different ID numbers −30. A pair is probable from 80.

The blocks (:func:`candidates`) find the pairs worth scoring without walking all pairs in
Python: children born the same day, names compared in rapidfuzz's C loop (``process.extract``
with a cutoff, and a dict for a name with one word more); then dicts of the name's words (but
middle names) with the village and birth year, the birth year and month, or the birth year and
the day and month swapped; and of the ID number. Those are all the pairs that can reach 80:
born on other days, only names that differ by middle names can; born in another month of the
year, only the same name in the same village; in another year, none. They follow the weights
above: change one and check the blocks still hold every probable pair.
"""

import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from rapidfuzz import fuzz, process
from sqlalchemy import String, cast, select, type_coerce

from fieldapp.children.models import Caregiver, Child
from fieldapp.children.queries import years_ago
from fieldapp.children.search import fold
from fieldapp.children.validators import age_limit, parse_date
from fieldapp.extensions import db

PROBABLE = 80
LIGHT = frozenset({"văn", "thị", "a"})  # "A" of Hmông boys (Giàng A Páo)
LIGHT_MIDDLE = frozenset({"hữu", "đức", "đình", "công", "quang", "ngọc", "minh"})
_MARKED = {word: kind for kind, words in ((1, LIGHT), (2, LIGHT_MIDDLE)) for word in words}
_BARE = {fold(word): kind for word, kind in _MARKED.items()}  # typed without diacritics
LIGHT_COST, WORD_COST, SPELLING = 4, 20, 2.5
CAREGIVER_NAME = 90
CANDIDATE = 75  # the name keys' ratio for children born the same day to be scored at all


@dataclass(slots=True)
class Facts:
    """What the matcher compares of one child. ``name_key`` is the register's folded name."""

    id: object
    full_name: str
    name_key: str
    sex: str
    born: date
    village_code: str
    household_id: object = None
    personal_id: str | None = None
    caregivers: tuple[str, ...] = ()  # folded names
    words: tuple[str, ...] = ()
    kinds: tuple[int, ...] = ()  # per word: 0 a name, 1 a middle name, 2 one but last
    key: str = ""

    def __post_init__(self):
        if not isinstance(self.born, date):  # read as text (see read_active)
            self.born = date.fromisoformat(self.born)
        if self.personal_id and not self.personal_id.isdigit():  # typed "014 220 001234"
            self.personal_id = re.sub(r"[\s.-]", "", self.personal_id) or None
        if not self.words:
            self.words, self.kinds, self.key = parse_name(self.full_name, self.name_key)

    @property
    def light(self) -> tuple[bool, ...]:
        """Which words weigh lightly: :data:`LIGHT` anywhere, :data:`LIGHT_MIDDLE` but as
        the first or last word."""
        last = len(self.words) - 1
        return tuple(kind == 1 or (kind == 2 and 0 < i < last)
                     for i, kind in enumerate(self.kinds))


def parse_name(full_name: str, name_key: str | None) -> tuple[tuple, tuple, str]:
    """The folded words, which are middle names (:attr:`Facts.kinds`) and the blocks' key: the
    words but any middle name, wherever it stands (names that differ only by middle names
    have the same key, whichever word is the given name)."""
    words = tuple((name_key or fold(full_name)).split())
    written = full_name.lower().split()
    if len(written) != len(words):  # a name_key out of step: the folded words
        written = words
    kinds = tuple(_MARKED.get(w) or (_BARE.get(f, 0) if w == f else 0)
                  for w, f in zip(written, words, strict=True))
    core = sorted(w for w, kind in zip(words, kinds, strict=True) if not kind)
    return words, kinds, " ".join(core or sorted(words))


@dataclass
class Verdict:
    score: int
    reasons: list[str]

    @property
    def probable(self) -> bool:
        return self.score >= PROBABLE


def facts(child: Child) -> Facts:
    return Facts(child.id, child.full_name, child.name_key, child.sex, child.date_of_birth,
                 child.village_code, child.household_id, child.personal_id,
                 tuple(fold(c.full_name) for c in child.caregivers))


def proposal(key, data: dict) -> Facts | None:
    """What the matcher compares of a submission's proposed child (its snapshot ``data``;
    ``None`` without a name or a readable birth date: nothing to compare)."""
    child = (data or {}).get("child") or {}
    name = " ".join(unicodedata.normalize("NFC", str(child.get("full_name") or "")).split())
    born = parse_date(child.get("date_of_birth"))
    if not name or not isinstance(born, date):
        return None
    return Facts(key, name, fold(name), str(child.get("sex") or ""), born,
                 str(child.get("village_code") or ""),
                 ((data or {}).get("household") or {}).get("id"),
                 str(child.get("personal_id") or "") or None,
                 tuple(fold((c or {}).get("full_name") or "")
                       for c in (data or {}).get("caregivers") or []))


def score(a, b) -> Verdict:
    """The score and reasons (Vietnamese) of one pair of children (:class:`Child` or
    :class:`Facts`)."""
    a = a if isinstance(a, Facts) else facts(a)
    b = b if isinstance(b, Facts) else facts(b)
    name, reasons = _name(a, b)
    points = 0.6 * name
    birth, said = _birth(a.born, b.born)
    points += birth
    reasons.append(said)
    if a.sex == b.sex:
        points += 5
    elif "3" in (a.sex, b.sex) or not (a.sex and b.sex):  # unknown, or missing (a proposal)
        points += 2
    else:
        points -= 20
        reasons.append("Khác giới tính")
    if a.village_code == b.village_code:
        points += 5
        reasons.append("Cùng thôn/bản")
    else:
        reasons.append("Khác thôn/bản")
    if _same_key(a.household_id, b.household_id):
        reasons.append("Cùng hộ gia đình")
    if any(x and y and fuzz.token_sort_ratio(x, y) >= CAREGIVER_NAME
           for x in a.caregivers for y in b.caregivers):
        points += 5
        reasons.append("Cùng tên người nuôi dưỡng")
    if a.personal_id and b.personal_id:
        if a.personal_id == b.personal_id:
            points = max(points + 30, 85)
            reasons.insert(0, "Trùng số định danh")
        else:
            points -= 30
            reasons.append("Khác số định danh")
    return Verdict(max(0, min(100, round(points))), reasons)


def _same_key(x, y) -> bool:
    """Two ids alike whatever their spelling: a UUID, its text with or without dashes (as
    SQLite gives it), or a snapshot's."""
    if x is None or y is None:
        return False
    if x == y:
        return True
    try:
        return uuid.UUID(str(x)) == uuid.UUID(str(y))
    except ValueError:
        return False


def _name(a: Facts, b: Facts) -> tuple[float, list[str]]:
    """The names' likeness (0–100) and how it reads: words paired best first, whatever their
    order; a pair spelt differently costs at most what leaving both words unpaired would."""
    light_a, light_b = a.light, b.light
    cost_a = [LIGHT_COST if light else WORD_COST for light in light_a]
    cost_b = [LIGHT_COST if light else WORD_COST for light in light_b]
    ratios = sorted(((fuzz.ratio(x, y), i, j) for i, x in enumerate(a.words)
                     for j, y in enumerate(b.words)), reverse=True)
    left, right = set(range(len(a.words))), set(range(len(b.words)))
    penalty, shown, only_middle = 0.0, [], True
    for ratio, i, j in ratios:
        if i not in left or j not in right:
            continue
        left.discard(i)
        right.discard(j)
        if ratio < 100:
            penalty += min((100 - ratio) * SPELLING, cost_a[i] + cost_b[j])
            shown.append(f"{_word(a, i)}/{_word(b, j)}")
            only_middle = only_middle and light_a[i] and light_b[j]
    penalty += sum(cost_a[i] for i in left) + sum(cost_b[j] for j in right)
    shown += [f"{_word(a, i)}/—" for i in sorted(left)]
    shown += [f"—/{_word(b, j)}" for j in sorted(right)]
    only_middle = (only_middle and all(light_a[i] for i in left)
                   and all(light_b[j] for j in right))
    name = max(0.0, 100 - penalty)
    if a.words == b.words:
        said = "Cùng họ tên" if a.full_name == b.full_name else "Cùng họ tên (khác dấu, chữ hoa)"
    elif sorted(a.words) == sorted(b.words):
        said = "Cùng họ tên, khác thứ tự"
    elif only_middle:
        said = f"Chỉ khác tên đệm ({', '.join(shown)})"
    else:
        said = f"Tên gần giống ({round(name)}%)"
    return name, [said]


def _word(child: Facts, i: int) -> str:
    """The word as written (the folded words follow the written ones one for one)."""
    written = child.full_name.split()
    return written[i] if len(written) == len(child.words) else child.words[i]


def _birth(x: date, y: date) -> tuple[int, str]:
    if x == y:
        return 25, "Cùng ngày sinh"
    if x.year == y.year and x.day == y.month and x.month == y.day:
        return 12, "Ngày sinh đảo ngày và tháng"
    if (x.year, x.month) == (y.year, y.month):
        return 10, "Cùng tháng, năm sinh"
    if x.year == y.year:
        return 5, "Cùng năm sinh"
    return 0, "Khác năm sinh"


def candidates(children: list[Facts]) -> set[tuple[int, int]]:
    """Index pairs of ``children`` worth scoring (``i < j``): the blocks (module docstring)
    hold every pair that can be probable."""
    by_day, exact = defaultdict(list), defaultdict(list)
    for n, child in enumerate(children):
        born, key = child.born, child.key
        by_day[born].append(n)
        exact[(child.village_code, born.year, key)].append(n)
        exact[(born.year, born.month, key)].append(n)
        if born.day <= 12 and born.day != born.month:  # 05/03 written 03/05
            exact[(born.year, min(born.day, born.month), max(born.day, born.month), key)
                  ].append(n)
        if child.personal_id:
            exact[child.personal_id].append(n)
    found: set[tuple[int, int]] = set()
    for block in by_day.values():
        if len(block) > 1:
            _same_day(children, block, found)
    for block in exact.values():
        if len(block) > 1:
            found.update(combinations(block, 2))
    return found


def _same_day(children: list[Facts], block: list[int], found: set) -> None:
    """Children born the same day: close spellings (rapidfuzz's C loop), and a name with one
    word more than another's (its words but one are the other's words)."""
    keys = [children[n].key for n in block]
    for k in range(len(block) - 1):
        for _, _, m in process.extract(keys[k], keys[k + 1:], scorer=fuzz.ratio,
                                       processor=None, score_cutoff=CANDIDATE, limit=None):
            found.add((block[k], block[k + 1 + m]))
    by_key = defaultdict(list)
    for n, key in zip(block, keys, strict=True):
        by_key[key].append(n)
    sizes = {key.count(" ") + 1 for key in by_key}
    for key, longer in by_key.items():
        words = key.split()
        if len(words) - 1 not in sizes or len(words) < 2:
            continue
        for k in range(len(words)):
            for m in by_key.get(" ".join(words[:k] + words[k + 1:]), ()):
                found.update((min(n, m), max(n, m)) for n in longer)


def read_active(commune_code: str, today: date, *where) -> list[Facts]:
    """The commune's active children (open, under 16), narrowed by ``where``, without their
    caregivers (:func:`add_caregivers`). Ids as text and the birth date as the driver gives
    it: the per-row conversions would cost more than the whole matching (100,000 rows)."""
    rows = db.session.execute(
        select(cast(Child.id, String), Child.full_name, Child.name_key, Child.sex,
               type_coerce(Child.date_of_birth, String), Child.village_code,
               cast(Child.household_id, String), Child.personal_id)
        .where(Child.commune_code == commune_code, Child.closed_on.is_(None),
               Child.date_of_birth > years_ago(today, age_limit()), *where))
    names: dict[tuple, tuple] = {}  # a commune's names repeat: each one parsed once
    out = []
    for row in rows:
        parsed = names.get((row[1], row[2]))
        if parsed is None:
            parsed = names[(row[1], row[2])] = parse_name(row[1], row[2])
        out.append(Facts(*row, (), *parsed))
    return out


def add_caregivers(children: dict[str, Facts]) -> None:
    """Read the caregivers' names of these children only (in bounded IN lists)."""
    ids = [uuid.UUID(key) for key in children]
    names: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for child_id, name in db.session.execute(
                select(cast(Caregiver.child_id, String), Caregiver.full_name)
                .where(Caregiver.child_id.in_(ids[start:start + 500]))):
            names[child_id].append(fold(name))
    for child_id, child in children.items():
        child.caregivers = tuple(names.get(child_id, ()))
