"""argon2id password hashing (OWASP minimum: t=2, m=19 MiB, p=1) and the password rules."""

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
MIN_LENGTH = 8
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


def password_problem(password: str, username: str) -> str | None:
    """The Vietnamese reason a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    if password.strip().lower() == username.strip().lower():
        return "Mật khẩu không được trùng tên đăng nhập."
    return None


def one_time_password() -> str:
    """A password to hand over on paper; it must be changed at first login."""
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)
