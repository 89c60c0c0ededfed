"""The officer's cleaning lists (DOMAIN §5 step 3 and the periodic review of step 5).

Each list is the commune's active children (not closed, under 16) that a rule picks out. SQL
does the picking, so a list or a count never walks every child of the commune in Python; the
reasons shown beside each child are then worded in Python (``reasons``), for the rows listed.
The SQL conditions and the Python reasons follow the same rules (tests hold them together).
"""

from datetime import date

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    not_,
    or_,
)
from sqlalchemy.orm import joinedload, selectinload

from fieldapp import access
from fieldapp.catalogue import services as catalogue
from fieldapp.children.models import (
    ONGOING_SUPPORT,
    Caregiver,
    Child,
    Circumstance,
    SupportRecord,
)
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import CENTURY_SEX, NO_CAREGIVER_NEEDED, OLD_PROVINCES, age_limit
from fieldapp.extensions import db
from fieldapp.quality.reasons import (
    FOLLOWS_HOUSEHOLD,
    NAME_JUNK,
    REVIEWED_BLOCKS,
    UNKNOWN_ETHNICITY,
    basic_reasons,
    id_reasons,
    review_cutoff,
    review_reasons,
)

LISTS = {
    "without-id": "Trẻ em chưa có số định danh cá nhân",
    "wrong-id": "Số định danh cá nhân sai",
    "missing-basic": "Thông tin cơ bản thiếu hoặc bất thường",
    "needs-review": "Hoàn cảnh, trợ giúp cần rà soát định kỳ",
}


def _active(query: Select, today: date) -> Select:
    return query.where(Child.closed_on.is_(None),
                       Child.date_of_birth > years_ago(today, age_limit()))


def _in_scope(user, village_code: str | None, today: date) -> Select:
    query = _active(access.children(user), today)
    if village_code:
        query = query.where(Child.village_code == village_code)
    return query


def _loaded(query: Select) -> Select:
    return query.options(selectinload(Child.caregivers), joinedload(Child.village),
                         selectinload(Child.circumstances), selectinload(Child.support)
                         ).order_by(Child.village_code, Child.name_key, Child.id)


def _strip(expr, chars: str):
    for ch in chars:
        expr = func.replace(expr, ch, "")
    return expr


def _open(today: date):
    return or_(Circumstance.until.is_(None), Circumstance.until >= today)


# --- without an ID number ----------------------------------------------------------------

def without_id_rule() -> ColumnElement:
    return or_(Child.personal_id.is_(None), func.trim(Child.personal_id) == "")


def without_id(user, village_code: str | None = None, today: date | None = None) -> Select:
    """The active children in scope with no personal ID number, ordered by village and name."""
    today = today or date.today()
    return _loaded(_in_scope(user, village_code, today).where(without_id_rule()))


# --- a wrong ID number -------------------------------------------------------------------

def _birth_year():
    return cast(func.extract("year", Child.date_of_birth), Integer)


def wrong_id_rule() -> ColumnElement:
    """A number that :func:`check_personal_id` would refuse or flag (DOMAIN §7)."""
    pid = Child.personal_id
    year = _birth_year()
    digit4 = func.substr(pid, 4, 1)
    sex_digit_ok = or_(*[
        and_(year >= century, year < century + 100, digit4 == digit,
             or_(Child.sex == sex, Child.sex.not_in(("1", "2"))))
        for (century, sex), digit in CENTURY_SEX.items()
    ])
    two = year % 100
    year_digits = case((two < 10, "0" + cast(two, String)), else_=cast(two, String))
    return and_(
        pid.is_not(None), func.trim(pid) != "",
        or_(func.length(pid) != 12,
            _strip(pid, "0123456789") != "",
            func.substr(pid, 1, 3).not_in(sorted(OLD_PROVINCES)),
            not_(sex_digit_ok),
            func.substr(pid, 5, 2) != year_digits),
    )


def wrong_id(user, village_code: str | None = None,
             today: date | None = None) -> list[tuple[Child, list[str]]]:
    """The active children in scope whose number fails DOMAIN §7, each with the reasons."""
    today = today or date.today()
    query = _loaded(_in_scope(user, village_code, today).where(wrong_id_rule()))
    rows = [(child, id_reasons(child)) for child in db.session.scalars(query)]
    return [(child, reasons) for child, reasons in rows if reasons]


# --- basic data missing or implausible ---------------------------------------------------

def _name_rules():
    name = func.trim(func.coalesce(Child.full_name, ""))
    missing = name == ""
    junk = or_(*[Child.full_name.contains(ch, autoescape=True) for ch in NAME_JUNK])
    one_word = and_(not_(missing), not_(name.contains(" ")))
    return missing, one_word, junk


