"""causes of a death from injury (issue 14): K02 takes its cause from ``injury_cause``

The list K03 already uses gains "Bạo lực" (before "Khác", which stays last) and "Giao thông"
reads "Tai nạn giao thông", so that one list counts injuries and deaths from injury by cause
(DOMAIN §8). Codes are kept: NN01 … NN09 mean what they meant, NN10 is new.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

code_item = sa.table(
    "code_item",
    sa.column("list_name", sa.String), sa.column("code", sa.String),
    sa.column("label", sa.String), sa.column("position", sa.Integer),
    sa.column("restricted", sa.Boolean), sa.column("block", sa.String),
    sa.column("parent", sa.String), sa.column("active", sa.Boolean),
)
LIST = "injury_cause"
OTHER, TRAFFIC, VIOLENCE = "NN09", "NN02", "NN10"


def _set(code: str, **values) -> None:
    op.execute(code_item.update()
               .where(code_item.c.list_name == LIST, code_item.c.code == code)
               .values(**values))


def upgrade():
    op.bulk_insert(code_item, [{
        "list_name": LIST, "code": VIOLENCE, "label": "Bạo lực", "position": 8,
        "restricted": False, "block": None, "parent": "K03", "active": True}])
    _set(OTHER, position=9)
    _set(TRAFFIC, label="Tai nạn giao thông")


def downgrade():
    op.execute(code_item.delete()
               .where(code_item.c.list_name == LIST, code_item.c.code == VIOLENCE))
    _set(OTHER, position=8)
    _set(TRAFFIC, label="Giao thông")
