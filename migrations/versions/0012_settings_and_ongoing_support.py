"""settings, and ongoing support that the periodic review confirms or ends (issue 14 §1.4-5)

The ``setting`` table holds the values changed from their declared defaults (age limit,
review period, re-check share: ``fieldapp.settings.services.DECLARED``); it comes empty, so
every setting starts at its default. ``support_record`` gains ``until`` (an ongoing form's
end, open while NULL) and ``confirmed_on`` (the last periodic review that confirmed it), both
NULL for the rows already stored.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('setting',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_setting_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    with op.batch_alter_table('support_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('support_record', schema=None) as batch_op:
        batch_op.drop_column('confirmed_on')
        batch_op.drop_column('until')
    op.drop_table('setting')
