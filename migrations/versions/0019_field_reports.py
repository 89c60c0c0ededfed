"""protection_case: reports from the field (issue 16 §3)

A village head or collaborator reports a child at risk from the phone, as a submission of kind
``protection_report``; it opens a case at once. The case keeps what only such a report has:
whether the reporter called it urgent, when the reporter saw it (``seen_at``) and when the
report was made on the phone (``reported_at``). One report opens one case: ``submission_id``
becomes unique. Existing cases are not urgent and have neither time.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ux_protection_case_submission", ["submission_id"], unique=True)


def downgrade():
    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.drop_index("ux_protection_case_submission")
        batch_op.drop_column("reported_at")
        batch_op.drop_column("seen_at")
        batch_op.drop_column("urgent")
