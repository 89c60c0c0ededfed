"""Admin manages every account; other roles have no account pages."""

import pytest

from fieldapp import roles
from tests.auth.accounts import assert_audited, user_named
from tests.factories import COMMUNE_B


@pytest.fixture()
def admin(make, login):
    admin = make.user(roles.ADMIN)
    login(admin)
    return admin


def test_admin_sees_the_accounts_of_every_commune(client, make, admin):
    make.user(roles.COLLABORATOR, username="ctv.muongla")
    make.user(roles.COMMUNE_OFFICER, [COMMUNE_B], username="canbo.tammy")
    page = client.get("/accounts/").get_data(as_text=True)
    assert ">ctv.muongla</a>" in page and ">canbo.tammy</a>" in page


@pytest.mark.parametrize(
    ("role", "code", "commune", "province"),
    [
        (roles.COMMUNE_OFFICER, COMMUNE_B, COMMUNE_B, "48"),
        (roles.PROVINCE_VIEWER, "48", None, "48"),
    ],
)
def test_admin_creates_office_accounts(db, admin, post, role, code, commune, province):
    answer = post("/accounts/new", {"username": "nguoi.moi", "role": role, "place_codes": code})
    assert answer.status_code == 200
    user = user_named(db, "nguoi.moi")
    assert (user.role, user.commune_code, user.province_code) == (role, commune, province)
    assert_audited(db, "user_created", user, admin)


@pytest.mark.parametrize(
    ("role", "code", "message"),
    [
        (roles.COMMUNE_OFFICER, "99999", "Không có xã mã 99999."),
        (roles.PROVINCE_VIEWER, "99", "Không có tỉnh mã 99."),
        (roles.COLLABORATOR, "03808-999", "Không có thôn/bản mã 03808-999."),
        (roles.POLICE, "", "Chọn đúng một địa bàn cho vai trò này."),
    ],
)
def test_unknown_place_codes_are_refused(db, admin, post, role, code, message):
    answer = post("/accounts/new", {"username": "nguoi.sai", "role": role, "place_codes": code})
    assert answer.status_code == 422
    assert f'id="place_codes-error">{message}' in answer.get_data(as_text=True)
    assert user_named(db, "nguoi.sai") is None


@pytest.mark.parametrize(
    "role",
    [roles.COLLABORATOR, roles.VILLAGE_HEAD, roles.POLICE, roles.COMMUNE_LEADER,
     roles.PROVINCE_VIEWER],
)
def test_other_roles_have_no_account_pages(client, make, login, role):
    login(make.user(role))
    assert client.get("/accounts/").status_code == 403
    assert client.get("/accounts/new").status_code == 403
