"""The phone's rules for a report of a child at risk (static/js/validate.js ``report``) against
the server's (``collection.validators.judge`` of a ``protection_report``, which calls
``cases.validators.validate_field_report``): the same Vietnamese messages on the same paths.

Each case changes one thing of a valid report and names the paths it must flag."""

import uuid

import pytest

from fieldapp.collection.queries import code_lists
from fieldapp.collection.validators import judge, load_scope
from fieldapp.extensions import db as _db
from tests.collection.phone import judge_all
from tests.collection.snapshots import CAPTURED_AT, NOW, OTHER, OWN, PHONE_NAMES, filled
from tests.submissions import changed

pytestmark = pytest.mark.browser

BASE = {"child_id": None,
        "child": {"full_name": "Lò Thị Nhỏ", "sex": "2", "date_of_birth": None,
                  "estimated_age": 7, "village": OWN},
        "situation": "Thấy trẻ bị đánh ở sân nhà.", "seen_at": "2025-06-01T08:30",
        "location": "Sân nhà", "urgent": True, "reporter_phone": "0912 345 678"}
CASES = [
    ("valid", {}, ()),
    ("no-name", {"child.full_name": ""}, ("child.full_name",)),
    ("name-digits", {"child.full_name": "Lò Thị 2"}, ("child.full_name",)),
    ("name-short", {"child.full_name": "A"}, ("child.full_name",)),
    ("sex-unknown-code", {"child.sex": "9"}, ("child.sex",)),
    ("sex-none", {"child.sex": None}, ()),
    ("no-age", {"child.estimated_age": None}, ("child.estimated_age",)),
    ("age-18", {"child.estimated_age": 18}, ("child.estimated_age",)),
    ("age-negative", {"child.estimated_age": -1}, ("child.estimated_age",)),
    ("age-half", {"child.estimated_age": 7.5}, ("child.estimated_age",)),
    ("born-instead", {"child.estimated_age": None, "child.date_of_birth": "2019-02-03"}, ()),
    ("born-later", {"child.date_of_birth": "2025-06-02"}, ("child.date_of_birth",)),
    ("born-bad", {"child.date_of_birth": "2019-02-30", "child.estimated_age": None},
     ("child.date_of_birth",)),
    ("no-village", {"child.village": None}, ("child.village",)),
    ("other-village", {"child.village": OTHER}, ("child.village",)),
    ("no-child", {"child": None}, ("child",)),
    ("no-situation", {"situation": "  \n "}, ("situation",)),
    ("situation-long", {"situation": "Dòng.\n" * 700}, ("situation",)),
    ("location-long", {"location": "Bản " * 60}, ("location",)),
    ("seen-bad", {"seen_at": "chiều qua"}, ("seen_at",)),
    ("seen-later", {"seen_at": "2025-06-02T08:30"}, ("seen_at",)),
    ("seen-day", {"seen_at": "2025-05-31"}, ()),
    ("no-seen", {"seen_at": None}, ()),
    ("no-urgency", {"urgent": None}, ("urgent",)),
    ("not-urgent", {"urgent": False}, ()),
    ("phone-short", {"reporter_phone": "0912"}, ("reporter_phone",)),
    ("phone-dots", {"reporter_phone": "0912.345.678"}, ()),
    ("many-wrong", {"child.full_name": "", "situation": "", "urgent": None},
     ("child.full_name", "situation", "urgent")),
]


@pytest.fixture(scope="module")
def phone(app):
    """The phone's verdict of every case, by id: one Chromium page, one evaluation."""
    with app.app_context():
        lists = code_lists()
        _db.session.remove()
    ctx = {"now": NOW.strftime("%Y-%m-%dT%H:%M"), "villages": {PHONE_NAMES[OWN]: True}}
    reports = [filled(changed(BASE, changes), PHONE_NAMES) for _id, changes, _paths in CASES]
    verdicts = judge_all(reports, ctx, lists, rule="report")
    return {id: verdict for (id, _c, _p), verdict in zip(CASES, verdicts, strict=True)}


@pytest.mark.parametrize(("id", "changes", "paths"), CASES, ids=[c[0] for c in CASES])
def test_phone_judges_a_report_as_the_server(id, changes, paths, world, phone):
    data = changed(BASE, changes)
    item = {"uuid": str(uuid.uuid4()), "kind": "protection_report", "captured_at": CAPTURED_AT,
            "child_id": None, "base_version": None, "corrects": None,
            "data": filled(data, world.names(data))}
    verdict = judge(item, load_scope(world.collaborator, [item]), NOW)
    on_phone = phone[id]
    assert "exception" not in on_phone, on_phone.get("exception")
    assert on_phone == {"errors": verdict.errors, "warnings": verdict.warnings}
    assert sorted(verdict.errors) == sorted(paths)
