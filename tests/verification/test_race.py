"""Two police accounts finishing the same batch at the same moment, on PostgreSQL where the
two really run in parallel: the results are written once (one version per child), the other
is told the batch is already finished. Their own throwaway database (tests/race.py)."""

import threading

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.children import services as register
from fieldapp.children.models import Child, ChildChange
from fieldapp.errors import Conflict
from fieldapp.extensions import db
from fieldapp.verification import services
from fieldapp.verification.models import VerificationBatch
from tests.race import ONLY_POSTGRES, race_world
from tests.submissions import BORN, child_id_number

pytestmark = ONLY_POSTGRES


@pytest.fixture(scope="module")
def world():
    with race_world({"officer": (roles.COMMUNE_OFFICER, False),
                     "police": (roles.POLICE, False), "police2": (roles.POLICE, False)}) as out:
        yield out


def _ready_batch(app, village: str):
    """A batch of two children, every result recorded, committed."""
    with app.test_request_context():
        officer = db.session.scalars(select(User).filter_by(role=roles.COMMUNE_OFFICER)).one()
        police = db.session.scalars(select(User).filter_by(role=roles.POLICE)).first()
        children = [register.create_child(officer, {
            "child": {"full_name": name, "sex": "1", "date_of_birth": BORN,
                      "ethnicity_code": "03", "village_code": village},
            "household": {"head_name": "Lò Văn Pọm"},
            "caregivers": [{"relation": "mother", "full_name": "Lường Thị Xuân"}]})
            for name in ("Lò Văn Thanh", "Lò Văn Hùng")]
        batch, _ = services.create_batch(officer, [c.id for c in children])
        for item in batch.items:
            services.record_result(police, batch, item, {
                "verified_id": child_id_number(BORN, "1", f"{item.position:06d}")})
        db.session.commit()
        ids = batch.id, [c.id for c in children]
        db.session.remove()
    return ids


def test_two_finish_at_once(world):
    app = world["app"]
    batch_id, child_ids = _ready_batch(app, world["village"])
    start = threading.Barrier(2)
    outcomes: list = [None, None]

    def finish(i: int) -> None:
        with app.test_request_context():
            try:
                police = db.session.scalars(select(User).filter_by(role=roles.POLICE)
                                            .order_by(User.id)).all()[i]
                batch = db.session.get(VerificationBatch, batch_id)
                assert batch.state == "sent" and len(batch.items) == 2
                start.wait(timeout=20)
                services.finish_batch(police, batch)
                db.session.commit()
                outcomes[i] = "finished"
            except Conflict:
                db.session.rollback()
                outcomes[i] = "conflict"
            except Exception as error:  # noqa: BLE001 - reported below
                outcomes[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == ["conflict", "finished"], outcomes
    with app.app_context():
        versions = db.session.scalars(select(Child.version).where(Child.id.in_(child_ids)))
        assert list(versions) == [2, 2]
        police_changes = db.session.scalar(select(func.count(ChildChange.id)).where(
            ChildChange.child_id.in_(child_ids), ChildChange.source == "police"))
        assert police_changes == 2
        db.session.remove()
