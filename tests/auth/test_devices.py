"""Devices: the owner sees and revokes their tokens; "mất máy" revokes every token and ends
every other session; the commune officer does it for the field staff of the commune only."""

from sqlalchemy import select

from fieldapp import roles
from fieldapp.auth import tokens
from fieldapp.auth.models import ApiToken
from tests.conftest import csrf_token
from tests.factories import COMMUNE_B


def _token(app, user, name="Điện thoại Redmi"):
    with app.test_request_context():
        token, secret = tokens.issue(user, name)
    return token, secret


def _post(client, path: str, page: str):
    return client.post(path, data={"csrf_token": csrf_token(client, page)})


def test_the_owner_sees_and_revokes_a_device(client, app, db, login, collector):
    token, secret = _token(app, collector)
    login(collector)
    html = client.get("/account/devices").get_data(as_text=True)
    assert "Điện thoại Redmi" in html and "Đang dùng" in html and secret not in html
    answer = _post(client, f"/account/devices/{token.id}/revoke", "/account/devices")
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/session", headers=bearer).status_code == 401


def test_lost_phone_revokes_every_token_and_other_sessions(client, app, db, login, sign_in,
                                                           collector):
    _token(app, collector, "Máy 1")
    _token(app, collector, "Máy 2")
    other, _ = sign_in(collector.username, "test-pass-2026")  # the lost phone's browser
    login(collector)
    _post(client, "/account/devices/lost", "/account/devices")
    db.session.expire_all()
    live = db.session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all()
    assert live == []
    assert other.get("/").status_code == 302  # the lost phone is logged out
    assert client.get("/").status_code == 200  # this session goes on


def test_the_officer_handles_a_lost_phone_of_the_communes_collector(client, app, db, make,
                                                                    login, officer, collector):
    token, _ = _token(app, collector)
    login(officer)
    page = f"/accounts/{collector.id}"
    assert "Điện thoại Redmi" in client.get(page).get_data(as_text=True)
    assert _post(client, f"{page}/lost-phone", page).status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert db.session.get(ApiToken, token.id).revoked_by_id == officer.id


def test_an_officer_of_another_commune_cannot_touch_the_devices(client, app, make, login,
                                                                collector):
    token, _ = _token(app, collector)
    login(make.user(roles.COMMUNE_OFFICER, [COMMUNE_B]))
    page = "/accounts/"
    assert _post(client, f"/accounts/{collector.id}/lost-phone", page).status_code == 404
    assert _post(client, f"/accounts/{collector.id}/devices/{token.id}/revoke",
                 page).status_code == 404


def test_a_collaborator_cannot_revoke_someone_elses_device(client, app, make, login, village,
                                                           collector):
    token, _ = _token(app, make.user(roles.COLLABORATOR, [village]))
    login(collector)
    answer = _post(client, f"/account/devices/{token.id}/revoke", "/account/devices")
    assert answer.status_code == 404
