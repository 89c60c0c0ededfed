"""The officer's import of the spreadsheet the police filled: read, check each row, preview;
nothing is recorded until the officer confirms the valid rows.

The preview carries the valid rows to the confirmation as a signed token in the form (not
in the session cookie: it holds ID numbers), and the confirmation checks them all again.
"""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from fieldapp.children.validators import Result
from fieldapp.verification import sheet
from fieldapp.verification.models import VerificationBatch, VerificationItem
from fieldapp.verification.sheet import ImportRefused
from fieldapp.verification.validators import check_result

TOKEN_AGE = 4 * 3600  # seconds a preview may wait for its confirmation
NO = {"không", "khong", "0", "no", "false", "-"}
FILE_CORRECTIONS = {"full_name", "date_of_birth", "sex"}  # the file's correction columns


@dataclass
class Checked:
    number: int  # the row as Excel shows it
    key: str
    data: dict
    item: VerificationItem
    result: Result

    @property
    def replaces(self) -> bool:
        """The child already had another result (recorded online, or by an earlier file)."""
        clean = self.result.clean
        return self.item.outcome != "pending" and (
            self.item.outcome, self.item.verified_id, self.item.note, self.item.corrections
        ) != (clean["outcome"], clean["verified_id"], clean["note"], clean["corrections"])


@dataclass
class Preview:
    valid: list[Checked]
    invalid: list[Checked]
    empty: int


def data_of(values: dict) -> dict:
    """A row's cells as a result to check (what :func:`validators.check_result` takes)."""
    corrections = {}
    if values.get("fix_full_name") not in (None, ""):
        corrections["full_name"] = str(values["fix_full_name"])
    if values.get("fix_date_of_birth") not in (None, ""):
        corrections["date_of_birth"] = sheet.date_text(values["fix_date_of_birth"])
    if values.get("fix_sex") not in (None, ""):
        corrections["sex"] = sheet.sex_code(values["fix_sex"])
    flag = str(values.get("not_found") or "").strip().lower()
    return {"verified_id": sheet.number_text(values.get("verified_id")),
            "not_found": bool(flag) and flag not in NO,
            "note": str(values.get("note") or ""), "corrections": corrections}


def check_rows(batch: VerificationBatch, rows: list[tuple[int, str, dict]]) -> list[Checked]:
    """Check each ``(row number, key, data)``; a number may serve one child of the batch."""
    by_key = {item.row_key: item for item in batch.items}
    named = {by_key[key].id for _, key, _ in rows if key in by_key}
    taken = {item.verified_id: item.position for item in batch.items
             if item.verified_id and item.id not in named}
    out = []
    for number, key, data in rows:
        item = by_key.get(key)
        if item is None:
            raise ImportRefused(f"Mã dòng ở dòng {number} không khớp danh sách này.")
        result = check_result(item, _with_kept(item, data), taken=taken)
        if not result.errors and result.clean["verified_id"]:
            taken[result.clean["verified_id"]] = item.position
        out.append(Checked(number, key, data, item, result))
    return out


def _with_kept(item: VerificationItem, data: dict) -> dict:
    """The file's result, with the corrections recorded online that the file has no column
    for (ethnicity, address, caregivers) kept; the file's own columns say the rest."""
    if data.get("not_found"):
        return data
    kept = {key: value for key, value in (item.corrections or {}).items()
            if key not in FILE_CORRECTIONS}
    return {**data, "corrections": {**kept, **(data.get("corrections") or {})}}


def preview(batch: VerificationBatch, raw: bytes) -> Preview:
    """What the file would record, row by row, or :class:`ImportRefused`."""
    if batch.state != "sent":
        raise ImportRefused("Danh sách đã hoàn tất: không nhập kết quả được nữa.")
    rows, empty = sheet.read(batch, raw)
    if not rows:
        raise ImportRefused("Tệp chưa có kết quả nào: chưa dòng nào ghi số định danh đã xác "
                            "thực hoặc Không tìm thấy.")
    checked = check_rows(batch, [(row.number, row.key, data_of(row.values)) for row in rows])
    return Preview([c for c in checked if not c.result.errors],
                   [c for c in checked if c.result.errors], empty)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="verification-import")


def sign(batch: VerificationBatch, valid: list[Checked]) -> str:
    rows = [[c.number, c.key, c.data] for c in valid]
    return _serializer().dumps({"batch": str(batch.id), "rows": rows})


def unsign(batch: VerificationBatch, token: str) -> list[tuple[int, str, dict]]:
    """The rows a preview of this batch signed, or :class:`ImportRefused`."""
    try:
        body = _serializer().loads(token or "", max_age=TOKEN_AGE)
    except BadSignature:
        raise ImportRefused("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy nhập lại tệp.") \
            from None
    if not isinstance(body, dict) or body.get("batch") != str(batch.id):
        raise ImportRefused("Bản xem trước thuộc danh sách khác: hãy nhập lại tệp.")
    return [(int(n), str(k), dict(d)) for n, k, d in body.get("rows") or []]
