"""argon2id password hashing (OWASP minimum: t=2, m=19 MiB, p=1) and the password rules."""

import gzip
import secrets
import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
MIN_LENGTH = 8
MIN_WORD = 4  # shorter words of a name ("Thị", "Văn", "La") are too common to refuse
COMMON_LIST = Path(__file__).parent / "data" / "common-passwords.txt.gz"
# Longest first: "to dan pho" before "to". Folded, as _fold makes them.
PLACE_KINDS = ("to dan pho", "tieu khu", "khu pho", "thanh pho", "thi tran", "dac khu",
               "thon", "ban", "xom", "lang", "buon", "plei", "soc", "khoi", "khu", "ap", "to",
               "xa", "phuong", "tinh")
# Letters and digits that cannot be mistaken for one another when read aloud or on paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and answer False."""
    global _dummy_hash
    if password_hash is None:
        _dummy_hash = _dummy_hash or HASHER.hash(secrets.token_hex(8))
        password_hash = _dummy_hash
        password = password + "\0"
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def password_problem(password: str, user) -> str | None:
    """The Vietnamese reason a new password for ``user`` is refused, or None.

    Refused: fewer than :data:`MIN_LENGTH` characters; a password of the common list
    (data/common-passwords.txt.gz); one that contains the username, the person's name (the
    whole name, or one of its words of at least :data:`MIN_WORD` letters) or the name of a
    place of the account (its villages, commune, province, without "Thôn", "Xã", "Tỉnh"…).
    Case and diacritics do not matter: "MuongLa2026" contains "Xã Mường La".
    """
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    if _fold(password) in common_passwords():
        return ("Mật khẩu này nằm trong danh sách mật khẩu hay dùng, rất dễ bị đoán. "
                "Hãy chọn mật khẩu khác.")
    bare, username = _bare(password), _bare(user.username)
    if username and username in bare:
        return "Mật khẩu không được chứa tên đăng nhập."
    if any(term in bare for term in _terms(user.full_name)):
        return "Mật khẩu không được chứa họ tên của bạn."
    for name in place_names(user):
        if any(term in bare for term in _terms(name, PLACE_KINDS)):
            return f"Mật khẩu không được chứa tên địa bàn của bạn ({name})."
    return None


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def place_names(user) -> list[str]:
    """The names of the account's places (read by code: the account may not be saved yet)."""
    names = [village.name for village in user.villages]
    if user.commune_code and (commune := db.session.get(Commune, user.commune_code)):
        names.append(commune.name)
    if user.province_code and (province := db.session.get(Province, user.province_code)):
        names.append(province.name)
    return names


def _fold(text: str) -> str:
    """Lower case, no diacritics, đ → d."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _bare(text: str) -> str:
    """Folded, letters and digits only: "Mường La" → "muongla"."""
    return "".join(ch for ch in _fold(text) if ch.isalnum())


def _terms(name: str, kinds: tuple[str, ...] = ()) -> set[str]:
    """What a password may not contain of ``name``: all of it, and its long words."""
    words = _fold(name).split()
    for kind in kinds:  # "thon 3", "xa muong la": the kind of place is not its name
        if words[:len(kind.split())] == kind.split():
            words = words[len(kind.split()):]
            break
    whole = "".join(_bare(word) for word in words)
    terms = {_bare(word) for word in words if len(_bare(word)) >= MIN_WORD}
    if len(whole) >= MIN_WORD:
        terms.add(whole)
    return terms


def one_time_password() -> str:
    """A password to hand over on paper; it must be changed at first login."""
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)
