"""Consent records (DOMAIN §9, issue 14 §2.3): who consented to what, and when.

A consent names the child, who gave (or refused) it — a guardian, the father, the mother, or
the child itself (``consent_person``) — by name, what for (``consent_purpose``: sharing
information with an agency or organisation that helps, referral to a service, use of
pictures, or another purpose said in words), the day, and who recorded it. It is never
deleted: it is withdrawn on a day. The rules:

- the child's own consent is recorded only from age 7 (completed years on the day given);
- the day is neither before birth nor in the future; a withdrawal neither before the day
  given nor in the future;
- for a child of 7 or more, a **disclosure** purpose (:data:`DISCLOSURES`: every purpose but
  "khác") consented to by an adult but not by the child is named by :func:`missing`, which the
  child page shows.

Written through ``children.services`` (``record_consent``, ``withdraw_consent``), audited
(``consent_recorded``, ``consent_withdrawn``); the child's history (its versions) does not
change, since a consent is about the record, not a field of it.
"""

from datetime import date

from sqlalchemy import select

from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children._changes import OFFICER_EDIT, writable
from fieldapp.children.models import Child, Consent
from fieldapp.children.validators import Result, clean_text, parse_date, validate_name
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db

PERSON_LIST, PURPOSE_LIST = "consent_person", "consent_purpose"
CHILD = "child"  # the child itself, as the consenting person
OTHER_PURPOSE = "DY04"  # khác: said in words (purpose_other)
DISCLOSURES = frozenset({"DY01", "DY02", "DY03"})  # purposes that disclose the child's data
CHILD_FROM_AGE = 7
TOO_YOUNG = (f"Trẻ dưới {CHILD_FROM_AGE} tuổi chưa tự đồng ý được: ghi sự đồng ý của cha, "
             "mẹ hoặc người giám hộ.")


def age_on(born: date, on: date) -> int:
    """Completed years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def of_child(child: Child) -> list[Consent]:
    """The child's consents, the newest day first."""
    return list(db.session.scalars(
        select(Consent).where(Consent.child_id == child.id)
        .order_by(Consent.given_on.desc(), Consent.recorded_at.desc())))


def is_active(consent: Consent) -> bool:
    return consent.given and consent.withdrawn_on is None


def missing(child: Child, consents: list[Consent], on: date | None = None) -> list[str]:
    """The disclosure purposes (their labels) a child of 7 or more has an adult's active
    consent for but not its own; empty for a younger child."""
    on = on or date.today()
    if age_on(child.date_of_birth, on) < CHILD_FROM_AGE:
        return []
    active = [c for c in consents if is_active(c) and c.purpose in DISCLOSURES]
    own = {c.purpose for c in active if c.person == CHILD}
    wanted = [c.purpose for c in active if c.person != CHILD and c.purpose not in own]
    return [catalogue.label(PURPOSE_LIST, code) for code in dict.fromkeys(wanted)]


def _given(value) -> bool | None:
    return {"yes": True, "no": False, True: True, False: False}.get(value)


def record_consent(actor, child: Child, data: dict, *, today: date | None = None) -> Consent:
    """Record one consent (or refusal). ``data``: ``person``, ``person_name``, ``purpose``,
    ``purpose_other`` (with ``DY04``), ``given`` (``"yes"``/``"no"``), ``given_on``
    (``YYYY-MM-DD``), ``note``. Errors are keyed by those names."""
    writable(actor, child, OFFICER_EDIT)
    today = today or date.today()
    result = Result()
    person = clean_text(data.get("person")) or None
    if person is None:
        result.error("person", "Người đồng ý: vui lòng chọn.")
    elif not catalogue.exists(PERSON_LIST, person):
        result.error("person", f"Người đồng ý: mã {person} không có trong danh mục.")
    name = validate_name(data.get("person_name"), "person_name", "Họ tên người đồng ý", result)
    purpose = clean_text(data.get("purpose")) or None
    if purpose is None:
        result.error("purpose", "Đồng ý việc gì: vui lòng chọn.")
    elif not catalogue.exists(PURPOSE_LIST, purpose):
        result.error("purpose", f"Đồng ý việc gì: mã {purpose} không có trong danh mục.")
    other = clean_text(data.get("purpose_other"))
    if purpose == OTHER_PURPOSE and not other:
        result.error("purpose_other", "Việc khác: vui lòng ghi rõ.")
    elif len(other) > 200:
        result.error("purpose_other", "Việc khác dài quá 200 ký tự.")
    given = _given(data.get("given"))
    if given is None:
        result.error("given", "Đồng ý hay từ chối: vui lòng chọn.")
    on = parse_date(data.get("given_on"))
    if on is None:
        result.error("given_on", "Ngày: vui lòng nhập ngày hợp lệ.")
    elif on > today or on < child.date_of_birth:
        result.error("given_on", "Ngày phải từ ngày sinh của trẻ đến hôm nay.")
    elif person == CHILD and age_on(child.date_of_birth, on) < CHILD_FROM_AGE:
        result.error("person", TOO_YOUNG)
    note = clean_text(data.get("note"))
    if len(note) > 500:
        result.error("note", "Ghi chú dài quá 500 ký tự.")
    if result.errors:
        raise ValidationFailed("Chưa ghi được sự đồng ý.", result.errors)
    consent = Consent(child_id=child.id, person=person, person_name=name, purpose=purpose,
                      purpose_other=other if purpose == OTHER_PURPOSE else "", given=given,
                      given_on=on, note=note, recorded_by_id=getattr(actor, "id", None))
    db.session.add(consent)
    db.session.flush()
    audit(actor, "consent_recorded", "child", child.id, commune_code=child.commune_code,
          detail={"consent": str(consent.id), "person": person, "purpose": purpose,
                  "given": given})
    return consent


def withdraw_consent(actor, consent: Consent, on: date | None, *,
                     today: date | None = None) -> None:
    """Withdraw a consent on ``on`` (today by default); it stays, with that day."""
    child = consent.child
    writable(actor, child, OFFICER_EDIT)
    today = today or date.today()
    on = on or today
    if consent.withdrawn_on is not None:
        raise ValidationFailed("Sự đồng ý này đã được rút lại.",
                               {"withdrawn_on": ["Sự đồng ý này đã được rút lại."]})
    if not consent.given:
        raise ValidationFailed("Đây là một lời từ chối, không có gì để rút lại.",
                               {"withdrawn_on": ["Đây là một lời từ chối."]})
    if on > today or on < consent.given_on:
        raise ValidationFailed("Ngày rút lại phải từ ngày đồng ý đến hôm nay.",
                               {"withdrawn_on": ["Ngày rút lại phải từ ngày đồng ý đến hôm nay."]})
    consent.withdrawn_on, consent.withdrawn_by_id = on, getattr(actor, "id", None)
    db.session.flush()
    audit(actor, "consent_withdrawn", "child", child.id, commune_code=child.commune_code,
          detail={"consent": str(consent.id), "withdrawn_on": on.isoformat()})
