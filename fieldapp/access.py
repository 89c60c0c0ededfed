"""The one way to load anything: scoped by role and place (DOMAIN §2, STYLE 5).

Out of scope answers 404 (the object does not exist for this user); a forbidden action on an
object in scope answers 403.
"""

import uuid
from collections.abc import Callable
from functools import wraps

from flask_login import current_user, login_required
from sqlalchemy import Select, Uuid, false, inspect, or_, select

from fieldapp import roles
from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import User
from fieldapp.cases.models import Case
from fieldapp.children.models import Child, ChildTransfer, Household
from fieldapp.collection.models import REPORT, Submission
from fieldapp.devices.models import Device
from fieldapp.errors import NotFound, RoleRefused
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Village
from fieldapp.verification.models import VerificationBatch

# Actions and the roles that may do them (further narrowed by scope and by `can`).
ACTIONS = {
    "villages.manage": {roles.COMMUNE_OFFICER},
    "users.manage": {roles.COMMUNE_OFFICER, roles.ADMIN},
    "audit.read": {roles.COMMUNE_OFFICER, roles.ADMIN},
    "children.read": {*roles.FIELD, roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    "children.edit": {roles.COMMUNE_OFFICER},
    # A family's request for its data (Law 91/2025): the whole record, history and viewers
    # included, which only the officer's child page shows.
    "children.export": {roles.COMMUNE_OFFICER},
    # In sổ theo dõi: a household's book on paper, every child named. Only the roles that see
    # the restricted groups (the paper shows what their screen shows); field staff print the
    # blank collection forms instead ("collect.paper").
    "households.print": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    "collect.paper": {*roles.FIELD, roles.COMMUNE_OFFICER},
    # Consent records (DOMAIN §9) on the child page: read by officer and leader.
    "children.consents": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    "collect": set(roles.FIELD),
    "collect.import": {roles.COMMUNE_OFFICER},
    "review": {roles.COMMUNE_OFFICER},
    "quality": {roles.COMMUNE_OFFICER},
    "quality.merge": {roles.COMMUNE_OFFICER},  # probable duplicates: merge or dismiss a pair
    "recheck": {roles.COMMUNE_OFFICER},  # re-check a sample (phúc tra, DOMAIN §5 step 6)
    # Police verification (DOMAIN §5 step 4): the officer sends and imports, the police record.
    "verification.read": {roles.COMMUNE_OFFICER, roles.POLICE},
    "verification.send": {roles.COMMUNE_OFFICER},
    "verification.record": {roles.POLICE},
    # The phones of the commune's field workers, and "Đã liên hệ" on one that may lose items.
    "devices": {roles.COMMUNE_OFFICER},
    # The numbers the rules in force set (age limit, review period ...): national, so the
    # administrator changes them; the commune's officer and leader read what applies.
    "settings.manage": {roles.ADMIN},
    "settings.read": {roles.ADMIN, roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    # Indicators (issue 15): the commune's for its officer and leader, the province's (never
    # a child, small restricted numbers hidden) for its viewer, everywhere for the admin.
    "reports.read": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER, roles.PROVINCE_VIEWER,
                     roles.ADMIN},
    # The commune's named lists by month or quarter (issue 15 §2), their .xlsx and print.
    "reports.lists": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    # The register list's filtered rows as an .xlsx (every page; masked as the page is).
    "children.list_export": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER},
    # Case management (Decree 56, issue 16): the commune's officer and leader, and the admin,
    # read cases (for everyone else a case does not exist: 404); the officer opens cases and
    # takes their steps; the commune chair (the leader) approves or returns the plan.
    "cases.read": {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER, roles.ADMIN},
    "cases.open": {roles.COMMUNE_OFFICER},
    "cases.step": {roles.COMMUNE_OFFICER},
    "cases.approve": {roles.COMMUNE_LEADER},
}
# Who sees the restricted circumstance groups (DOMAIN §4 *); everyone else sees "hạn chế".
RESTRICTED_READERS = {roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER}


def sees_restricted(user: User) -> bool:
    return user.role in RESTRICTED_READERS


def _register_scope(query: Select, model, user: User) -> Select:
    """Children and households: field staff by village, commune officer and leader by commune;
    nobody else reads named children (police get their own lists, province only aggregates)."""
    if user.role in roles.FIELD:
        return query.where(model.village_code.in_(user.village_codes or [""]))
    if user.role in (roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER):
        return query.where(model.commune_code == user.commune_code)
    return query.where(false())


def children(user: User) -> Select:
    return _register_scope(select(Child), Child, user)


def households(user: User) -> Select:
    return _register_scope(select(Household), Household, user)


