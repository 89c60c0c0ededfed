"""province_setting: a province's own report calendar (issue 15 §2)

The half-year and annual reports' cut-off and due dates are settings per province
(``fieldapp.settings.declared``: half_year_cutoff, half_year_due, year_cutoff, year_due). The
table holds only a province's values changed from the default; it comes empty, so every
province starts at the defaults.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "province_setting",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"],
                                name=op.f("fk_province_setting_province_code_province")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"],
                                name=op.f("fk_province_setting_updated_by_id_user_account")),
        sa.PrimaryKeyConstraint("key", "province_code", name=op.f("pk_province_setting")),
    )


def downgrade():
    op.drop_table("province_setting")
