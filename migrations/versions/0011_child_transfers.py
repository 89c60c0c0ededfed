"""child transfers between communes (issue 14 §2.1)

One table, ``child_transfer``: a child sent by one commune to another, waiting, accepted,
refused or cancelled. The sending record stays the sender's (closed on acceptance); the
receiver's new record is ``received_child_id``. A partial unique index keeps one pending
transfer per child. The ``child`` table is not altered: the link to the new record lives here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 21:51:33.074282

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('child_transfer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('from_commune_code', sa.String(length=5), nullable=False),
    sa.Column('to_commune_code', sa.String(length=5), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moved_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('received_child_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_transfer_child_id_child')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_child_transfer_decided_by_user_account')),
    sa.ForeignKeyConstraint(['from_commune_code'], ['commune.code'], name=op.f('fk_child_transfer_from_commune_code_commune')),
    sa.ForeignKeyConstraint(['received_child_id'], ['child.id'], name=op.f('fk_child_transfer_received_child_id_child')),
    sa.ForeignKeyConstraint(['requested_by'], ['user_account.id'], name=op.f('fk_child_transfer_requested_by_user_account')),
    sa.ForeignKeyConstraint(['to_commune_code'], ['commune.code'], name=op.f('fk_child_transfer_to_commune_code_commune')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_transfer')),
    sa.UniqueConstraint('received_child_id', name=op.f('uq_child_transfer_received_child_id'))
    )
    with op.batch_alter_table('child_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_transfer_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_transfer_from_commune_code'), ['from_commune_code'], unique=False)
        batch_op.create_index('ix_child_transfer_to_status', ['to_commune_code', 'status'], unique=False)
        batch_op.create_index('uq_child_transfer_pending', ['child_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))



def downgrade():
    with op.batch_alter_table('child_transfer', schema=None) as batch_op:
        batch_op.drop_index('uq_child_transfer_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_child_transfer_to_status')
        batch_op.drop_index(batch_op.f('ix_child_transfer_from_commune_code'))
        batch_op.drop_index(batch_op.f('ix_child_transfer_child_id'))

    op.drop_table('child_transfer')
