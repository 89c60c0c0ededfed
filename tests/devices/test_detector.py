"""The detector "có thể mất phiếu", rule by rule: rule 1 as a function on two reports, then both
rules through the real endpoints (reports, batches naming the phone, the officer's import),
read as the officer's page reads them."""

import uuid

import pytest

from fieldapp.collection import services as collection
from fieldapp.db import utcnow
from fieldapp.devices import detector, queries
from tests.submissions import make_item


@pytest.mark.parametrize(
    ("before", "discarded_before", "now", "discarded_now", "receipts", "missing"), [
        pytest.param(3, 0, 0, 0, 3, 0, id="all sent"),
        pytest.param(5, 0, 2, 0, 3, 0, id="drop explained by receipts"),
        pytest.param(3, 0, 0, 0, 1, 2, id="drop receipts do not explain"),
        pytest.param(3, 0, 1, 2, 0, 0, id="drop explained by deletions"),
        pytest.param(6, 1, 0, 3, 4, 0, id="receipts and deletions together"),
        pytest.param(6, 1, 0, 3, 3, 1, id="receipts and deletions, one short"),
        pytest.param(4, 5, 0, 1, 0, 3, id="deletion counter restarted: all of it is new"),
        pytest.param(2, 5, 0, 2, 0, 0, id="counter restarted, drop all deleted"),
        pytest.param(3, 0, 4, 0, 0, 0, id="new captures only"),
        pytest.param(3, 0, 3, 0, 2, 0, id="new captures hide a loss (a lower bound)"),
        pytest.param(3, 0, 0, 0, 5, 0, id="new captures sent too"),
        pytest.param(2, 0, 2, 0, 0, 0, id="nothing changed"),
        pytest.param(0, 0, 0, 0, 0, 0, id="empty outbox"),
    ])
def test_rule_1_same_device(before, discarded_before, now, discarded_now, receipts, missing):
    loss = detector.same_device(before, discarded_before, now, discarded_now, receipts)
    assert loss.missing == missing
    assert loss.drop == before - now and loss.received == receipts


def test_rule_1_says_what_explained_the_drop():
    assert detector.same_device(5, 2, 0, 3, 1) == detector.Loss(
        missing=3, drop=5, received=1, discarded=1)


# Phones: name -> (phone, user); A and B are two phones of user 1, C a phone of user 2, and
# P1 / P2 one phone shared by users 1 and 2.
PHONES = {"A": ("a", 1), "B": ("b", 1), "C": ("c", 2), "P1": ("p", 1), "P2": ("p", 2)}

# Steps: ("report", phone, pending[, discarded]), ("send", phone, n): n new items in a batch
# naming the phone, ("import", n): the officer imports n items of user 1 from an exported file.
# Expected: phone -> (rule 1's count, rule 2's count); phones not named are not flagged.
SCENARIOS = {
    "drop explained by receipts": (
        [("report", "A", 3), ("send", "A", 3), ("report", "A", 0)], {}),
    "drop the receipts do not explain": (
        [("report", "A", 3), ("send", "A", 1), ("report", "A", 0)], {"A": (2, 0)}),
    "deliberate deletions": (
        [("report", "A", 3), ("report", "A", 1, 2)], {}),
    "deletion counter restarted (storage wiped)": (
        [("report", "A", 3, 4), ("report", "A", 0, 1)], {"A": (2, 0)}),
    "new captures": (
        [("report", "A", 2), ("report", "A", 5), ("send", "A", 5), ("report", "A", 0)], {}),
    "losses add up until cleared": (
        [("report", "A", 3), ("report", "A", 2), ("report", "A", 0)], {"A": (3, 0)}),
    "items sent before the first report": (
        [("send", "A", 2), ("report", "A", 1), ("report", "A", 1)], {}),
    "a shared phone never cross-flags": (
        [("report", "P1", 3), ("report", "P2", 5), ("send", "P2", 5), ("report", "P2", 0),
         ("report", "P1", 3)], {}),
    "a shared phone: each outbox its own": (
        [("report", "P1", 3), ("send", "P2", 3), ("report", "P1", 0)], {"P1": (3, 0)}),
    "rule 2: another phone, nothing received": (
        [("report", "A", 4), ("report", "B", 0)], {"A": (0, 4)}),
    "rule 2: another phone, some received": (
        [("report", "A", 4), ("send", "B", 1), ("report", "B", 0)], {"A": (0, 3)}),
    "rule 2: another phone, all received": (
        [("report", "A", 4), ("send", "A", 2), ("send", "B", 2), ("report", "B", 0)], {}),
    "rule 2: no other phone": (
        [("report", "A", 4), ("send", "A", 1)], {}),
    "rule 2: the other phone reported before": (
        [("report", "B", 0), ("report", "A", 4)], {}),
    "rule 2: the phone reported again since": (
        [("report", "A", 4), ("report", "B", 0), ("report", "A", 4)], {}),
    "rule 2: another user's phone": (
        [("report", "A", 4), ("report", "C", 0)], {}),
    "rule 2: a shared phone is not another phone of the user": (
        [("report", "P1", 4), ("report", "P2", 0)], {}),
    "rule 2: an import counts as received": (
        [("report", "A", 4), ("import", 4), ("report", "B", 0)], {}),
    "rule 2: a partial import": (
        [("report", "A", 4), ("import", 1), ("report", "B", 0)], {"A": (0, 3)}),
    "rule 2: items sent before the report do not count": (
        [("send", "A", 2), ("report", "A", 4), ("report", "B", 0)], {"A": (0, 4)}),
    "both rules on one phone": (
        [("report", "A", 5), ("send", "A", 1), ("report", "A", 3), ("report", "B", 0)],
        {"A": (1, 3)}),
}


@pytest.fixture()
def world(app, db, phone_of, collector, colleague, officer):
    """Run a scenario's steps; read every phone's two counts as the officer's page does."""

    def run(steps):
        users = {1: collector, 2: colleague}
        ids = {key: uuid.uuid4() for key in "abcp"}
        phones = {name: phone_of(users[user], ids[key]) for name, (key, user) in PHONES.items()}
        for step in steps:
            if step[0] == "report":
                phones[step[1]].report(*step[2:])
            elif step[0] == "send":
                phones[step[1]].send(step[2])
            else:
                items = [make_item(collector.villages[0].code) for _ in range(step[1])]
                with app.test_request_context():
                    results = collection.receive(collector, items, imported_by=officer)
                assert {r["status"] for r in results} == {"accepted"}
        rows = queries.rows(officer, utcnow())
        seen = {(r.device.phone_id, r.user.id): (r.device.possibly_lost, r.lost_elsewhere)
                for r in rows}
        return {name: seen[(ids[key], users[user].id)] for name, (key, user) in PHONES.items()
                if (ids[key], users[user].id) in seen}

    return run


@pytest.mark.parametrize(("steps", "flagged"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_both_rules(world, steps, flagged):
    counts = world(steps)
    assert {name: got for name, got in counts.items() if got != (0, 0)} == flagged
