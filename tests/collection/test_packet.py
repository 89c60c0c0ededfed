"""GET /api/v1/packet: what a field worker's phone keeps offline — their villages, the code
lists, and the active children of their villages with restricted groups masked — first in full,
then as changes after a cursor."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Child, ChildChange, Household
from fieldapp.children.queries import years_ago
from fieldapp.collection.queries import PHONE_LISTS, decode_cursor
from fieldapp.cursors import encode_cursor
from fieldapp.db import utcnow
from tests.factories import COMMUNE_B
from tests.submissions import BORN, TODAY

PACKET = "/api/v1/packet"
RESTRICTED_NOTE = "Mẹ kể lại ở trạm y tế"
RESTRICTED = ("DB05", "DB06", "DB08", "DB09", "DB10", "DB11", "DB12", "DB13", "K01")


def download(api, since=None) -> dict:
    answer = api.get(PACKET, query_string={"since": since} if since is not None else {})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()


def text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture()
def register(db, make, add_child, officer_does, village, village2, far_village, collector):
    """In the collector's village: Thanh (restricted and open groups, support), a closed child
    and one of 16; elsewhere: a child of village2 and one of another commune."""
    officer_b = make.user(roles.COMMUNE_OFFICER, [COMMUNE_B])
    retired = make.village(name="Bản Cũ", active=False)
    collector.villages = [village, retired]
    thanh = add_child("Lò Văn Thanh", circumstances=[
        {"code": code, "note": RESTRICTED_NOTE, "since": "2024-01-01"} for code in RESTRICTED
    ] + [
        {"code": "DB01", "note": "Cha mẹ mất năm 2023", "since": "2023-05-01"},
        {"code": "DB04", "detail": {"disability_type": "KT01", "disability_level": "MD02"}},
    ], support=[{"form": "TG05", "date": "2024-02-01", "provider": "UBND xã",
                 "amount_vnd": "500.000"}])
    closed = add_child("Lò Thị Đóng")
    officer_does("close_child", closed, "moved_away", None)
    with_sixteen = add_child("Lò Văn Lớn", born=TODAY - timedelta(days=16 * 365 + 30),
                             capture_date=TODAY - timedelta(days=2 * 365))
    neighbour = add_child("Quàng Văn Pó", place=village2)
    stranger = add_child("Nguyễn Văn Xa", place=far_village, actor=officer_b)
    return {"thanh": thanh, "closed": closed, "sixteen": with_sixteen, "neighbour": neighbour,
            "stranger": stranger, "retired": retired}


def test_the_packet_holds_the_users_villages_and_their_active_children(api, register, village,
                                                                       collector):
    packet = download(api)
    assert packet["full"] is True
    assert packet["villages"] == [{"code": village.code, "name": "Bản Nà Sàng"}]
    assert packet["user"] == {"id": collector.id, "username": collector.username,
                              "full_name": collector.full_name, "role": roles.COLLABORATOR}
    assert [c["id"] for c in packet["children"]] == [str(register["thanh"].id)]
    assert {h["village"] for h in packet["households"]} == {village.code}
    assert packet["removed"] == {"children": [], "households": []}
    for name in ("Quàng Văn Pó", "Nguyễn Văn Xa", "Lò Thị Đóng", "Lò Văn Lớn"):
        assert name not in text(packet["children"])


def test_a_child_comes_with_its_version_household_and_caregivers(api, register):
    [child] = download(api)["children"]
    thanh = register["thanh"]
    assert (child["version"], child["household_id"]) == (1, str(thanh.household_id))
    assert child["child"]["full_name"] == "Lò Văn Thanh"
    assert child["child"]["date_of_birth"] == BORN.isoformat()
    assert child["child"]["village"] == thanh.village_code
    assert child["caregivers"] == [{"relation": "mother", "full_name": "Lường Thị Xuân",
                                    "personal_id": None, "phone": None}]
    # Thanh is in restricted groups: a support may be theirs, so none is sent
    # (tests/children/test_support_masking.py).
    assert child["supports"] == []


def test_restricted_groups_are_masked_for_field_staff(api, register):
    packet = download(api)
    [child] = packet["children"]
    labels = {c["code"]: c["label"] for c in packet["code_lists"]["circumstance"]}
    masked = [c for c in child["circumstances"] if c.get("masked")]
    assert len(masked) == len(RESTRICTED)
    assert all(set(c) == {"id", "since", "until", "masked"} for c in masked)
    assert {c["since"] for c in masked} == {"2024-01-01"}
    seen = text(packet["children"]) + text(packet["households"])
    for code in RESTRICTED:
        assert code not in seen and labels[code] not in seen
    assert RESTRICTED_NOTE not in seen
    visible = {c["code"]: c for c in child["circumstances"] if not c.get("masked")}
    assert set(visible) == {"DB01", "DB04"}
    assert visible["DB01"]["note"] == "Cha mẹ mất năm 2023"
    assert visible["DB04"]["detail"] == {"disability_type": "KT01", "disability_level": "MD02"}


def test_a_delta_shows_no_restricted_group_anywhere(api, register):
    cursor = download(api)["cursor"]
    delta = download(api, cursor)
    assert delta["code_lists"] is None and delta["children"]
    whole = text(delta)
    for code in RESTRICTED:
        assert code not in whole
    assert RESTRICTED_NOTE not in whole


def test_code_lists_come_with_the_first_download_and_not_with_a_delta(api, village):
    first = download(api)
    assert set(first["code_lists"]) == set(PHONE_LISTS)
    circumstances = {c["code"]: c for c in first["code_lists"]["circumstance"]}
    assert circumstances["DB05"]["restricted"] is True
    assert circumstances["DB01"]["restricted"] is False
    delta = download(api, first["cursor"])
    assert delta["full"] is False and delta["code_lists"] is None
    assert delta["villages"] == first["villages"]


@pytest.fixture()
def settled(db, register):
    """Move every change of the register an hour back, so that a fresh cursor is after them."""
    hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(Child).values(updated_at=hour_ago))
    db.session.execute(update(Household).values(updated_at=hour_ago))
    db.session.execute(update(ChildChange).values(at=hour_ago))
    db.session.expire_all()
    return register


def test_a_delta_after_a_change_returns_the_changed_child(api, settled, officer_does):
    cursor = download(api)["cursor"]
    quiet = download(api, cursor)
    assert (quiet["children"], quiet["households"]) == ([], [])
    assert quiet["removed"] == {"children": [], "households": []}
    thanh = settled["thanh"]
    officer_does("record_support", thanh, {"form": "TG01", "date": TODAY.isoformat(),
                                           "provider": "Trạm y tế", "amount_vnd": 150000})
    officer_does("record_support", settled["neighbour"], {
        "form": "TG01", "date": TODAY.isoformat(), "provider": "Trạm y tế"})
    delta = download(api, cursor)
    [child] = delta["children"]
    assert (child["id"], child["version"]) == (str(thanh.id), 2)
    assert child["supports"] == []  # restricted groups: no support is sent (see above)
    assert delta["removed"]["children"] == []


def test_a_delta_after_a_household_change_returns_the_household(api, settled, officer_does):
    cursor = download(api)["cursor"]
    household = settled["thanh"].household
    officer_does("update_household", household, {"head_name": "Lò Văn Pọm",
                                                 "address": "Tổ 5", "poverty_status": "poor"})
    [changed] = download(api, cursor)["households"]
    assert (changed["id"], changed["address"], changed["poverty_status"]) == (
        str(household.id), "Tổ 5", "poor")


def test_a_child_moved_to_another_village_is_removed_from_the_phone(api, settled, village2,
                                                                     officer_does):
    cursor = download(api)["cursor"]
    thanh = settled["thanh"]
    officer_does("update_child", thanh, {
        "child": {"full_name": thanh.full_name, "sex": thanh.sex,
                  "date_of_birth": thanh.date_of_birth, "ethnicity_code": "03",
                  "village_code": village2.code},
        "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
    delta = download(api, cursor)
    assert delta["removed"]["children"] == [str(thanh.id)]
    assert delta["children"] == []


def test_a_child_closed_after_the_cursor_is_removed_from_the_phone(api, settled, officer_does):
    cursor = download(api)["cursor"]
    officer_does("close_child", settled["thanh"], "died", None)
    delta = download(api, cursor)
    assert delta["removed"]["children"] == [str(settled["thanh"].id)]
    assert delta["children"] == []


def test_each_download_is_audited(api, db, settled, collector):
    cursor = download(api)["cursor"]
    download(api, cursor)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "packet_downloaded").order_by(AuditEntry.id)).all()
    assert [e.detail for e in entries] == [{"children": 1, "full": True},
                                           {"children": 0, "full": False}]
    assert {e.user_id for e in entries} == {collector.id}


def test_a_village_head_gets_the_packet_of_their_village(api_as, make, register, village):
    head = make.user(roles.VILLAGE_HEAD, [village])
    packet = download(api_as(head))
    assert [c["id"] for c in packet["children"]] == [str(register["thanh"].id)]


def moved_back(cursor: str, delta: timedelta) -> str:
    """The same cursor, ``delta`` earlier (as if the phone last synced then)."""
    values = decode_cursor(cursor)
    return encode_cursor({**values, "t": (values["t"] - delta).isoformat()})


def test_a_child_who_turned_sixteen_since_the_cursor_is_removed(api, db, add_child):
    turned_today = add_child("Lò Văn Mười Sáu", born=years_ago(TODAY, 16),
                             capture_date=TODAY - timedelta(days=30))
    db.session.execute(update(Child).values(updated_at=utcnow() - timedelta(days=5)))
    first = download(api)
    assert first["children"] == []  # 16 today: not in a first download
    delta = download(api, moved_back(first["cursor"], timedelta(days=3)))
    assert delta["removed"]["children"] == [str(turned_today.id)]
    assert delta["children"] == []


def test_a_child_of_sixteen_never_comes_in_a_delta(api, db, settled):
    sixteen = settled["sixteen"]
    cursor = download(api)["cursor"]
    sixteen.updated_at = utcnow()  # e.g. a correction by the officer
    db.session.flush()
    delta = download(api, cursor)
    assert str(sixteen.id) not in [c["id"] for c in delta["children"]]
    assert str(sixteen.id) in delta["removed"]["children"]


def test_changes_in_villages_the_user_never_had_are_not_sent(api, settled, officer_does,
                                                              village2):
    cursor = download(api)["cursor"]
    officer_does("record_support", settled["neighbour"], {
        "form": "TG01", "date": TODAY.isoformat(), "provider": "Trạm y tế"})
    delta = download(api, cursor)
    assert delta["removed"]["children"] == [] and delta["children"] == []