def transfers(user: User) -> Select:
    """Transfers between communes: the officers of the sending and the receiving commune."""
    query = select(ChildTransfer)
    if user.role == roles.COMMUNE_OFFICER and user.commune_code:
        return query.where(or_(ChildTransfer.from_commune_code == user.commune_code,
                               ChildTransfer.to_commune_code == user.commune_code))
    return query.where(false())


def villages(user: User) -> Select:
    query = select(Village)
    if user.role == roles.ADMIN:
        return query
    if user.role in roles.FIELD:
        return query.where(Village.code.in_(user.village_codes or [""]))
    if user.role in roles.COMMUNE:
        return query.where(Village.commune_code == user.commune_code)
    if user.role == roles.PROVINCE_VIEWER:
        return query.join(Village.commune).where(Commune.province_code == user.province_code)
    return query.where(false())


def communes(user: User) -> Select:
    query = select(Commune)
    if user.role == roles.ADMIN:
        return query
    if user.role == roles.PROVINCE_VIEWER:
        return query.where(Commune.province_code == user.province_code)
    if user.commune_code:
        return query.where(Commune.code == user.commune_code)
    return query.where(false())


def users(user: User) -> Select:
    query = select(User)
    if user.role == roles.ADMIN:
        return query
    if user.role == roles.COMMUNE_OFFICER:
        return query.where(User.commune_code == user.commune_code)
    return query.where(User.id == user.id)


def audit_entries(user: User) -> Select:
    query = select(AuditEntry)
    if user.role == roles.ADMIN:
        return query
    if user.role == roles.COMMUNE_OFFICER:
        return query.where(AuditEntry.commune_code == user.commune_code)
    return query.where(false())


def submissions(user: User) -> Select:
    """Field submissions: the commune officer reviews those of the commune. A protection
    report is not one to review: its case is what the officer reads (``cases``)."""
    query = select(Submission)
    if user.role == roles.COMMUNE_OFFICER:
        return query.where(Submission.commune_code == user.commune_code,
                           Submission.kind != REPORT)
    return query.where(false())


def verification_batches(user: User) -> Select:
    """The commune's lists sent to the police: its officer and its police see them."""
    query = select(VerificationBatch)
    if user.role in (roles.COMMUNE_OFFICER, roles.POLICE) and user.commune_code:
        return query.where(VerificationBatch.commune_code == user.commune_code)
    return query.where(false())


def cases(user: User) -> Select:
    """Cases (Decree 56): the commune's officer and leader; the admin everywhere."""
    query = select(Case)
    if user.role == roles.ADMIN:
        return query
    if user.role in (roles.COMMUNE_OFFICER, roles.COMMUNE_LEADER) and user.commune_code:
        return query.where(Case.commune_code == user.commune_code)
    return query.where(false())


def devices(user: User) -> Select:
    """Collection devices: the commune officer sees those of the commune's field workers."""
    query = select(Device).join(User, Device.user_id == User.id)
    if user.role == roles.COMMUNE_OFFICER and user.commune_code:
        return query.where(User.commune_code == user.commune_code, User.role.in_(roles.FIELD))
    return query.where(false())


SCOPES: dict[type, Callable[[User], Select]] = {
    Village: villages,
    Commune: communes,
    User: users,
    AuditEntry: audit_entries,
    Child: children,
    Household: households,
    ChildTransfer: transfers,
    Submission: submissions,
    VerificationBatch: verification_batches,
    Device: devices,
    Case: cases,
}


def get_or_404(model: type, key, user: User):
    """Load one object by primary key if ``user`` may see it, else raise :class:`NotFound`."""
    pk = inspect(model).primary_key[0]
    if isinstance(pk.type, Uuid) and not isinstance(key, uuid.UUID):
        try:
            key = uuid.UUID(str(key))
        except ValueError:
            raise NotFound("Không tìm thấy hoặc bạn không có quyền xem.") from None
    query = SCOPES[model](user).where(pk == key)
    obj = db.session.scalars(query).first()
    if obj is None:
        raise NotFound("Không tìm thấy hoặc bạn không có quyền xem.")
    return obj


def can(user: User, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (on ``obj``, already loaded through its scope)?"""
    if user.role not in ACTIONS.get(action, ()):
        return False
    if action == "users.manage" and user.role == roles.COMMUNE_OFFICER and obj is not None:
        # A commune officer manages the field accounts of the commune, not colleagues.
        return obj.role in roles.FIELD
    return True


def require(user: User, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise RoleRefused("Bạn không có quyền thực hiện thao tác này.")


def action_required(action: str):
    """View decorator: logged in, and the role may do ``action`` (else 403)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require(current_user, action)
            return view(*args, **kwargs)

        return wrapped

    return decorate
