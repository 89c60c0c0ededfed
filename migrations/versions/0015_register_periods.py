"""child_period, membership_period: the register as known in system time (issue 15 §1)

Each child's period columns and each of its circumstance and support rows, valid from
``recorded_from`` until ``recorded_until`` (open while NULL), written by
``children.periods`` in the transaction of each change. The register's history before this
migration is approximated: one open period per child from its ``created_at`` and one open
membership period per circumstance or support row from that row's ``created_at``, as they
stand now.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OPEN = sa.text("recorded_until IS NULL")


def _id():
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                     autoincrement=True, nullable=False)


def upgrade():
    op.create_table(
        "child_period",
        _id(),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("village_code", sa.String(length=9), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("ethnicity_code", sa.String(length=2), nullable=False),
        sa.Column("has_personal_id", sa.Boolean(), nullable=False),
        sa.Column("schooling_status", sa.String(length=4), nullable=True),
        sa.Column("school_left_level", sa.String(length=10), nullable=True),
        sa.Column("school_left_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(length=20), nullable=True),
        sa.Column("recorded_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"],
                                name=op.f("fk_child_period_child_id_child")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_period")),
    )
    with op.batch_alter_table("child_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_period_child_id"), ["child_id"])
        batch_op.create_index("ix_child_period_commune_from", ["commune_code", "recorded_from"])
        batch_op.create_index("ix_child_period_province_from",
                              ["province_code", "recorded_from"])
        batch_op.create_index("uq_child_period_open", ["child_id"], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_table(
        "membership_period",
        _id(),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("recorded_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"],
                                name=op.f("fk_membership_period_child_id_child")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_period")),
    )
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_period_child_id"), ["child_id"])
        batch_op.create_index("ix_membership_period_code_from", ["code", "recorded_from"])
        batch_op.create_index("uq_membership_period_open", ["kind", "row_id"], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
    # The history before: approximated by the register as it stands, from each row's making.
    op.execute(
        "INSERT INTO child_period (child_id, commune_code, province_code, village_code, sex,"
        " date_of_birth, ethnicity_code, has_personal_id, schooling_status,"
        " school_left_level, school_left_on, closed_on, closed_reason, recorded_from)"
        " SELECT id, commune_code, province_code, village_code, sex, date_of_birth,"
        " ethnicity_code, (personal_id IS NOT NULL AND personal_id <> ''), schooling_status,"
        " school_left_level, school_left_on, closed_on, closed_reason, created_at FROM child")
    op.execute(
        "INSERT INTO membership_period (child_id, kind, row_id, code, detail, since, until,"
        " recorded_from) SELECT child_id, 'circumstance', id, code, detail, since, until,"
        " created_at FROM circumstance")
    op.execute(
        "INSERT INTO membership_period (child_id, kind, row_id, code, since, until,"
        " amount_vnd, recorded_from) SELECT child_id, 'support', id, form, given_on, until,"
        " amount_vnd, created_at FROM support_record")


def downgrade():
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.drop_index("uq_membership_period_open")
        batch_op.drop_index("ix_membership_period_code_from")
        batch_op.drop_index(batch_op.f("ix_membership_period_child_id"))
    op.drop_table("membership_period")
    with op.batch_alter_table("child_period", schema=None) as batch_op:
        batch_op.drop_index("uq_child_period_open")
        batch_op.drop_index("ix_child_period_province_from")
        batch_op.drop_index("ix_child_period_commune_from")
        batch_op.drop_index(batch_op.f("ix_child_period_child_id"))
    op.drop_table("child_period")
