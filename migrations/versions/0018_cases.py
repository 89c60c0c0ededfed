"""protection_case, case_step, calendar_day: case management under Decree 56 (issue 16)

A case (Hồ sơ vụ việc) of one commune about one child, its steps appended (never changed or
deleted), and the days the admin declares off or worked (before the ``holidays`` library's
calendar) that its working-day deadlines count with. All three come empty.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"],
                                name=op.f("fk_calendar_day_updated_by_id_user_account")),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_day")),
    )
    op.create_table(
        "protection_case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reporter_name", sa.String(length=200), nullable=False),
        sa.Column("reporter_phone", sa.String(length=20), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=True),
        sa.Column("child_name", sa.String(length=200), nullable=False),
        sa.Column("child_sex", sa.String(length=1), nullable=True),
        sa.Column("child_born", sa.Date(), nullable=True),
        sa.Column("child_age", sa.Integer(), nullable=True),
        sa.Column("village_code", sa.String(length=9), nullable=True),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("child_state", sa.Text(), nullable=False),
        sa.Column("current_carer", sa.Text(), nullable=False),
        sa.Column("actions_taken", sa.Text(), nullable=False),
        sa.Column("risk", sa.String(length=12), nullable=True),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"],
                                name=op.f("fk_protection_case_child_id_child")),
        sa.ForeignKeyConstraint(["commune_code"], ["commune.code"],
                                name=op.f("fk_protection_case_commune_code_commune")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_protection_case_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["village_code"], ["village.code"],
                                name=op.f("fk_protection_case_village_code_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protection_case")),
    )
    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protection_case_child_id"), ["child_id"])
        batch_op.create_index("ix_protection_case_commune_state", ["commune_code", "state"])
    op.create_table(
        "case_step",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"],
                                name=op.f("fk_case_step_actor_id_user_account")),
        sa.ForeignKeyConstraint(["case_id"], ["protection_case.id"],
                                name=op.f("fk_case_step_case_id_protection_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_step")),
    )
    with op.batch_alter_table("case_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_step_case_id"), ["case_id"])


def downgrade():
    with op.batch_alter_table("case_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_step_case_id"))
    op.drop_table("case_step")
    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.drop_index("ix_protection_case_commune_state")
        batch_op.drop_index(batch_op.f("ix_protection_case_child_id"))
    op.drop_table("protection_case")
    op.drop_table("calendar_day")
