"""Judging one submission: its shape, the register's rules for its record (the same
``children.validators`` the forms use), and the author's places.

Nothing here writes. A :class:`Scope` loads, once per batch, what the author may see.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy import select

from fieldapp import access
from fieldapp.cases.validators import validate_field_report
from fieldapp.children import record as child_record
from fieldapp.children.models import Child, Household
from fieldapp.children.validators import Result, closure_cause, parse_date, validate_record
from fieldapp.clock import VIETNAM, storable_time
from fieldapp.collection.models import REPORT, Submission
from fieldapp.collection.schemas import ReportIn, SubmissionIn
from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.schemas import flat_errors

NOT_YOURS = "Thôn/bản không thuộc địa bàn của bạn."
SUBMISSION = SubmissionIn()  # one instance: building a schema (and its nested ones) is slow
REPORT_IN = ReportIn()
CLOCK_SLACK = timedelta(minutes=10)
EARLIEST = datetime(2020, 1, 1, tzinfo=VIETNAM)


@dataclass
class Scope:
    """What the author may submit about: active villages, and the children, households and
    returned submissions named in the batch."""

    villages: dict[str, Village]
    children: dict[uuid.UUID, Child]
    households: dict[uuid.UUID, Household]
    corrected: dict[uuid.UUID, Submission]


@dataclass
class Verdict:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    item: dict | None = None  # the loaded submission
    village: Village | None = None
    child: Child | None = None
    # A protection report, cleaned (``cases.validators``), with ``register_child``: the
    # register child it is about, or None.
    report: dict | None = None

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _uuids(values) -> list[uuid.UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except (TypeError, ValueError, AttributeError):
            continue
    return out


def _by_id(query, model, ids: list[uuid.UUID]) -> dict:
    """The rows of ``query`` with these ids (none asked: no query)."""
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(query.where(model.id.in_(ids)))}


def _household_id(raw: dict):
    data = raw.get("data")
    household = data.get("household") if isinstance(data, dict) else None
    return household.get("id") if isinstance(household, dict) else None


def _child_id(raw: dict):
    """The register child an item names: an update's, or the one a report is about."""
    if raw.get("kind") == REPORT:
        data = raw.get("data")
        return data.get("child_id") if isinstance(data, dict) else None
    return raw.get("child_id")


def load_scope(author, raws: list[dict]) -> Scope:
    villages = db.session.scalars(access.villages(author).where(Village.active.is_(True)))
    return Scope(
        villages={v.code: v for v in villages},
        children=_by_id(access.children(author), Child,
                        _uuids(_child_id(r) for r in raws if _child_id(r))),
        households=_by_id(access.households(author), Household,
                          _uuids(_household_id(r) for r in raws if _household_id(r))),
        corrected=_by_id(select(Submission).where(Submission.user_id == author.id), Submission,
                         _uuids(r["corrects"] for r in raws if r.get("corrects"))),
    )


def judge(raw: dict, scope: Scope, now: datetime) -> Verdict:
    """Every error and warning of one submission, keyed by its snapshot path."""
    verdict = Verdict()
    report = raw.get("kind") == REPORT
    try:
        item = (REPORT_IN if report else SUBMISSION).load(raw)
    except ValidationError as invalid:
        verdict.errors = {_strip(path): messages
                          for path, messages in flat_errors(invalid.messages).items()}
        return verdict
    verdict.item = item
    if not storable_time(item["captured_at"]):
        verdict.error("captured_at", "Ngày giờ thu thập nằm ngoài khoảng lưu được.")
        return verdict
    if report:
        _report(item, item["data"], scope, now, verdict)
        return verdict
    day = _capture_day(item["captured_at"], now, verdict)
    record, positions = child_record.to_record(item["data"])
    result = validate_record(record, capture_date=day)
    verdict.errors.update(child_record.api_messages(result.errors, positions))
    verdict.warnings.update(child_record.api_messages(result.warnings, positions))
    _places(item["data"], scope, verdict)
    if item["child_id"] is not None:
        _update(item, scope, verdict, day)
    else:
        if item["data"]["closure"] is not None:
            verdict.error("closure", "Chỉ đóng được hồ sơ của trẻ đã có trong sổ.")
        if item["base_version"] is not None:  # it would be stored, and could overflow a column
            verdict.error("base_version", "Phiếu thêm trẻ mới không có phiên bản hồ sơ.")
    if item["corrects"] is not None:
        _correction(item["corrects"], scope, verdict)
    return verdict


