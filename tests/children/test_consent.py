"""Consent records (issue 14 §2.3, DOMAIN §9, fieldapp/children/consents.py): who consented
to what and when, the child itself from age 7; the child page's "Sự đồng ý" for officer and
leader, added and withdrawn by the officer, audited, and part of the child's export."""

import json
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.children import consents
from fieldapp.children.models import Consent
from fieldapp.errors import ValidationFailed
from tests.children.pages import TODAY, error_of, form_values

DISCLOSE = "Chia sẻ thông tin với cơ quan, tổ chức hỗ trợ"


def aged(years: int, days: int = 30) -> date:
    """A birth date ``years`` (and ``days``) ago."""
    return date(TODAY.year - years, TODAY.month, 1) - timedelta(days=days)


def valid(**changes) -> dict:
    return {"person": "guardian", "person_name": "Lường Thị Xuân", "purpose": "DY01",
            "purpose_other": "", "given": "yes", "given_on": TODAY.isoformat(), "note": "",
            **changes}


RULES = [  # (id, years of the child, changes, the fields refused)
    ("guardian", 5, {}, []),
    ("mother-refuses", 5, {"person": "mother", "given": "no"}, []),
    ("child-of-8", 8, {"person": "child", "person_name": "Lò Văn Thanh"}, []),
    ("child-of-6", 6, {"person": "child", "person_name": "Lò Văn Thanh"}, ["person"]),
    ("child-then-6-now-8", 8, {"person": "child", "person_name": "Lò Văn Thanh",
                               "given_on": (TODAY - timedelta(days=2 * 366)).isoformat()},
     ["person"]),
    ("no-person", 8, {"person": ""}, ["person"]),
    ("unknown-person", 8, {"person": "uncle"}, ["person"]),
    ("no-name", 8, {"person_name": " "}, ["person_name"]),
    ("name-with-digits", 8, {"person_name": "Xuân 2"}, ["person_name"]),
    ("no-purpose", 8, {"purpose": None}, ["purpose"]),
    ("unknown-purpose", 8, {"purpose": "DY99"}, ["purpose"]),
    ("other-needs-words", 8, {"purpose": "DY04"}, ["purpose_other"]),
    ("other-with-words", 8, {"purpose": "DY04", "purpose_other": "Tham gia câu lạc bộ"}, []),
    ("given-not-said", 8, {"given": ""}, ["given"]),
    ("no-date", 8, {"given_on": ""}, ["given_on"]),
    ("date-garbage", 8, {"given_on": "01/02/2025"}, ["given_on"]),
    ("date-in-future", 8, {"given_on": (TODAY + timedelta(days=1)).isoformat()}, ["given_on"]),
    ("date-before-birth", 8, {"given_on": (aged(8) - timedelta(days=1)).isoformat()},
     ["given_on"]),
    ("long-note", 8, {"note": "x" * 501}, ["note"]),
]


@pytest.mark.parametrize(("years", "changes", "refused"), [r[1:] for r in RULES],
                         ids=[r[0] for r in RULES])
def test_consent_rules(db, officer_does, add_child, years, changes, refused):
    child = add_child(born=aged(years))
    if not refused:
        consent = officer_does("record_consent", child, valid(**changes))
        assert consent.given == (changes.get("given", "yes") == "yes")
        assert db.session.scalars(select(Consent)).all() == [consent]
        return
    with pytest.raises(ValidationFailed) as failed:
        officer_does("record_consent", child, valid(**changes))
    assert sorted(failed.value.errors) == refused
    assert db.session.scalars(select(Consent)).all() == []
    if changes.get("person") == "child":
        assert failed.value.errors["person"] == [consents.TOO_YOUNG]


def _consent(child, person="guardian", purpose="DY01", given=True, withdrawn=None):
    return Consent(child_id=child.id, person=person, person_name="Lường Thị Xuân",
                   purpose=purpose, purpose_other="", given=given, given_on=TODAY, note="",
                   withdrawn_on=withdrawn)


MISSING = [  # (id, years, consents as (person, purpose, given, withdrawn), missing)
    ("nothing-recorded", 8, [], []),
    ("guardian-shares", 8, [("guardian", "DY01", True, None)], [DISCLOSE]),
    ("both-share", 8, [("guardian", "DY01", True, None), ("child", "DY01", True, None)], []),
    ("child-for-another-purpose", 8, [("mother", "DY03", True, None),
                                      ("child", "DY01", True, None)], ["Sử dụng hình ảnh"]),
    ("under-7", 6, [("guardian", "DY01", True, None)], []),
    ("other-purpose-is-no-disclosure", 8, [("guardian", "DY04", True, None)], []),
    ("refused", 8, [("guardian", "DY01", False, None)], []),
    ("withdrawn", 8, [("guardian", "DY01", True, TODAY)], []),
    ("child-withdrew", 8, [("guardian", "DY02", True, None), ("child", "DY02", True, TODAY)],
     ["Chuyển tuyến, chuyển gửi dịch vụ"]),
]


@pytest.mark.parametrize(("years", "rows", "expected"), [m[1:] for m in MISSING],
                         ids=[m[0] for m in MISSING])
def test_missing_child_consent(ctx, add_child, years, rows, expected):
    child = add_child(born=aged(years))
    recorded = [_consent(child, *row) for row in rows]
    assert consents.missing(child, recorded) == expected


