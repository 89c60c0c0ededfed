"""membership_period repeats its child's period columns (issue 15 §4)

A report grouped its membership rows with its children's periods (a province's, a million);
with the child's columns on each membership period it groups the membership rows alone, found
by commune or province. From now on
``children.periods`` writes them, and a change of the child's columns starts new membership
periods too. The history before is split here: each membership period becomes one period per
child period it overlapped, carrying that child period's columns, over the time both were
valid (a membership period with no child period beside it stays as it was, without columns).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OPEN = sa.text("recorded_until IS NULL")
REPEATED = ("commune_code", "province_code", "village_code", "sex", "date_of_birth",
            "ethnicity_code", "has_personal_id", "schooling_status", "school_left_level",
            "closed_on")
OWN = ("child_id", "kind", "row_id", "code", "detail", "since", "until", "amount_vnd")
# Both valid at some moment: each began before the other ended.
OVERLAP = ("p.child_id = m.child_id"
           " AND (m.recorded_until IS NULL OR p.recorded_from < m.recorded_until)"
           " AND (p.recorded_until IS NULL OR m.recorded_from < p.recorded_until)")


def upgrade():
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commune_code", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("province_code", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("village_code", sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ethnicity_code", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("has_personal_id", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("schooling_status", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("school_left_level", sa.String(length=10),
                                      nullable=True))
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        # Old and split rows are open side by side until the old ones go.
        batch_op.drop_index("uq_membership_period_open")
    own = ", ".join(OWN)
    repeated = ", ".join(REPEATED)
    op.execute(
        f"INSERT INTO membership_period ({own}, recorded_from, recorded_until, {repeated})"
        f" SELECT {', '.join(f'm.{name}' for name in OWN)},"
        " CASE WHEN p.recorded_from > m.recorded_from THEN p.recorded_from"
        " ELSE m.recorded_from END,"
        " CASE WHEN m.recorded_until IS NULL THEN p.recorded_until"
        " WHEN p.recorded_until IS NULL OR m.recorded_until < p.recorded_until"
        " THEN m.recorded_until ELSE p.recorded_until END,"
        f" {', '.join(f'p.{name}' for name in REPEATED)}"
        f" FROM membership_period m JOIN child_period p ON {OVERLAP}"
        " WHERE m.commune_code IS NULL")
    op.execute(
        "DELETE FROM membership_period WHERE commune_code IS NULL AND id IN ("
        f" SELECT m.id FROM membership_period m JOIN child_period p ON {OVERLAP}"
        " WHERE m.commune_code IS NULL)")
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.create_index("uq_membership_period_open", ["kind", "row_id"], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index("ix_membership_period_commune_from",
                              ["commune_code", "recorded_from"])
        batch_op.create_index("ix_membership_period_province_from",
                              ["province_code", "recorded_from"])


def downgrade():
    # The split periods stay split: the same history, in more rows.
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_period_province_from")
        batch_op.drop_index("ix_membership_period_commune_from")
        for name in reversed(REPEATED):
            batch_op.drop_column(name)
