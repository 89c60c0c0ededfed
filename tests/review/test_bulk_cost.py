"""What a bulk approval costs: its statements do not grow with the children (issue 13; 19 a
child before). A behaviour of cost, counted, never timed."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from fieldapp.children import services as register
from tests.submissions import BORN, changed

FAMILIES = ["Lò", "Cầm", "Quàng", "Lường", "Hà", "Vì", "Tòng", "Điêu", "Sồng", "Giàng"]
GIVEN = ["Thanh", "Pó", "Hặc", "Tủa", "Chiến", "Dế", "Páo", "Xuân"]  # 80 names in all


def clean_items(item, n: int, first: int = 0) -> list[dict]:
    """``n`` new children no two of whom are probable duplicates: each name once, each born
    on another day."""
    return [changed(item(), {"data.child.full_name": f"{FAMILIES[k % 10]} Văn {GIVEN[k // 10]}",
                             "data.child.date_of_birth": (BORN - timedelta(days=37 * k))
                             .isoformat(), "data.child.personal_id": None,
                             # ages vary: a status would not fit them all (bulk.py)
                             "data.child.schooling_status": None})
            for k in range(first, first + n)]


@pytest.fixture()
def statements(db):
    counted = []

    def count(_connection, _cursor, statement, *_):
        counted.append(statement)

    event.listen(db.engine, "after_cursor_execute", count)
    yield counted
    event.remove(db.engine, "after_cursor_execute", count)


def approved_at_cost(submit, decide, item, statements, n: int, first: int = 0) -> int:
    batch = submit(*clean_items(item, n, first))
    register.refresh_pairs()
    statements.clear()
    made, skipped = decide("bulk_approve", batch)
    register.refresh_pairs()  # what the commit adds: the new children's pairs
    assert (len(made), skipped) == (n, {})
    return len(statements)


def test_fifty_children_cost_hardly_more_statements_than_five(submit, decide, item,
                                                               statements):
    five = approved_at_cost(submit, decide, item, statements, 5)
    fifty = approved_at_cost(submit, decide, item, statements, 50, first=5)
    assert fifty <= five + 5, (five, fifty)