def _page(client, child) -> str:
    return client.get(f"/children/{child.id}").get_data(as_text=True)


def _audits(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_officer_adds_and_withdraws_on_the_child_page(client, db, login, officer, add_child):
    child = add_child(born=aged(9))
    login(officer)
    page = _page(client, child)
    assert "Sự đồng ý" in page and "Chưa ghi sự đồng ý nào." in page
    values = form_values(page, "add-consent")
    values.update({"consent-person": "guardian", "consent-person_name": "Lường Thị Xuân",
                   "consent-purpose": "DY01", "consent-given": "yes",
                   "consent-given_on": (TODAY - timedelta(days=3)).isoformat()})
    assert client.post(f"/children/{child.id}/consents", data=values).status_code == 302
    page = _page(client, child)
    assert "Người giám hộ</strong>: Lường Thị Xuân" in page and DISCLOSE in page
    assert f"Đồng ý</span> ngày {TODAY - timedelta(days=3):%d/%m/%Y}" in page
    assert 'id="consent-missing"' in page  # 9 years old: the child's own consent is missing
    [entry] = _audits(db, "consent_recorded")
    assert (entry.user_id, entry.object_id) == (officer.id, str(child.id))
    assert entry.detail["purpose"] == "DY01" and "Lường" not in json.dumps(entry.detail)
    db.session.refresh(child)
    assert child.version == 1  # the record's fields did not change

    consent = db.session.scalars(select(Consent)).one()
    action = f"/children/{child.id}/consents/{consent.id}/withdraw"
    token = re.search(r'name="withdraw-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(action, data={"withdraw-csrf_token": token,
                                     "withdraw-withdrawn_on": TODAY.isoformat()}
                       ).status_code == 302
    db.session.refresh(consent)
    assert consent.withdrawn_on == TODAY and consent.withdrawn_by_id == officer.id
    page = _page(client, child)
    assert f"Đã rút lại ngày {TODAY:%d/%m/%Y}" in page and action not in page
    assert 'id="consent-missing"' not in page
    assert len(_audits(db, "consent_withdrawn")) == 1
    again = client.post(action, data={"withdraw-csrf_token": token}, follow_redirects=True)
    assert "Sự đồng ý này đã được rút lại." in again.get_data(as_text=True)
    assert len(_audits(db, "consent_withdrawn")) == 1


def test_a_refused_form_shows_each_message_next_to_its_field(client, db, login, officer,
                                                             add_child):
    child = add_child(born=aged(5))
    login(officer)
    values = form_values(_page(client, child), "add-consent")
    values.update({"consent-person": "child", "consent-person_name": "Lò Văn Thanh",
                   "consent-purpose": "DY04", "consent-given": "yes",
                   "consent-given_on": TODAY.isoformat()})
    refused = client.post(f"/children/{child.id}/consents", data=values)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert error_of(html, "consent-person") == consents.TOO_YOUNG
    assert error_of(html, "consent-purpose_other") == "Việc khác: vui lòng ghi rõ."
    assert db.session.scalars(select(Consent)).all() == []


@pytest.mark.parametrize(("role", "sees", "adds"), [
    (roles.COMMUNE_OFFICER, True, True),
    (roles.COMMUNE_LEADER, True, False),
    (roles.COLLABORATOR, False, False),
    (roles.VILLAGE_HEAD, False, False),
])
def test_who_sees_the_consents(client, db, login, make, village, officer_does, add_child,
                               role, sees, adds):
    child = add_child(born=aged(9))
    officer_does("record_consent", child, valid())
    user = make.user(role, [village] if role in roles.FIELD else None)
    login(user)
    page = _page(client, child)
    assert ("Lường Thị Xuân" in page and 'id="consents"' in page) == sees
    assert ('id="add-consent"' in page) == adds
    if not adds:
        answer = client.post(f"/children/{child.id}/consents", data=valid())
        assert answer.status_code in (400, 403)


def test_police_and_another_commune_do_not_reach_them(client, db, login, relogin, make,
                                                      far_officer, officer_does, add_child):
    child = add_child(born=aged(9))
    officer_does("record_consent", child, valid())
    login(make.user(roles.POLICE))
    assert client.get(f"/children/{child.id}").status_code == 403
    relogin(far_officer)
    assert client.get(f"/children/{child.id}").status_code == 404


def test_the_export_holds_the_consents(client, db, login, officer, officer_does, add_child):
    child = add_child(born=aged(9))
    kept = officer_does("record_consent", child, valid(given_on=(
        TODAY - timedelta(days=9)).isoformat()))
    officer_does("record_consent", child, valid(person="child", person_name="Lò Văn Thanh",
                                                purpose="DY03", given="no"))
    officer_does("withdraw_consent", kept, TODAY)
    login(officer)
    doc = client.get(f"/children/{child.id}/ho-so.json").get_json()
    assert [(c["person"], c["purpose_label"], c["given"], c["withdrawn_on"])
            for c in doc["consents"]] == [
        ("child", "Sử dụng hình ảnh", False, None),
        ("guardian", DISCLOSE, True, TODAY.isoformat())]
    assert officer.username in doc["consents"][1]["recorded_by"]
    pdf = client.get(f"/children/{child.id}/ho-so.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)
    assert "Sự đồng ý" in text and "Sử dụng hình ảnh" in text and "Từ chối" in text
