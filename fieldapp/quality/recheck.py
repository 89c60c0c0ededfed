"""Re-check (phúc tra, DOMAIN §5 step 6): a random sample of a village's or the commune's
active records, what the reviewer found for each, and the wrong ones sent back to the
village's collectors as "Cần sửa" items on their phones.

The draw is reproducible: the population (the active records of the place, ordered by child
id) and the seed are all it depends on, so ``random.Random(seed).sample`` over the same
population gives the same children in the same order. Once records are added, closed or
turn 16, the population is another one and so is the draw; the sample keeps its size.
"""

import math
import random
import secrets
import uuid
from datetime import date, datetime

from sqlalchemy import case, func, select, update

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.children import queries as register
from fieldapp.children import record as child_record
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission
from fieldapp.db import utcnow
from fieldapp.errors import Conflict, NotFound, ValidationFailed
from fieldapp.extensions import db
from fieldapp.quality.models import RECHECK_OUTCOMES, RecheckItem, RecheckSample
from fieldapp.quality.recheck_return import send_back

ACTION = "recheck"
# What a reviewer may find wrong, by snapshot path (the phone's and the review's names).
WRONG_FIELDS = {
    **{path: child_record.heading(path) for path in (
        "child.full_name", "child.date_of_birth", "child.sex", "child.ethnicity_code",
        "child.personal_id", "child.nationality", "child.village", "child.address",
        "child.current_residence", "child.schooling_status")},
    "household": child_record.label("household.id"),
    **child_record.ROWS,
}
HOW = {"number": "Số hồ sơ", "percent": "Tỷ lệ phần trăm"}
SEED_LIMIT = 64
NOTE_LIMIT = 1000
GONE = "Không tìm thấy hoặc bạn không có quyền xem."


class AlreadyRecorded(Conflict):
    code = "recorded"


def read_amount(text) -> int:
    """The number typed in the form, or a Vietnamese field error."""
    try:
        return int(str(text or "").strip())
    except ValueError:
        raise ValidationFailed("Số lượng chưa hợp lệ.", {
            "amount": ["Nhập một số nguyên, ví dụ 10."]}) from None


def sample_size(population: int, how: str, amount: int) -> tuple[int, int | None]:
    """How many records to draw from ``population``, and the percentage asked if any.

    A percentage is rounded up (5% of 30 is 2), so a sample is never empty; a number above
    the population draws every record.
    """
    if population < 1:
        raise ValidationFailed("Không có hồ sơ nào đang quản lý để phúc tra.", {
            "village": ["Thôn/bản (hoặc xã) này chưa có hồ sơ trẻ em đang quản lý."]})
    if how not in HOW:
        raise ValidationFailed("Chọn cách lấy mẫu.", {
            "how": ["Chọn theo số hồ sơ hoặc theo tỷ lệ phần trăm."]})
    if amount < 1:
        raise ValidationFailed("Số lượng chưa hợp lệ.", {"amount": ["Phải lớn hơn 0."]})
    if how == "number":
        return min(amount, population), None
    if amount > 100:
        raise ValidationFailed("Tỷ lệ chưa hợp lệ.", {"amount": ["Tỷ lệ tối đa là 100%."]})
    return min(population, math.ceil(population * amount / 100)), amount


def choose(ids: list, size: int, seed: str) -> list:
    """The drawn ids: the same seed and the same ids (in any order) give the same draw."""
    return random.Random(seed).sample(sorted(ids), size)


def _seed(text: str | None) -> str:
    seed = "".join((text or "").split())
    if not seed:
        return secrets.token_hex(8)
    if len(seed) > SEED_LIMIT or not seed.isprintable():
        raise ValidationFailed("Mã mẫu chưa hợp lệ.", {
            "seed": [f"Tối đa {SEED_LIMIT} ký tự, không có khoảng trắng."]})
    return seed


def population(actor, village=None, today: date | None = None) -> list:
    """The active records (open, under 16) of ``village`` or of the actor's commune:
    rows of id, version and village, ordered by child id."""
    f = register.Filters(village=village.code if village is not None else "")
    query = register.filtered(actor, f, today or date.today())
    query = query.with_only_columns(Child.id, Child.version, Child.village_code)
    return list(db.session.execute(query.order_by(Child.id)))


