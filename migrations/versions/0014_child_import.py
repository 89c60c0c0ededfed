"""child_import: a spreadsheet kept between its preview and the officer's confirmation

An officer's upload of an existing register (``/children/import``) waits here, not in a
worker's memory, until it is confirmed or discarded (then deleted), or a day old.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "child_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_child_import_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_import")),
    )
    with op.batch_alter_table("child_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_import_created_at"), ["created_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_child_import_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("child_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_import_user_id"))
        batch_op.drop_index(batch_op.f("ix_child_import_created_at"))
    op.drop_table("child_import")