def _caregiver_rule(today: date):
    return and_(
        ~exists().where(Caregiver.child_id == Child.id,
                        func.trim(func.coalesce(Caregiver.full_name, "")) != ""),
        ~exists().where(Circumstance.child_id == Child.id,
                        Circumstance.code.in_(sorted(NO_CAREGIVER_NEEDED)), _open(today)),
    )


def missing_basic_rule(today: date) -> ColumnElement:
    missing, one_word, junk = _name_rules()
    return or_(
        missing, one_word, junk,
        Child.date_of_birth.is_(None), Child.date_of_birth > today,
        Child.date_of_birth <= years_ago(today, age_limit()),
        Child.sex.is_(None), Child.sex.not_in(("1", "2")),
        Child.ethnicity_code.is_(None), Child.ethnicity_code == UNKNOWN_ETHNICITY,
        ~Child.ethnicity_code.in_([c.code for c in catalogue.items("ethnicity")] or [""]),
        _caregiver_rule(today),
    )


def missing_basic(user, village_code: str | None = None,
                  today: date | None = None) -> list[tuple[Child, list[str]]]:
    """The active children in scope with basic data missing or implausible, with reasons.

    "Over 16" is kept among the rules for the reasons' sake, but an active child is under 16,
    so in this list it never fires: over-age records leave the active lists on the birthday.
    """
    today = today or date.today()
    query = _loaded(_in_scope(user, village_code, today).where(missing_basic_rule(today)))
    rows = [(child, basic_reasons(child, today)) for child in db.session.scalars(query)]
    return [(child, reasons) for child, reasons in rows if reasons]


# --- groups and ongoing support nobody confirmed lately ----------------------------------

def _stale_membership(today: date, cutoff: date):
    code = Circumstance.code
    return and_(Circumstance.child_id == Child.id,
                or_(*[code.like(f"{block}%") for block in REVIEWED_BLOCKS]),
                code != FOLLOWS_HOUSEHOLD, _open(today),
                func.coalesce(Circumstance.confirmed_on, Circumstance.since) < cutoff)


def _stale_support(today: date, cutoff: date):
    return and_(SupportRecord.child_id == Child.id,
                SupportRecord.form.in_(ONGOING_SUPPORT),
                or_(SupportRecord.until.is_(None), SupportRecord.until >= today),
                func.coalesce(SupportRecord.confirmed_on, SupportRecord.given_on) < cutoff)


def needs_review_rule(today: date) -> ColumnElement:
    """An open DB, NC (not NC02) or K membership, or an open ongoing support (TG05, TG06),
    not confirmed within the review period (the setting ``review_months``)."""
    cutoff = review_cutoff(today)
    return or_(exists().where(_stale_membership(today, cutoff)),
               exists().where(_stale_support(today, cutoff)))


def needs_review(user, village_code: str | None = None,
                 today: date | None = None) -> list[tuple[Child, list[str]]]:
    """Active children in scope with an open group membership (DB, NC but NC02, K) or ongoing
    support nobody confirmed within the review period ("cần rà soát"), by village, each with
    what is due. (A reader who may not see a child's restricted group sees no support of
    that child: such a child is listed for its groups, masked, only.)"""
    today = today or date.today()
    query = _loaded(_in_scope(user, village_code, today).where(needs_review_rule(today)))
    rows = [(child, review_reasons(child, user, today)) for child in db.session.scalars(query)]
    return [(child, reasons) for child, reasons in rows if reasons]


# --- counts ------------------------------------------------------------------------------

def rules(today: date) -> dict[str, ColumnElement]:
    return {"without-id": without_id_rule(), "wrong-id": wrong_id_rule(),
            "missing-basic": missing_basic_rule(today),
            "needs-review": needs_review_rule(today)}


def counts(user, today: date | None = None) -> dict[str, dict[str, int]]:
    """How many children each list holds, per village code, in one query."""
    today = today or date.today()
    columns = [func.count(case((rule, 1))).label(name.replace("-", "_"))
               for name, rule in rules(today).items()]
    query = (_in_scope(user, None, today)
             .with_only_columns(Child.village_code, *columns)
             .group_by(Child.village_code))
    result: dict[str, dict[str, int]] = {name: {} for name in LISTS}
    for row in db.session.execute(query):
        for name in LISTS:
            value = getattr(row, name.replace("-", "_"))
            if value:
                result[name][row.village_code] = value
    return result


def totals(user, today: date | None = None) -> dict[str, int]:
    """Each list's size for the whole scope (the officer's home)."""
    return {name: sum(per_village.values())
            for name, per_village in counts(user, today).items()}
