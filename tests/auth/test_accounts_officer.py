"""The commune officer manages the field accounts of the commune, and only those."""

import re

import pytest

from fieldapp import roles
from tests.auth.accounts import NEW_PASSWORD, assert_audited, one_time_password, user_named
from tests.factories import COMMUNE_B


def test_the_list_shows_the_accounts_of_the_commune_only(client, make, login, officer):
    make.user(roles.COLLABORATOR, username="ctv.muongla")
    make.user(roles.COLLABORATOR, [make.village(COMMUNE_B)], username="ctv.tammy")
    login(officer)
    page = client.get("/accounts/").get_data(as_text=True)
    assert ">ctv.muongla</a>" in page and f">{officer.username}</a>" in page
    assert "ctv.tammy" not in page


def test_a_new_collaborator_gets_a_one_time_password_and_must_change_it(
    client, db, make, login, officer, post, sign_in
):
    codes = [make.village().code, make.village().code]
    login(officer)
    answer = post("/accounts/new", {"username": "ctv.moi", "full_name": "Lò Văn Mới",
                                    "role": roles.COLLABORATOR, "village_codes": codes})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    secret = one_time_password(answer)
    user = user_named(db, "ctv.moi")
    assert user.village_codes == set(codes) and user.must_change_password
    assert secret not in client.get(f"/accounts/{user.id}").get_data(as_text=True)
    assert_audited(db, "user_created", user, officer)

    newcomer, _ = sign_in("ctv.moi", secret)
    assert newcomer.get("/").headers["Location"] == "/account/password"
    answer = post("/account/password", {"current_password": secret, "new_password": NEW_PASSWORD,
                                        "confirm_password": NEW_PASSWORD}, on=newcomer)
    assert answer.headers["Location"] == "/"
    assert newcomer.get("/").status_code == 200


def test_the_role_list_offers_field_roles_only(client, login, officer):
    login(officer)
    page = client.get("/accounts/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    assert re.findall(r'value="([^"]+)"', select) == [roles.COLLABORATOR, roles.VILLAGE_HEAD]


@pytest.mark.parametrize("role", [roles.POLICE, roles.COMMUNE_OFFICER])
def test_an_office_role_is_forbidden(db, make, login, officer, post, role):
    village = make.village()
    login(officer)
    answer = post("/accounts/new", {"username": "ca.moi", "role": role,
                                    "village_codes": [village.code]})
    assert answer.status_code == 403
    assert user_named(db, "ca.moi") is None


@pytest.mark.parametrize(
    ("role", "villages", "field", "message"),
    [
        (roles.COLLABORATOR, ["other"], "village_codes", "Chỉ chọn thôn/bản của xã mình."),
        (roles.VILLAGE_HEAD, ["own", "own"], "village_codes",
         "Trưởng thôn chỉ phụ trách một thôn/bản."),
        (roles.COLLABORATOR, [], "village_codes", "Chọn ít nhất một thôn/bản."),
        ("boss", ["own"], "role", "Vai trò không hợp lệ."),
    ],
)
def test_wrong_choices_are_refused_next_to_the_field(
    db, make, login, officer, post, role, villages, field, message
):
    pick = {"own": lambda: make.village(), "other": lambda: make.village(COMMUNE_B)}
    codes = [pick[kind]().code for kind in villages]
    login(officer)
    answer = post("/accounts/new", {"username": "ctv.sai", "role": role, "village_codes": codes})
    assert answer.status_code == 422
    assert f'id="{field}-error">{message}' in answer.get_data(as_text=True)
    assert user_named(db, "ctv.sai") is None


def test_a_username_in_use_is_refused(make, login, officer, post):
    make.user(roles.COLLABORATOR, [make.village(COMMUNE_B)], username="ctv.trung")
    village = make.village()
    login(officer)
    answer = post("/accounts/new", {"username": "CTV.Trung", "role": roles.COLLABORATOR,
                                    "village_codes": [village.code]})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="username-error">Tên đăng nhập này đã có người dùng.' in page


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "/reset"), ("post", "/active")]
)
def test_an_account_of_another_commune_does_not_exist(
    client, db, make, login, officer, post, method, suffix
):
    other = make.user(roles.COLLABORATOR, [make.village(COMMUNE_B)])
    login(officer)
    path = f"/accounts/{other.id}{suffix}"
    answer = client.get(path) if method == "get" else post(path, {}, page="/accounts/")
    assert answer.status_code == 404
    db.session.refresh(other)  # requests use their own session
    assert other.active and not other.must_change_password


@pytest.mark.parametrize("suffix", ["/reset", "/active"])
def test_a_colleague_of_the_commune_is_not_managed(
    client, db, make, login, officer, post, suffix
):
    leader = make.user(roles.COMMUNE_LEADER)
    login(officer)
    page = client.get(f"/accounts/{leader.id}").get_data(as_text=True)
    assert "Cấp lại mật khẩu" not in page
    answer = post(f"/accounts/{leader.id}{suffix}", {}, page="/accounts/")
    assert answer.status_code == 403
    db.session.refresh(leader)
    assert leader.active and not leader.must_change_password