def draw_sample(actor, village=None, how: str = "number", amount: int = 0,
                seed: str | None = None, today: date | None = None) -> RecheckSample:
    """Draw a sample of ``village`` (``None``: the whole commune) and keep it with its seed,
    its population size and, per record, the version, village and collector re-checked."""
    access.require(actor, ACTION)
    if village is not None and village.commune_code != actor.commune_code:
        raise NotFound(GONE)
    seed = _seed(seed)
    rows = population(actor, village, today)
    size, percent = sample_size(len(rows), how, amount)
    by_id = {row.id: row for row in rows}
    chosen = choose(list(by_id), size, seed)
    collectors = last_collectors(chosen)
    sample = RecheckSample(
        commune_code=actor.commune_code, village_code=village.code if village else None,
        size=size, percent=percent, seed=seed, population=len(rows), created_by_id=actor.id)
    sample.items = [
        RecheckItem(position=n, child_id=key, child_version=by_id[key].version,
                    village_code=by_id[key].village_code, collector_id=collectors.get(key))
        for n, key in enumerate(chosen, start=1)]
    db.session.add(sample)
    db.session.flush()
    audit(actor, "recheck_drawn", "recheck_sample", sample.id, commune_code=sample.commune_code,
          detail={"village": sample.village_code, "size": size, "percent": percent,
                  "population": len(rows), "seed": seed})
    return sample


def last_collectors(child_ids: list) -> dict:
    """For each child, the field user whose submission about it was approved last."""
    if not child_ids:
        return {}
    query = (select(Submission.child_id, Submission.user_id)
             .where(Submission.child_id.in_(child_ids), Submission.state == "approved")
             .order_by(Submission.decided_at, Submission.received_at, Submission.id))
    return {row.child_id: row.user_id for row in db.session.execute(query)}


def get_sample(actor, key) -> RecheckSample:
    """A sample of the actor's commune, else :class:`NotFound`."""
    access.require(actor, ACTION)
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        raise NotFound(GONE) from None
    sample = db.session.scalars(select(RecheckSample).where(
        RecheckSample.id == key, RecheckSample.commune_code == actor.commune_code)).first()
    if sample is None:
        raise NotFound(GONE)
    return sample


def get_item(sample: RecheckSample, key) -> RecheckItem:
    item = next((i for i in sample.items if str(i.id) == str(key)), None)
    if item is None:
        raise NotFound(GONE)
    return item


def _clean_note(text: str | None) -> str:
    printable = "".join(ch for ch in (text or "") if ch.isprintable() or ch.isspace())
    note = " ".join(printable.split())
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed("Ghi chú quá dài.", {"note": [f"Tối đa {NOTE_LIMIT} ký tự."]})
    return note


def _judge(outcome: str, fields: list[str], note: str | None) -> tuple[list[str], str]:
    errors = {}
    if outcome not in RECHECK_OUTCOMES:
        errors["outcome"] = ["Chọn Đúng hoặc Sai."]
    unknown = [f for f in fields if f not in WRONG_FIELDS]
    if unknown:
        errors["fields"] = ["Có trường không có trong danh sách."]
    elif outcome == "wrong" and not fields:
        errors["fields"] = ["Hồ sơ sai: chọn ít nhất một trường sai."]
    elif outcome == "right" and fields:
        errors["fields"] = ["Hồ sơ đúng thì không chọn trường sai."]
    if errors:
        raise ValidationFailed("Chưa ghi được kết quả phúc tra.", errors)
    chosen = [f for f in WRONG_FIELDS if f in fields]  # the list's order, once each
    return chosen, _clean_note(note)


