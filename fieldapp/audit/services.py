"""Writing to and reading the audit log. Services call ``record``; nothing else writes."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, insert, select

from fieldapp.audit.models import AuditEntry
from fieldapp.clock import VIETNAM
from fieldapp.db import utcnow
from fieldapp.extensions import db

SYSTEM = "hệ thống"  # the actor of command-line and migration work
OBJECT_LABELS = {"user": "Tài khoản", "village": "Thôn/bản", "child": "Trẻ em",
                 "household": "Hộ gia đình", "submission": "Phiếu thu thập",
                 "recheck_sample": "Mẫu phúc tra", "setting": "Cài đặt",
                 "verification_batch": "Danh sách cần xác thực",
                 "device": "Thiết bị thu thập", "child_transfer": "Chuyển trẻ đến xã khác",
                 "report": "Báo cáo", "case": "Hồ sơ vụ việc",
                 "calendar_day": "Ngày nghỉ, ngày làm bù"}

# What each action means, for the page; the action names are stable identifiers.
ACTION_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "login_locked": "Đăng nhập khi đang bị khóa",
    "logout": "Đăng xuất",
    "session_expired": "Hết phiên do không hoạt động",
    "password_changed": "Đổi mật khẩu",
    "password_change_failed": "Đổi mật khẩu: sai mật khẩu hiện tại",
    "user_created": "Tạo tài khoản",
    "user_updated": "Sửa tài khoản",
    "user_password_reset": "Cấp lại mật khẩu",
    "user_deactivated": "Khóa tài khoản",
    "user_reactivated": "Mở lại tài khoản",
    "village_created": "Thêm thôn/bản",
    "village_renamed": "Đổi tên thôn/bản",
    "village_deactivated": "Ngừng sử dụng thôn/bản",
    "village_reactivated": "Dùng lại thôn/bản",
    "audit_viewed": "Xem nhật ký",
    "children_listed": "Xem danh sách trẻ em",
    "child_viewed": "Xem hồ sơ trẻ em",
    "child_created": "Thêm trẻ em",
    "child_updated": "Cập nhật hồ sơ trẻ em",
    "child_exported": "Xuất hồ sơ của trẻ",
    "household_printed": "In sổ theo dõi trẻ em của hộ",
    "consent_recorded": "Ghi sự đồng ý",
    "consent_withdrawn": "Rút lại sự đồng ý",
    "children_imported": "Nhập danh sách trẻ em từ tệp",
    "household_created": "Thêm hộ gia đình",
    "household_updated": "Sửa hộ gia đình",
    "token_created": "Cấp mã truy cập thiết bị",
    "token_revoked": "Thu hồi mã truy cập thiết bị",
    "devices_revoked": "Mất máy: thu hồi mọi thiết bị",
    "packet_downloaded": "Tải dữ liệu về điện thoại",
    "submission_received": "Nhận phiếu thu thập",
    "submission_conflict": "Nhận phiếu xung đột",
    "submission_viewed": "Xem phiếu thu thập",
    "submission_matched": "Gộp phiếu vào trẻ đã có",
    "submission_approved": "Duyệt phiếu",
    "submission_returned": "Trả lại phiếu",
    "submission_rejected": "Từ chối phiếu",
    "recheck_drawn": "Chọn mẫu phúc tra",
    "recheck_viewed": "Xem mẫu phúc tra",
    "recheck_recorded": "Ghi kết quả phúc tra",
    "quality_listed": "Xem danh sách làm sạch dữ liệu",
    "quality_exported": "Xuất danh sách làm sạch dữ liệu",
    "circumstances_reviewed": "Rà soát định kỳ hoàn cảnh, trợ giúp",
    "setting_changed": "Đổi cài đặt",
    "duplicates_listed": "Xem danh sách trẻ có thể trùng",
    "duplicates_exported": "Xuất danh sách trẻ có thể trùng",
    "report_list_viewed": "Xem danh sách trẻ em theo kỳ",
    "report_list_exported": "Xuất, in danh sách trẻ em theo kỳ",
    "children_list_exported": "Tải danh sách trẻ em (Excel)",
    "duplicate_dismissed": "Đánh dấu không phải cùng một trẻ",
    "children_merged": "Gộp hai hồ sơ trẻ em",
    "verification_batch_created": "Gửi danh sách cần xác thực cho công an",
    "verification_batch_viewed": "Xem danh sách cần xác thực",
    "verification_result_recorded": "Ghi kết quả xác thực",
    "verification_imported": "Nhập kết quả xác thực từ tệp",
    "verification_batch_finished": "Hoàn tất xác thực, ghi vào sổ",
    "verification_exported": "Tải tệp danh sách cần xác thực",
    "verification_minutes_downloaded": "Tải biên bản bàn giao",
    "device_contacted": "Đã liên hệ về máy có thể mất phiếu",
    "report_printed": "In báo cáo (PDF)",
    "report_exported": "Tải báo cáo (Excel)",
    "case_opened": "Tiếp nhận hồ sơ vụ việc",
    "case_step": "Thực hiện một bước của hồ sơ vụ việc",
    "case_viewed": "Xem hồ sơ vụ việc",
    "case_printed": "In hồ sơ vụ việc (PDF)",
    "calendar_day_changed": "Sửa lịch ngày nghỉ, ngày làm bù",
}


def record(
    actor,
    action: str,
    obj_type: str | None = None,
    obj_id: object = None,
    *,
    commune_code: str | None = None,
    address: str | None = None,
    detail: dict | None = None,
    username: str | None = None,
) -> AuditEntry:
    """Append one entry. ``detail`` must hold no personal data (ids and codes only).

    :param actor: the acting :class:`User`, or ``None`` for an anonymous attempt.
    :param commune_code: the commune the object belongs to, so its officer can read the entry.
    """
    entry = AuditEntry(
        at=utcnow(),
        user_id=actor.id if actor is not None else None,
        username=actor.username if actor is not None else (username or SYSTEM),
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        commune_code=commune_code if commune_code else getattr(actor, "commune_code", None),
        address=address,
        detail=detail,
    )
    db.session.add(entry)
    return entry


def record_many(
    actor,
    obj_type: str,
    entries: list[tuple[str, object, dict | None]],
    *,
    commune_code: str | None,
    address: str | None,
    at: datetime,
) -> None:
    """Append a batch of entries (a sync batch's submissions) in one INSERT, making no
    objects: the API stores up to 100 submissions per request.

    :param entries: ``(action, object id, detail)`` per entry; the rest is shared.
    :param commune_code: written as given (no fallback to the actor's commune).
    """
    rows = [{
        "at": at, "user_id": actor.id, "username": actor.username, "address": address,
        "action": action, "object_type": obj_type, "object_id": str(obj_id),
        "commune_code": commune_code, "detail": detail,
    } for action, obj_id, detail in entries]
    if rows:
        db.session.execute(insert(AuditEntry), rows)


def search(
    query: Select,
    *,
    user_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Filter an already scoped query, newest first, keyset-paginated by id."""
    if user_id:
        query = query.where(AuditEntry.user_id == user_id)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if day_from:
        query = query.where(AuditEntry.at >= _start_of(day_from))
    if day_to:
        query = query.where(AuditEntry.at < _start_of(day_to) + timedelta(days=1))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def _start_of(day: date) -> datetime:
    """A day of the filter is Vietnam's, as the page shows the times."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def base_query() -> Select:
    return select(AuditEntry)
