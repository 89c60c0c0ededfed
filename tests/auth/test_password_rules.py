"""The rules of a new password: 8 characters, not a common one, and not the account's username,
name or places (case and diacritics aside); each refusal says why, in Vietnamese."""

import pytest

from fieldapp import roles
from fieldapp.auth.accounts import create_user, new_one_time_password
from fieldapp.auth.passwords import common_passwords, password_problem
from fieldapp.demo import ACCOUNTS, DEMO_PASSWORD
from fieldapp.errors import ValidationFailed
from tests.auth.test_password import change
from tests.factories import PASSWORD

COMMON = ("Mật khẩu này nằm trong danh sách mật khẩu hay dùng, rất dễ bị đoán. "
          "Hãy chọn mật khẩu khác.")
USERNAME = "Mật khẩu không được chứa tên đăng nhập."
NAME = "Mật khẩu không được chứa họ tên của bạn."
SHORT = "Mật khẩu phải có ít nhất 8 ký tự."


def place(name: str) -> str:
    return f"Mật khẩu không được chứa tên địa bàn của bạn ({name})."


@pytest.fixture()
def lan(make):
    """ctv.lan of "Bản Nà Sàng" (Xã Mường La, Tỉnh Sơn La), named Lường Thị Thương."""
    user = make.user(roles.COLLABORATOR, [make.village(name="Bản Nà Sàng")], username="ctv.lan")
    user.full_name = "Lường Thị Thương"
    return user


@pytest.mark.parametrize(("password", "message"), [
    ("12345678", COMMON), ("password", COMMON), ("aaaaaaaa", COMMON), ("PassWord", COMMON),
    ("qwertyuiop", COMMON), ("Iloveyou", COMMON),
    ("ctv.lan-2026", USERNAME), ("CTVLAN99", USERNAME),
    ("luongthithuong", NAME), ("Thương-2026", NAME), ("THUONG2026", NAME),
    ("nasang2026", place("Bản Nà Sàng")), ("Nà Sàng 1234", place("Bản Nà Sàng")),
    ("muong-la-2026", place("Xã Mường La")), ("MuongLa2026", place("Xã Mường La")),
    ("sonla12345", place("Sơn La")),
    ("ngan-7c", SHORT),
    ("thi-2026-ab", None), ("lan-mua-2026", None), ("ban-xa-tinh-9", None),
    (PASSWORD, None), ("mat-khau-moi-2026", None), ("Gà gáy lúc 7 giờ", None),
])
def test_rules(db, lan, password, message):
    assert password_problem(password, lan) == message


def test_the_common_list_is_shipped_and_large():
    common = common_passwords()
    assert len(common) >= 10_000 and {"123456", "password", "iloveyou"} <= common


def test_the_demo_and_test_passwords_pass_for_their_accounts(db, make):
    for username, _role, _places, full_name in ACCOUNTS:
        user = make.user(roles.COMMUNE_OFFICER, username=username)
        user.full_name = full_name
        assert password_problem(DEMO_PASSWORD, user) is None, username
        assert password_problem(PASSWORD, user) is None, username


def test_own_change_refuses_a_common_password_next_to_the_field(client, make, login):
    login(make.user(roles.COLLABORATOR))
    page = change(client, PASSWORD, "password", "password").get_data(as_text=True)
    assert f'<p class="error" id="new_password-error">{COMMON}</p>' in page


def test_a_first_login_change_refuses_the_place_name(client, make, login):
    user = make.user(roles.COLLABORATOR, [make.village(name="Bản Huổi Sâu")], must_change=True)
    login(user)
    answer = change(client, PASSWORD, "HuoiSau-2026", "HuoiSau-2026")
    assert answer.status_code == 422
    assert place("Bản Huổi Sâu") in answer.get_data(as_text=True)


def test_an_account_made_with_a_password_follows_the_rules(db, make):
    village = make.village(name="Bản Pá Múa")
    with pytest.raises(ValidationFailed) as refused:
        create_user(None, username="ctv.moi", role=roles.COLLABORATOR, places=[village.code],
                    full_name="Cầm Văn Páo", password="PaMua2026")
    assert refused.value.errors == {"password": [place("Bản Pá Múa")]}
    with pytest.raises(ValidationFailed) as refused:
        create_user(None, username="ctv.moi", role=roles.COLLABORATOR, places=[village.code],
                    password="iloveyou")
    assert refused.value.errors == {"password": [COMMON]}


def test_one_time_passwords_follow_the_rules(db, lan):
    for _ in range(20):
        assert password_problem(new_one_time_password(lan), lan) is None