def record_item(actor, item: RecheckItem, outcome: str, fields: list[str] | None = None,
                note: str | None = None, now: datetime | None = None) -> list[Submission]:
    """Record "đúng" or "sai" (with the wrong fields and a note) for one drawn record, once.

    A wrong record goes back to the village as a returned submission ("Cần sửa") for each
    of its collectors (``recheck_return.send_back``); those are returned.
    """
    access.require(actor, ACTION)
    sample = item.sample
    if sample.commune_code != actor.commune_code:
        raise NotFound(GONE)
    fields, note = _judge(outcome, list(fields or []), note)
    now = now or utcnow()
    claimed = db.session.execute(
        update(RecheckItem).where(RecheckItem.id == item.id, RecheckItem.outcome.is_(None))
        .values(outcome=outcome, wrong_fields=fields or None, note=note or None,
                checked_at=now, checked_by_id=actor.id)
        .execution_options(synchronize_session=False))
    db.session.expire(item)
    if claimed.rowcount != 1:
        raise AlreadyRecorded("Hồ sơ này đã được ghi kết quả phúc tra.")
    sent = (send_back(actor, item, return_note(fields, note), now) if outcome == "wrong"
            else [])
    if sent:
        item.submission_id = sent[0].id
    _finish(sample, now)
    audit(actor, "recheck_recorded", "recheck_sample", sample.id,
          commune_code=sample.commune_code,
          detail={"child": str(item.child_id), "outcome": outcome, "fields": fields,
                  "submissions": [str(s.id) for s in sent]})
    return sent


def _finish(sample: RecheckSample, now: datetime) -> None:
    # The sample's row lock makes the last two records of a sample, recorded at once, count
    # one after the other: the later one sees the earlier and finishes the sample.
    db.session.execute(select(RecheckSample.id).where(RecheckSample.id == sample.id)
                       .with_for_update())
    left = db.session.scalar(select(func.count()).where(
        RecheckItem.sample_id == sample.id, RecheckItem.outcome.is_(None)))
    if left == 0 and sample.finished_at is None:
        sample.finished_at = now


def return_note(fields: list[str], note: str) -> str:
    """What the collector reads on the phone: "Phúc tra: sai Họ và tên, Ngày sinh — …"."""
    text = "Phúc tra: sai " + ", ".join(WRONG_FIELDS[f] for f in fields)
    return (f"{text} — {note}" if note else f"{text}.")[:NOTE_LIMIT]


def rates(actor, sample: RecheckSample | None = None) -> dict[str, list[dict]]:
    """Discrepancy rates (wrong / checked) per village and per collector, of one sample or
    of every sample of the actor's commune."""
    scope = select(RecheckItem.id).join(RecheckSample).where(
        RecheckSample.commune_code == actor.commune_code)
    if sample is not None:
        scope = scope.where(RecheckSample.id == sample.id)
    return {"village": _rates(RecheckItem.village_code, scope),
            "collector": _rates(RecheckItem.collector_id, scope)}


def _rates(column, scope) -> list[dict]:
    wrong = func.sum(case((RecheckItem.outcome == "wrong", 1), else_=0))
    query = (select(column.label("key"), func.count().label("drawn"),
                    func.count(RecheckItem.outcome).label("checked"), wrong.label("wrong"))
             .where(RecheckItem.id.in_(scope)).group_by(column).order_by(column))
    return [{"key": row.key, "drawn": row.drawn, "checked": row.checked,
             "wrong": int(row.wrong or 0),
             "rate": (int(row.wrong or 0) / row.checked) if row.checked else None}
            for row in db.session.execute(query)]


def samples(actor, limit: int = 50) -> list[dict]:
    """The commune's latest samples, each with how many records were checked and wrong."""
    access.require(actor, ACTION)
    wrong = func.sum(case((RecheckItem.outcome == "wrong", 1), else_=0))
    counts = (select(RecheckItem.sample_id, func.count(RecheckItem.outcome).label("checked"),
                     wrong.label("wrong")).group_by(RecheckItem.sample_id).subquery())
    query = (select(RecheckSample, counts.c.checked, counts.c.wrong)
             .outerjoin(counts, counts.c.sample_id == RecheckSample.id)
             .where(RecheckSample.commune_code == actor.commune_code)
             .order_by(RecheckSample.created_at.desc(), RecheckSample.id).limit(limit))
    return [{"sample": row[0], "checked": row.checked or 0, "wrong": int(row.wrong or 0)}
            for row in db.session.execute(query)]
