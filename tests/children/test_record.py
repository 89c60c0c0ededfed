"""The child record's one table of fields and its shapes (children/record.py)."""

import pytest

from fieldapp.children import record


@pytest.mark.parametrize("path, label", [  # DOMAIN §4, general fields
    ("child.personal_id", "Số định danh cá nhân"),
    ("child.full_name", "Họ và tên"),
    ("child.sex", "Giới tính"),
    ("child.date_of_birth", "Ngày, tháng, năm sinh"),
    ("child.ethnicity_code", "Dân tộc"),
    ("child.nationality", "Quốc tịch"),
    ("child.village", "Thôn, xóm, bản"),
    ("child.current_residence", "Nơi ở hiện tại"),
    ("child.address", "Địa chỉ chi tiết"),
    ("child.schooling_status", "Tình trạng học tập"),
])
def test_the_labels_are_the_catalogues(path, label):
    assert record.label(path) == label


def test_every_child_field_of_the_register_has_a_label():
    assert all(record.child_path(name) in record.BY_PATH for name in record.CHILD_FIELDS)


def test_a_snapshot_becomes_a_record_without_masked_circumstances():
    data = {"child": {"full_name": "Lò Văn Thanh", "village": "03808-001"},
            "household": {"id": "h1"},
            "circumstances": [{"id": "c0", "masked": True},
                              {"code": "DB04", "since": "2024-01-01"}],
            "supports": [{"code": "TG05", "amount": "500000"}]}
    out, positions = record.to_record(data)
    assert out["child"] == {"full_name": "Lò Văn Thanh", "village_code": "03808-001"}
    assert out["household_id"] == "h1" and out["household"]["village_code"] == "03808-001"
    assert positions == [1] and [c["code"] for c in out["circumstances"]] == ["DB04"]
    assert out["support"][0]["form"] == "TG05" and out["support"][0]["amount_vnd"] == "500000"


@pytest.mark.parametrize("path, expected", [
    ("support.0.form", "supports.0.code"),
    ("support.0.amount_vnd", "supports.0.amount"),
    ("child.village_code", "child.village"),
    ("household_id", "household.id"),
    ("circumstances.0.code", "circumstances.1.code"),
])
def test_register_paths_read_as_snapshot_paths(path, expected):
    assert record.api_path(path, [1]) == expected


def test_the_diff_lists_changed_paths_in_order():
    before = {"child.full_name": "A", "caregivers.10.phone": "1", "caregivers.2.phone": "2"}
    after = {"child.full_name": "B", "caregivers.10.phone": None, "caregivers.2.phone": "3"}
    assert [c["field"] for c in record.diff(before, after)] == [
        "caregivers.2.phone", "caregivers.10.phone", "child.full_name"]
