"""nationality names as Vietnamese officials write them (issue 14, rule 6)

Migration 0002 took the names from pycountry's Vietnamese translations, old phonetic spellings
("Căm Bốt", "Ac-mê-ni"). The labels become Unicode CLDR's Vietnamese territory names, read from
Babel ("Campuchia", "Armenia", "Hàn Quốc", "Triều Tiên"); the codes stay. The order: Việt Nam,
then its land neighbours (Lào, Campuchia, Trung Quốc), then the rest in Vietnamese alphabetical
order, and "Không quốc tịch / không rõ" (XX) last, as before.

The way down writes back the names and the order 0002 made, computed as 0002 computed them.

Revision ID: 0010
Revises: 0009
"""

import gettext
import unicodedata

import pycountry
import sqlalchemy as sa
from alembic import op
from babel import Locale

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FIRST = ["VN", "LA", "KH", "CN"]  # Việt Nam, then the countries it shares a land border with
LAST = "XX"
# The Vietnamese alphabet, with the letters foreign names add (f, j, w, z) in Latin order.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng

code_item = sa.table(
    "code_item",
    sa.column("list_name", sa.String), sa.column("code", sa.String),
    sa.column("label", sa.String), sa.column("position", sa.Integer),
)


def sort_key(name: str) -> tuple:
    """Vietnamese dictionary order: word by word, by letters (ă after a, đ after d), tones
    only to break ties; a foreign letter sorts as its base letter (Å as A, ç as c)."""
    decomposed = unicodedata.normalize("NFD", name.lower())
    letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return tuple(_rank(c) for c in letters if c.isalnum() or c == " "), name


def _rank(letter: str) -> int:
    if letter == " ":
        return -1  # "A Rập" before "Afghanistan", as a dictionary has "a" before "an"
    if letter not in ALPHABET:
        base = unicodedata.normalize("NFD", letter)[0]
        return ALPHABET.index(base) if base in ALPHABET else len(ALPHABET) + ord(letter)
    return ALPHABET.index(letter)


def babel_names() -> dict[str, str]:
    return dict(Locale("vi").territories)


def pycountry_names() -> dict[str, str]:
    """The names 0002 wrote: pycountry's Vietnamese translations."""
    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"])
    return {c.alpha_2: vi.gettext(c.name) for c in pycountry.countries}


def new_order(names: dict[str, str]) -> list[str]:
    first = [code for code in FIRST if code in names]
    rest = sorted((c for c in names if c not in FIRST), key=lambda c: sort_key(names[c]))
    return first + rest


def old_order(names: dict[str, str]) -> list[str]:
    return ["VN"] + sorted((c for c in names if c != "VN"), key=lambda c: names[c].lower())


def _stored() -> dict[str, str]:
    """The stored nationalities but XX, code → label."""
    rows = op.get_bind().execute(
        sa.select(code_item.c.code, code_item.c.label)
        .where(code_item.c.list_name == "nationality", code_item.c.code != LAST))
    return dict(rows.all())


def _rewrite(source: dict[str, str], order) -> None:
    """Label every stored nationality from ``source`` (a code it lacks keeps its label) and
    number them in ``order``, XX last."""
    names = {code: source.get(code, label) for code, label in _stored().items()}
    connection = op.get_bind()
    codes = order(names)
    for position, code in enumerate(codes):
        connection.execute(code_item.update()
                           .where(code_item.c.list_name == "nationality",
                                  code_item.c.code == code)
                           .values(label=names[code], position=position))
    connection.execute(code_item.update()
                       .where(code_item.c.list_name == "nationality", code_item.c.code == LAST)
                       .values(position=len(codes)))


def upgrade():
    _rewrite(babel_names(), new_order)


def downgrade():
    _rewrite(pycountry_names(), old_order)
