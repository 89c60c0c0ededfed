"""duplicate pairs: the register's and the waiting new children's, stored as things change

The tables are left empty: after an upgrade, ``flask duplicates rebuild`` judges every
commune once (README, "Upgrading"); from then on the app keeps them as things change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('duplicate_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('child_a_id', sa.Uuid(), nullable=False),
    sa.Column('child_b_id', sa.Uuid(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('child_a_id < child_b_id', name=op.f('ck_duplicate_pair_ordered')),
    sa.ForeignKeyConstraint(['child_a_id'], ['child.id'], name=op.f('fk_duplicate_pair_child_a_id_child')),
    sa.ForeignKeyConstraint(['child_b_id'], ['child.id'], name=op.f('fk_duplicate_pair_child_b_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_pair')),
    sa.UniqueConstraint('child_a_id', 'child_b_id', name=op.f('uq_duplicate_pair_child_a_id'))
    )
    with op.batch_alter_table('duplicate_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_pair_child_a_id'), ['child_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_pair_child_b_id'), ['child_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_pair_commune_code'), ['commune_code'], unique=False)

    op.create_table('submission_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('submission_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=True),
    sa.Column('other_id', sa.Uuid(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_submission_pair_child_id_child')),
    sa.ForeignKeyConstraint(['other_id'], ['submission.id'], name=op.f('fk_submission_pair_other_id_submission')),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_pair_submission_id_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_pair'))
    )
    with op.batch_alter_table('submission_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_pair_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_pair_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_pair_other_id'), ['other_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_pair_submission_id'), ['submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('submission_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_pair_submission_id'))
        batch_op.drop_index(batch_op.f('ix_submission_pair_other_id'))
        batch_op.drop_index(batch_op.f('ix_submission_pair_commune_code'))
        batch_op.drop_index(batch_op.f('ix_submission_pair_child_id'))

    op.drop_table('submission_pair')
    with op.batch_alter_table('duplicate_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_pair_commune_code'))
        batch_op.drop_index(batch_op.f('ix_duplicate_pair_child_b_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_pair_child_a_id'))

    op.drop_table('duplicate_pair')
