"""The communes' data health on the province's dashboard (issue 15 §3): how far each commune's
register can be trusted today, in four figures, each one grouped SQL aggregate over the whole
province (never a loop over its communes, villages or children):

- **synced**: of the commune's villages in use, those heard from in the last 30 days — a
  submission from the village was received, or a phone of a user assigned to the village
  (its collaborator or head) last reported or sent a batch (``device.last_seen_at``);
- **overdue**: submissions still waiting for the officer's review (state ``received``,
  "Chờ duyệt") that arrived more than 7 days ago;
- **verified**: of the active children (not closed, under the age limit), those with an
  identity number that the police verified or corrected (a ``verification_item``);
- **reviewed**: of the open special-circumstance memberships (DB…) of active children, those
  whose last confirmation — or, never confirmed, whose start — lies within the review period
  (setting ``review_months``), as the periodic review (``children.periodic``) records it.

The figures are about now, not the report's day: they say whether today's register is kept.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select

from fieldapp.auth.models import user_village
from fieldapp.children.models import Child, Circumstance
from fieldapp.children.queries import years_ago
from fieldapp.children.validators import age_limit
from fieldapp.collection.models import Submission
from fieldapp.devices.models import Device
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Village
from fieldapp.quality.queries import review_cutoff
from fieldapp.reports.frame import VERIFIED
from fieldapp.review.queries import OVERDUE  # the inbox's "chờ quá 7 ngày"
from fieldapp.verification.models import VerificationItem

SYNC_WINDOW = timedelta(days=30)
WAITING = "received"  # collection.models.STATES: "Chờ duyệt"


@dataclass(frozen=True)
class CommuneHealth:
    code: str
    name: str
    villages: int = 0
    synced: int = 0
    overdue: int = 0
    children: int = 0
    verified: int = 0
    memberships: int = 0
    reviewed: int = 0

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def synced_share(self):
        return self.share(self.synced, self.villages)

    @property
    def verified_share(self):
        return self.share(self.verified, self.children)

    @property
    def reviewed_share(self):
        return self.share(self.reviewed, self.memberships)


def _count(condition):
    return func.count(case((condition, 1)))


def _villages(province: str, since: datetime):
    heard = or_(
        exists().where(Submission.village_code == Village.code,
                       Submission.received_at >= since),
        exists().where(user_village.c.village_code == Village.code,
                       Device.user_id == user_village.c.user_id,
                       Device.last_seen_at >= since))
    return (select(Village.commune_code, func.count().label("villages"),
                   _count(heard).label("synced"))
            .join(Commune, Commune.code == Village.commune_code)
            .where(Commune.province_code == province, Village.active)
            .group_by(Village.commune_code))


def _overdue(province: str, before: datetime):
    return (select(Submission.commune_code, func.count().label("overdue"))
            .join(Commune, Commune.code == Submission.commune_code)
            .where(Commune.province_code == province, Submission.state == WAITING,
                   Submission.received_at < before)
            .group_by(Submission.commune_code))


def _active(province: str, today: date):
    return and_(Child.province_code == province, Child.closed_on.is_(None),
                Child.merged_into_id.is_(None),
                Child.date_of_birth > years_ago(today, age_limit()))


def _children(province: str, today: date):
    checked = and_(Child.personal_id.is_not(None), func.trim(Child.personal_id) != "",
                   exists().where(VerificationItem.child_id == Child.id,
                                  VerificationItem.outcome.in_(VERIFIED)))
    return (select(Child.commune_code, func.count().label("children"),
                   _count(checked).label("verified"))
            .where(_active(province, today)).group_by(Child.commune_code))


def _memberships(province: str, today: date):
    cutoff = review_cutoff(today)  # the periodic review's own (quality's "cần rà soát")
    c = Circumstance
    reviewed = func.coalesce(c.confirmed_on, c.since) >= cutoff
    return (select(Child.commune_code, func.count().label("memberships"),
                   _count(reviewed).label("reviewed"))
            .join(Child, Child.id == c.child_id)
            .where(_active(province, today), c.code.like("DB%"), c.since <= today,
                   or_(c.until.is_(None), c.until >= today))
            .group_by(Child.commune_code))


def health(province: str, today: date, now: datetime) -> list[CommuneHealth]:
    """One row per commune of ``province`` that has a village in use or an active child, by
    name: its data health on ``today`` (Vietnam) at ``now`` (UTC, naive as stored)."""
    figures: dict[str, dict] = {}
    for query in (_villages(province, now - SYNC_WINDOW), _overdue(province, now - OVERDUE),
                  _children(province, today), _memberships(province, today)):
        for row in db.session.execute(query).mappings():
            values = dict(row)
            figures.setdefault(values.pop("commune_code"), {}).update(values)
    names = dict(db.session.execute(
        select(Commune.code, Commune.name).where(Commune.code.in_(list(figures)))).all())
    rows = [CommuneHealth(code, names.get(code, code), **values)
            for code, values in figures.items()]
    return sorted(rows, key=lambda r: (r.name, r.code))
