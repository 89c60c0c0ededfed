"""How alike two children of the register are: a score (0–100) and its reasons, for the
probable duplicates (``quality.matcher``).

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
"""


from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from fieldapp.children.models import Child
from fieldapp.children.search import fold

PROBABLE = 80
LIGHT = frozenset({"văn", "thị", "a"})  # "A" of Hmông boys (Giàng A Páo)
LIGHT_MIDDLE = frozenset({"hữu", "đức", "đình", "công", "quang", "ngọc", "minh"})
_MARKED = {word: kind for kind, words in ((1, LIGHT), (2, LIGHT_MIDDLE)) for word in words}
_BARE = {fold(word): kind for word, kind in _MARKED.items()}  # typed without diacritics
LIGHT_COST, WORD_COST, SPELLING = 4, 20, 2.5
CAREGIVER_NAME = 90


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
        if not isinstance(self.born, date):  # read as text (see _read)
            self.born = date.fromisoformat(self.born)
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
    elif "3" in (a.sex, b.sex):
        points += 2
    else:
        points -= 20
        reasons.append("Khác giới tính")
    if a.village_code == b.village_code:
        points += 5
        reasons.append("Cùng thôn/bản")
    else:
        reasons.append("Khác thôn/bản")
    if a.household_id is not None and a.household_id == b.household_id:
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
