"""An approval reads the submission's record once and judges it once (issue 13): the review's
comparison is handed to the register's services, not converted and validated again."""

import pytest

from fieldapp.children import record, services, validators
from fieldapp.review import compare
from fieldapp.review import services as review
from tests.review.reviewer import packet_update
from tests.submissions import changed


@pytest.fixture()
def counted(monkeypatch):
    """How many times the record was converted and validated, wherever it was."""
    calls = {"to_record": 0, "validate_record": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(record, "to_record", counting("to_record", record.to_record))
    checked = counting("validate_record", validators.validate_record)
    for module in (compare, review, services):
        monkeypatch.setattr(module, "validate_record", checked)
    return calls


def test_a_new_child_is_read_and_judged_once(submit, decide, item, counted):
    s, = submit(item())
    before = dict(counted)
    decide("approve_submission", s)
    assert counted["to_record"] - before["to_record"] == 1
    assert counted["validate_record"] - before["validate_record"] == 1


def test_bulk_approval_judges_each_child_once(submit, decide, item, counted):
    batch = submit(item(), changed(item(), {"data.child.full_name": "Sồng A Dế",
                                            "data.child.date_of_birth": "2019-07-02",
                                            "data.child.personal_id": None}))
    before = dict(counted)
    made, skipped = decide("bulk_approve", batch)
    assert len(made) == 2 and not skipped
    assert counted["validate_record"] - before["validate_record"] == 2


def test_an_update_is_read_and_judged_once(api, submit, decide, add_child, counted):
    child = add_child()
    s, = submit(packet_update(api, child, {"data.child.address": "Bản mới"}))
    before = dict(counted)
    decide("approve_submission", s)
    assert counted["to_record"] - before["to_record"] == 1
    assert counted["validate_record"] - before["validate_record"] == 1
