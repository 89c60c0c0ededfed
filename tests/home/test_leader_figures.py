"""The commune leader's home (issue 15 §3): the commune's key figures today, each a link to
its place in the report; other roles' homes do not compute them."""

import pytest

from fieldapp import roles


def figures(client) -> str:
    page = client.get("/").get_data(as_text=True)
    if 'id="figures"' not in page:
        return ""
    return page.split('id="figures"', 1)[1].split("</section>", 1)[0]


def test_the_leader_sees_the_commune_s_key_figures(client, login, make, officer, village,
                                                   village2):
    make.child(officer, village, "Lò Văn Một", circumstances=[{"code": "DB01"}])
    make.child(officer, village2, "Lò Thị Hai", sex="2")
    make.child(officer, village2, "Lò Văn Ba", personal_id="014219001234")
    login(make.user(roles.COMMUNE_LEADER))
    shown = figures(client)
    assert 'href="/reports#child_population">Tổng số trẻ em: <strong>3</strong></a>' in shown
    assert "Trẻ em có hoàn cảnh đặc biệt: <strong>1</strong> (33,3%)" in shown
    assert "Trẻ em có hoàn cảnh đặc biệt chưa được trợ giúp: <strong>1</strong> (100,0%)" \
        in shown
    assert "Trẻ em có số định danh cá nhân: <strong>1</strong> (33,3%)" in shown
    assert "Xem báo cáo đầy đủ" in shown


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.POLICE])
def test_other_commune_roles_do_not_get_the_figures(client, login, make, role):
    login(make.user(role))
    assert figures(client) == ""
