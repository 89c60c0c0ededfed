"""Submissions as a phone makes them (snapshot shape of the sync API)."""

import json
import uuid


def new_child(village: str, name: str = "Lò Thị Thử", **child) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "kind": "child", "captured_at": "2026-11-20T09:30:00+07:00",
        "child_id": None, "base_version": None, "corrects": None,
        "data": {
            "household": {"id": None, "ref": str(uuid.uuid4()), "head_name": "Lò Văn Chủ",
                          "address": "Tổ 1", "village": village, "poverty_status": "none"},
            "child": {"full_name": name, "sex": "2", "date_of_birth": "2020-03-04",
                      "ethnicity_code": "03", "nationality": "VN", "village": village,
                      "personal_id": None, "address": "", "current_residence": "",
                      "schooling_status": None, **child},
            "caregivers": [{"relation": "mother", "full_name": "Lò Thị Mẹ", "personal_id": None,
                            "phone": None}],
            "circumstances": [], "supports": [],
        },
    }


def export_file(user, items: list[dict]) -> bytes:
    """The file a phone saves with "Lưu phiếu chưa gửi ra tệp"."""
    body = {"format": "fieldapp-outbox", "version": 1, "exported_at": "2026-11-21T08:00:00Z",
            "user": {"id": str(user.id), "username": user.username}, "submissions": items}
    return json.dumps(body, ensure_ascii=False).encode()