def _report(item: dict, data: dict, scope: Scope, now: datetime, verdict: Verdict) -> None:
    """A protection report: about a child of the author's villages (a register child they
    see, or one described in one of their villages); no update, version or correction."""
    for name, message in (("child_id", "Tin báo ghi trẻ trong data.child_id."),
                          ("base_version", "Tin báo không có phiên bản hồ sơ."),
                          ("corrects", "Tin báo không sửa phiếu nào.")):
        if item[name] is not None:
            verdict.error(name, message)
    reported_at = item["captured_at"]
    if reported_at > now + CLOCK_SLACK or reported_at < EARLIEST:
        verdict.warnings.setdefault("captured_at", []).append(
            "Ngày giờ trên máy có vẻ sai; tin báo được tính theo lúc nhận.")
        reported_at = now
    result = validate_field_report(data, reported_at, now, set(scope.villages))
    verdict.errors.update(result.errors)
    child = None
    if "child_id" in result.clean:  # a UUID: the schema loaded it
        child = scope.children.get(uuid.UUID(result.clean["child_id"]))
        if child is None:
            verdict.error("child_id", "Không tìm thấy trẻ này trong địa bàn của bạn.")
        else:
            verdict.village = scope.villages.get(child.village_code)
            if verdict.village is None:  # a child of the author's places, its village closed
                verdict.error("child_id", NOT_YOURS)
    elif "child" in result.clean:
        verdict.village = scope.villages.get(result.clean["child"]["village"])
    if not verdict.errors:
        verdict.report = dict(result.clean, reported_at=reported_at, register_child=child)


def _strip(path: str) -> str:
    return path[len("data."):] if path.startswith("data.") else path


def _capture_day(captured_at: datetime, now: datetime, verdict: Verdict) -> date:
    """The day of capture in Vietnam; a phone clock that is plainly wrong is only flagged, and
    the day of receipt judges the record instead (a wrong clock must not lose a record)."""
    if captured_at > now + CLOCK_SLACK or captured_at < EARLIEST:
        verdict.warnings.setdefault("captured_at", []).append(
            "Ngày giờ trên máy có vẻ sai; hồ sơ được kiểm tra theo ngày nhận.")
        return now.astimezone(VIETNAM).date()
    return captured_at.astimezone(VIETNAM).date()


def _places(data: dict, scope: Scope, verdict: Verdict) -> None:
    code = (data["child"].get("village") or "").strip()
    if code:
        verdict.village = scope.villages.get(code)
        if verdict.village is None:
            verdict.error("child.village", NOT_YOURS)
    household = data["household"]
    if household["id"] is not None:
        if household["id"] not in scope.households:
            verdict.error("household.id", "Hộ gia đình không thuộc địa bàn của bạn.")
    elif household.get("village") and household["village"] not in scope.villages:
        verdict.error("household.village", NOT_YOURS)


def _update(item: dict, scope: Scope, verdict: Verdict, day: date) -> None:
    child = scope.children.get(item["child_id"])
    if child is None:
        verdict.error("child_id", "Không tìm thấy trẻ này trong địa bàn của bạn.")
        return
    verdict.child = child
    base = item["base_version"]
    if base is None:
        verdict.error("base_version", "Thiếu phiên bản hồ sơ mà bạn đã sửa.")
    elif base < 1 or base > child.version:
        verdict.error("base_version", "Phiên bản hồ sơ không khớp với sổ đăng ký.")
    elif base == child.version and child.closed_on is not None:
        verdict.error("child_id", "Hồ sơ đã đóng, không cập nhật được.")
    closure = item["data"]["closure"]
    if closure is not None:
        on = parse_date(closure.get("date")) if closure.get("date") else day
        born = parse_date(item["data"]["child"].get("date_of_birth"))
        if on is None or on > day or (born is not None and on < born):
            verdict.error("closure.date", "Ngày chuyển đi/mất phải từ ngày sinh đến ngày thu thập.")
        checked = Result()
        closure_cause(closure["reason"], closure.get("injury"), closure.get("cause"),
                      "closure.cause", checked)
        for path, messages in checked.errors.items():
            for message in messages:
                verdict.error(path, message)


def _correction(corrects: uuid.UUID, scope: Scope, verdict: Verdict) -> None:
    returned = scope.corrected.get(corrects)
    if returned is None or returned.state != "returned":
        verdict.error("corrects", "Phiếu được sửa không phải phiếu bị trả lại của bạn.")
