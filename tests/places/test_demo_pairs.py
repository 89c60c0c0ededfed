"""``demo seed`` (``make run``) leaves the stored probable duplicates right: the same pairs as
``duplicates rebuild`` judges from scratch."""

from sqlalchemy import delete, select

from fieldapp.children.models import DuplicatePair
from fieldapp.collection.models import SubmissionPair


def stored(db) -> tuple[set, set]:
    return (set(db.session.execute(select(DuplicatePair.child_a_id, DuplicatePair.child_b_id,
                                          DuplicatePair.score))),
            set(db.session.execute(select(SubmissionPair.submission_id,
                                          SubmissionPair.child_id, SubmissionPair.other_id,
                                          SubmissionPair.score))))


def test_the_demo_stores_the_pairs_a_rebuild_finds(db, runner, demo_on):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    seeded = stored(db)
    assert all(seeded)  # the demo plants probable duplicates, in the register and waiting
    db.session.execute(delete(DuplicatePair))
    db.session.execute(delete(SubmissionPair))
    result = runner.invoke(args=["duplicates", "rebuild", "--commune", "03808"])
    assert result.exit_code == 0, result.output
    assert stored(db) == seeded
