"""What the object of an audit entry is, in words a person understands (issue 14 §4): "Hộ gia
đình Lò Văn Pọm, Bản Nà Sàng", "Phiếu thu thập của Lò Thị Hoa (ctv2), 06/12/2026", "Danh sách
cần xác thực số 3, ngày 01/12/2026" instead of ``household`` and a UUID.

A shared module above the features, since the audit log (the lowest feature) must not import
those it names. Objects of the register (children, households) are named only for a reader
who may open them, through ``access``; the others name accounts, places, numbers and dates,
never a child or a circumstance. An object that cannot be named (out of the reader's scope,
or gone) still reads as a short phrase, never as a UUID; a type this module does not know
shows its id only when it is a code rather than a UUID.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldapp import access, people
from fieldapp.audit.services import OBJECT_LABELS
from fieldapp.children.models import ChildTransfer, Household
from fieldapp.clock import shown
from fieldapp.collection.models import Submission
from fieldapp.devices.models import Device
from fieldapp.extensions import db
from fieldapp.places.models import Commune, Province, Village
from fieldapp.quality.models import RecheckSample
from fieldapp.settings.services import BY_KEY as SETTINGS
from fieldapp.verification.models import VerificationBatch

UNSEEN = "(không xem được)"


@dataclass(frozen=True)
class Named:
    """An object as the page shows it: its kind ("Hộ gia đình", as the log's filter says),
    the words that name this one, and where it opens (when the reader may)."""

    kind: str
    text: str = ""
    href: str | None = None


def named(reader, entries) -> dict[tuple[str, str], Named]:
    """What each entry's object is called, by ``(object_type, object_id)``; entries without
    an object type are left out. Reads each type's objects at once."""
    ids: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.object_type:
            ids[e.object_type].add(e.object_id or "")
    out = {}
    for kind, keys in ids.items():
        word = OBJECT_LABELS.get(kind, kind)
        found = NAMERS[kind](reader, keys - {""}) if kind in NAMERS else {}
        for key in keys:
            text, href = found.get(key) or (_unnamed(key), None)
            out[(kind, key)] = Named(word, text, href)
    return out


def _unnamed(key: str) -> str:
    """A short phrase for what cannot be named: nothing for an entry about no object (a list
    viewed), "cannot be shown" for one out of reach or gone, never a UUID; a code (a
    village's) says something, so it stays."""
    if not key:
        return ""
    return UNSEEN if _is_uuid(key) else key


Found = tuple[str, str | None]  # a namer's answer: the words, and the link or None


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _uuids(keys) -> dict[uuid.UUID, str]:
    return {uuid.UUID(k): k for k in keys if _is_uuid(k)}


def _link(reader, action: str, endpoint: str, **values) -> str | None:
    return url_for(endpoint, **values) if access.can(reader, action) else None


def _users(reader, keys) -> dict[str, Found]:
    names = people.people(int(k) for k in keys if k.isdigit())
    return {str(key): (name, None) for key, name in names.items()}


def _children(reader, keys) -> dict[str, Found]:
    return {key: (name, url_for("children.detail", child_id=key))
            for key, name in people.children(reader, keys).items()}


def _households(reader, keys) -> dict[str, Found]:
    ids = _uuids(keys)
    rows = db.session.scalars(access.households(reader).where(Household.id.in_(ids))
                              .options(joinedload(Household.village)))
    return {ids[h.id]: (f"{h.head_name}, {h.village.name}",
                        _link(reader, "children.edit", "households.detail", household_id=h.id))
            for h in rows}


def _villages(reader, keys) -> dict[str, Found]:
    rows = db.session.scalars(select(Village).where(Village.code.in_(keys)))
    return {v.code: (f"{v.name} · mã {v.code}", None) for v in rows}


def _submissions(reader, keys) -> dict[str, Found]:
    ids = _uuids(keys)
    rows = list(db.session.execute(  # the columns named, not the submission's content
        select(Submission.id, Submission.user_id, Submission.captured_at)
        .where(Submission.id.in_(ids))))
    authors = people.people(s.user_id for s in rows)
    return {ids[s.id]: (f"của {authors.get(s.user_id, '?')}, {_day(s.captured_at)}",
                        _link(reader, "review", "review.show", submission_id=s.id))
            for s in rows}


def _batches(reader, keys) -> dict[str, Found]:
    ids = _uuids(keys)
    rows = db.session.scalars(select(VerificationBatch).where(VerificationBatch.id.in_(ids)))
    return {ids[b.id]: (f"số {b.number}, ngày {_day(b.created_at)}",
                        _link(reader, "verification.read", "verification.show", batch_id=b.id))
            for b in rows}


def _samples(reader, keys) -> dict[str, Found]:
    ids = _uuids(keys)
    rows = list(db.session.scalars(select(RecheckSample).where(RecheckSample.id.in_(ids))))
    villages = dict(db.session.execute(select(Village.code, Village.name).where(
        Village.code.in_({s.village_code for s in rows if s.village_code}))).all())
    return {ids[s.id]: (f"{s.size} hồ sơ, {villages.get(s.village_code, 'cả xã')}, "
                        f"ngày {_day(s.created_at)}",
                        _link(reader, "recheck", "recheck.show", sample_id=s.id))
            for s in rows}


def _devices(reader, keys) -> dict[str, Found]:
    ids = _uuids(keys)
    rows = list(db.session.execute(select(Device.id, Device.user_id, Device.user_agent)
                                   .where(Device.id.in_(ids))))
    owners = people.people(d.user_id for d in rows)
    return {ids[d.id]: (f"của {owners.get(d.user_id, '?')}"
                        + (f" ({d.user_agent})" if d.user_agent else ""),
                        _link(reader, "devices", "devices.index"))
            for d in rows}


def _transfers(reader, keys) -> dict[str, Found]:
    """"từ Xã A đến Xã B, ngày …": the communes and the day, never the child (the log of
    either commune shows it; the child is named on the child's own entries)."""
    ids = _uuids(keys)
    rows = list(db.session.execute(
        select(ChildTransfer.id, ChildTransfer.from_commune_code, ChildTransfer.to_commune_code,
               ChildTransfer.requested_at).where(ChildTransfer.id.in_(ids))))
    communes = dict(db.session.execute(select(Commune.code, Commune.name).where(
        Commune.code.in_({c for r in rows for c in (r.from_commune_code, r.to_commune_code)})
    )).all())
    return {ids[r.id]: (f"từ {communes.get(r.from_commune_code, '?')} đến "
                        f"{communes.get(r.to_commune_code, '?')}, ngày {_day(r.requested_at)}",
                        None)
            for r in rows}


def _settings(reader, keys) -> dict[str, Found]:
    return {key: (SETTINGS[key].label, _link(reader, "settings.read", "settings.index"))
            for key in keys if key in SETTINGS}


def _reports(reader, keys) -> dict[str, Found]:
    """A report is named by its place (a commune or a province), never by a child."""
    names = dict(db.session.execute(select(Commune.code, Commune.name).where(
        Commune.code.in_(keys))).all())
    names.update(db.session.execute(select(Province.code, Province.name).where(
        Province.code.in_(keys))).all())
    return {key: (f"của {names[key]}", _link(reader, "reports.read", "reports.index"))
            for key in keys if key in names}


def _day(moment: datetime | None) -> str:
    """Vietnam's day of a stored time, as every page writes it (``shown``'s first 10)."""
    return shown(moment)[:10] if moment else "—"


NAMERS: dict[str, Callable[..., dict[str, Found]]] = {
    "user": _users, "child": _children, "household": _households, "village": _villages,
    "submission": _submissions, "verification_batch": _batches,
    "recheck_sample": _samples, "device": _devices, "child_transfer": _transfers,
    "setting": _settings, "report": _reports,
}
