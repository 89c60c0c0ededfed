"""Managing accounts: the commune officer for field staff of the commune, admin for all."""

import re

from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.services import record
from fieldapp.auth import sessions, tokens
from fieldapp.auth.models import User
from fieldapp.auth.passwords import hash_password, one_time_password, password_problem
from fieldapp.auth.services import find_user
from fieldapp.errors import Forbidden, ValidationFailed
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province, Village

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")


def roles_for(actor: User | None) -> tuple[str, ...]:
    """The roles ``actor`` may give (``None`` is the command line: all of them)."""
    if actor is None or actor.role == roles.ADMIN:
        return roles.ALL
    if actor.role == roles.COMMUNE_OFFICER:
        return roles.FIELD
    return ()


def create_user(
    actor: User | None,
    *,
    username: str,
    role: str,
    places: list[str],
    full_name: str = "",
    password: str | None = None,
    address: str | None = None,
) -> tuple[User, str]:
    """Create an account; return it with its password.

    Without ``password`` a one-time password is made, to be changed at first login.
    """
    username = (username or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not USERNAME.match(username):
        errors["username"] = [
            "Tên đăng nhập gồm 3–50 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang."
        ]
    elif find_user(username) is not None:
        errors["username"] = ["Tên đăng nhập này đã có người dùng."]
    if role not in roles.ALL:
        errors["role"] = ["Vai trò không hợp lệ."]
    elif role not in roles_for(actor):
        raise Forbidden("Bạn không được tạo tài khoản có vai trò này.")
    user = User(username=username, full_name=(full_name or "").strip(), role=role)
    if "role" not in errors:
        _assign_places(actor, user, places, errors)
    if password is not None and (problem := password_problem(password, user)):
        errors["password"] = [problem]
    if errors:
        raise ValidationFailed("Thông tin tài khoản chưa hợp lệ.", errors)
    secret = password or new_one_time_password(user)
    user.password_hash = hash_password(secret)
    user.must_change_password = password is None
    db.session.add(user)
    db.session.flush()
    record(
        actor, "user_created", "user", user.id, commune_code=user.commune_code,
        address=address, detail={"role": role, "places": sorted(places)},
    )
    return user, secret


def update_user(actor: User, user: User, *, full_name: str, places: list[str], address=None):
    """Change the name and places of an account (its role stays)."""
    errors: dict[str, list[str]] = {}
    _assign_places(actor, user, places, errors)
    if errors:
        raise ValidationFailed("Thông tin tài khoản chưa hợp lệ.", errors)
    user.full_name = (full_name or "").strip()
    record(actor, "user_updated", "user", user.id, commune_code=user.commune_code,
           address=address, detail={"places": sorted(places)})


def reset_password(actor: User, user: User, address: str | None = None) -> str:
    """Give a new one-time password; the account's sessions end and its tokens are revoked."""
    secret = new_one_time_password(user)
    user.password_hash = hash_password(secret)
    user.must_change_password = True
    sessions.end_all_sessions(user)
    count = tokens.revoke_all(actor, user, "password_reset")
    record(actor, "user_password_reset", "user", user.id, commune_code=user.commune_code,
           address=address, detail={"tokens": count})
    return secret


def set_active(actor: User, user: User, active: bool, address: str | None = None) -> None:
    """Deactivate (sessions end and tokens are revoked at once) or reactivate an account.

    Reactivating brings back neither: each device signs in again.
    """
    if user.id == actor.id:
        raise Forbidden("Bạn không thể tự khóa tài khoản của mình.")
    user.active = active
    detail = None
    if not active:
        sessions.end_all_sessions(user)
        detail = {"tokens": tokens.revoke_all(actor, user, "deactivated")}
    action = "user_reactivated" if active else "user_deactivated"
    record(actor, action, "user", user.id, commune_code=user.commune_code, address=address,
           detail=detail)


def new_one_time_password(user: User) -> str:
    """A one-time password that also meets the rules (a random one nearly always does)."""
    while password_problem(secret := one_time_password(), user):
        pass
    return secret


def _assign_places(actor, user: User, codes: list[str], errors: dict) -> None:
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    kind = roles.place_kind(user.role)
    user.province_code = user.commune_code = None
    user.villages = []
    if kind is None:
        if codes:
            errors["places"] = ["Quản trị hệ thống không gắn với địa bàn."]
        return
    if kind == "village":
        _assign_villages(actor, user, codes, errors)
    elif len(codes) != 1:
        errors["places"] = ["Chọn đúng một địa bàn cho vai trò này."]
    elif kind == "commune":
        commune = db.session.get(Commune, codes[0])
        if commune is None:
            errors["places"] = [f"Không có xã mã {codes[0]}."]
        else:
            user.commune_code, user.province_code = commune.code, commune.province_code
    else:
        if db.session.get(Province, codes[0]) is None:
            errors["places"] = [f"Không có tỉnh mã {codes[0]}."]
        else:
            user.province_code = codes[0]


def _assign_villages(actor, user: User, codes: list[str], errors: dict) -> None:
    found = list(db.session.scalars(select(Village).where(Village.code.in_(codes))))
    missing = sorted(set(codes) - {v.code for v in found})
    communes = {v.commune_code for v in found}
    if not codes:
        errors["places"] = ["Chọn ít nhất một thôn/bản."]
    elif missing:
        errors["places"] = ["Không có thôn/bản mã " + ", ".join(missing) + "."]
    elif user.role == roles.VILLAGE_HEAD and len(found) != 1:
        errors["places"] = ["Trưởng thôn chỉ phụ trách một thôn/bản."]
    elif len(communes) != 1:
        errors["places"] = ["Các thôn/bản phải thuộc cùng một xã."]
    elif actor is not None and actor.role == roles.COMMUNE_OFFICER and (
        communes != {actor.commune_code}
    ):
        errors["places"] = ["Chỉ chọn thôn/bản của xã mình."]
    elif any(not v.active for v in found):
        errors["places"] = ["Thôn/bản đã ngừng sử dụng."]
    else:
        user.villages = found
        user.commune_code = found[0].commune_code
        user.province_code = found[0].commune.province_code
