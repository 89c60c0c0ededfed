"""Support records around the masking (DOMAIN §4, §9): a role that may not see the restricted
groups sees no support note (free text can name what the masking hides) and no support of a
child who is or was in a restricted group, on the child page, in the packet and on the
printed re-check list; the commune officer and leader see everything."""

import json

import pytest

from fieldapp import roles
from tests.children.pages import days_ago
from tests.conftest import csrf_token

SECRET = "hỗ trợ vụ xâm hại tình dục"
PLAIN_NOTE = "Nhận tại nhà văn hóa"
HIDDEN_PROVIDER = "Trung tâm Công tác xã hội tỉnh"
THERAPY = "Tư vấn, trị liệu tâm lý"  # TG06's label: a hint beside a masked group


@pytest.fixture()
def children(add_child):
    """An: a DB12 child with therapy and a note saying why; Bình: school support, a note."""
    an = add_child("Lò Văn An", circumstances=[{"code": "DB12", "since": days_ago(90)}],
                   support=[{"form": "TG06", "date": days_ago(60), "provider": HIDDEN_PROVIDER,
                             "note": SECRET}])
    binh = add_child("Cầm Thị Bình", sex="2", support=[
        {"form": "TG02", "date": days_ago(30), "provider": "Trường tiểu học Nà Sàng",
         "amount_vnd": "300000", "note": PLAIN_NOTE}])
    return an, binh


def _hides(text: str) -> bool:
    return all(s not in text for s in (SECRET, HIDDEN_PROVIDER, THERAPY, "TG06", PLAIN_NOTE))


@pytest.mark.parametrize("role", [roles.VILLAGE_HEAD, roles.COLLABORATOR])
def test_field_staff_see_no_note_and_no_support_of_a_restricted_child(client, make, login,
                                                                       children, village, role):
    an, binh = children
    login(make.user(role, [village]))
    pages = [client.get(f"/children/{c.id}").get_data(as_text=True) for c in children]
    assert "Chưa có trợ giúp nào được ghi." in pages[0]
    assert "Trường tiểu học Nà Sàng" in pages[1] and "300.000 đồng" in pages[1]
    assert _hides(pages[0] + pages[1])
    packet = client.get("/api/v1/packet")
    assert packet.status_code == 200
    seen = {c["id"]: c["supports"] for c in packet.get_json()["children"]}
    assert seen[str(an.id)] == []
    [support] = seen[str(binh.id)]
    assert (support["code"], support["provider"], support["note"]) == (
        "TG02", "Trường tiểu học Nà Sàng", "")
    assert _hides(json.dumps(packet.get_json()["children"], ensure_ascii=False))


@pytest.mark.parametrize("role", [roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER])
def test_the_commune_officer_and_leader_see_all_of_it(client, make, login, children, role):
    login(make.user(role))
    pages = "".join(client.get(f"/children/{c.id}").get_data(as_text=True) for c in children)
    assert all(s in pages for s in (SECRET, HIDDEN_PROVIDER, THERAPY, PLAIN_NOTE))


def test_the_printed_recheck_list_shows_support_as_for_anyone(client, login, officer, children):
    login(officer)
    answer = client.post("/quality/recheck", data={
        "csrf_token": csrf_token(client, "/quality/recheck"), "village": "", "how": "number",
        "amount": "2", "seed": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Lò Văn An" in page and "Trợ giúp giáo dục" in page  # Bình's TG02
    assert _hides(page)
